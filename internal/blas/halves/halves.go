// Package halves runs a large single-precision matrix product as two
// products, each on half of C's rows, on two cores at once. OpenBLAS is told
// one thread (its idle threads spin and take the CPU from Go; see
// internal/blas/openblas), so without this a 2-CPU machine multiplies on one core
// while the other waits.
//
// The halves are cut at a multiple of 24 rows. OpenBLAS's kernels tile C's
// rows of a row-major product in blocks of 4, 8 or 12 (Haswell: 12), and
// a tile's shape decides the order in which its values are summed; cut at a
// multiple of every tile, each value of C is computed by the same kernel in
// the same order as in the whole product, so the results are bit for bit
// the same (a test in internal/blas/openblas checks this for the model's
// products on the machine's kernels). Cutting C's columns would not be.
package halves

import (
	"sync"
	"sync/atomic"

	"github.com/govae/govae/internal/parallel"
	"gonum.org/v1/gonum/blas"
)

// Sgemm is C = alpha·op(A)·op(B) + beta·C on row-major matrices, as in
// gonum's blas.Float32.
type Sgemm func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int)

// MinWork is the smallest product (m·n·k multiply-adds) that is cut in two:
// below it, starting a goroutine and sharing the cache costs more than the
// second core gives.
const MinWork = 1 << 21

// Align is the multiple of rows the halves are cut at.
const Align = 24

// Splitter cuts products in two while it runs no other product: callers
// that already multiply on every core at once (the conv op's per-CPU runs)
// get whole products. It is safe for concurrent use.
type Splitter struct {
	inFlight atomic.Int32
}

// Run computes the product with f, in two halves at once when it is large,
// this machine has more than one CPU and no other product is running.
func (s *Splitter) Run(f Sgemm, tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	alone := s.inFlight.Add(1) == 1
	defer s.inFlight.Add(-1)
	if !alone || m*n*k < MinWork || m < 2*Align || parallel.CPUs() < 2 {
		f(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	top := Cut(m)
	aOff := top * lda // the rows of A that make the bottom rows of C
	if tA != blas.NoTrans {
		aOff = top // A is stored transposed: its columns
	}
	var wg sync.WaitGroup
	wg.Go(func() { f(tA, tB, m-top, n, k, alpha, a[aOff:], lda, b, ldb, beta, c[top*ldc:], ldc) })
	f(tA, tB, top, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	wg.Wait()
}

// Cut is where m rows are cut: the multiple of Align nearest their middle.
func Cut(m int) int {
	return max(Align, (m/2+Align/2)/Align*Align)
}
