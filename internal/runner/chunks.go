package runner

import "github.com/govae/govae/internal/parallel"

// MaxBatch is the largest batch an inference graph runs at once: requests
// for more rows run in batches of this size, so the memory a call needs
// does not grow with the rows it is given.
const MaxBatch = 1024

// Chunks calls f on consecutive ranges [start, start+size) of n rows, each
// at most MaxBatch long, and stops at the first error.
func Chunks(n int, f func(start, size int) error) error { return ChunksOf(n, MaxBatch, f) }

// ChunksOf is Chunks with ranges at most most rows long: the batch a graph
// was compiled for.
func ChunksOf(n, most int, f func(start, size int) error) error {
	for start := 0; start < n; start += most {
		if err := f(start, min(most, n-start)); err != nil {
			return err
		}
	}
	return nil
}

// Bucket is the batch size a graph is compiled for to run `rows` rows: the
// next power of two, at most MaxBatch. Rounding up keeps the number of
// compiled graphs small (eleven sizes) whatever sizes callers ask for; the
// rows past `rows` are padding whose results are not read.
func Bucket(rows int) int {
	b := 1
	for b < rows && b < MaxBatch {
		b *= 2
	}
	return b
}

// ChunksParallel is Chunks with up to workers chunks running at once; f
// must be safe for that. It returns the first error in chunk order.
func ChunksParallel(n, workers int, f func(start, size int) error) error {
	chunks := (n + MaxBatch - 1) / MaxBatch
	if workers <= 1 || chunks <= 1 {
		return Chunks(n, f)
	}
	return parallel.Each(chunks, workers, func(_, c int) error {
		start := c * MaxBatch
		return f(start, min(MaxBatch, n-start))
	})
}
