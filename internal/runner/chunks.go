package runner

import "github.com/govae/govae/internal/parallel"

// MaxBatch is the largest batch an inference graph runs at once: requests
// for more rows run in batches of this size, so the memory a call needs
// does not grow with the rows it is given.
const MaxBatch = 1024

// batchValues bounds the values of a batch of rows: MaxBatch MNIST images.
const batchValues = MaxBatch * 784

// BatchFor is the largest batch an inference graph of rows `width` values
// wide runs at once: MaxBatch for images up to MNIST's 784 values, and for
// wider ones the power of two that keeps the batch within MaxBatch MNIST
// images' worth of values (64 rows of 64×64 colour), so that the memory a
// graph holds — its activations, and a convolution's unrolled patches above
// all — does not grow with the image size either.
func BatchFor(width int) int {
	b := MaxBatch
	for b > 1 && b*width > batchValues {
		b /= 2
	}
	return b
}

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
// next power of two, at most most (a power of two: MaxBatch or BatchFor's).
// Rounding up keeps the number of compiled graphs small (eleven sizes)
// whatever sizes callers ask for; the rows past `rows` are padding whose
// results are not read.
func Bucket(rows, most int) int {
	b := 1
	for b < rows && b < most {
		b *= 2
	}
	return b
}

// ChunksParallel is ChunksOf(n, most, f) with up to workers chunks running
// at once; f must be safe for that. It returns the first error in chunk
// order.
func ChunksParallel(n, most, workers int, f func(start, size int) error) error {
	chunks := (n + most - 1) / most
	if workers <= 1 || chunks <= 1 {
		return ChunksOf(n, most, f)
	}
	return parallel.Each(chunks, workers, func(_, c int) error {
		start := c * most
		return f(start, min(most, n-start))
	})
}
