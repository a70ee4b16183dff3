// Package goblas runs Gorgonia's single-precision matrix products in pure
// Go on internal/blas/gemm's packed kernels (AVX-512 where the CPU has it,
// else AVX2): Go assembly, so no cgo and no
// shared library to install, and several times as fast as gonum's pure-Go
// Sgemm on the model's shapes (go test ./internal/blas/goblas -bench .). Every
// other BLAS routine stays gonum's, and so does Sgemm on a CPU without AVX2
// and FMA.
package goblas

import (
	"sync"

	"github.com/govae/govae/internal/blas/gemm"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Available reports whether this CPU runs the kernels (AVX2 and FMA at least).
func Available() bool { return gemm.Available() }

// Kernel names the kernel the products run on (gemm.Kernel).
func Kernel() string { return gemm.Kernel() }

// BLAS is gonum's pure-Go BLAS with Sgemm done by internal/blas/gemm.
type BLAS struct {
	gonum.Implementation
	scratch sync.Pool // *[]float32, for a product that cannot go straight into C
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C. gemm reads transposed
// and padded operands in place; a padded C, or alpha ≠ 1 or beta ≠ 0, takes
// the product in a buffer first. Empty or inconsistent arguments go to
// gonum, which handles the first and panics on the second, like every Go BLAS.
func (b *BLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	bm []float32, ldb int, beta float32, c []float32, ldc int) {
	if !Available() || m == 0 || n == 0 || k == 0 || !fits(a, tA, m, k, lda) || !fits(bm, tB, k, n, ldb) || !fits(c, blas.NoTrans, m, n, ldc) {
		b.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, bm, ldb, beta, c, ldc)
		return
	}
	opA := gemm.Operand{Data: a, Stride: lda, Trans: tA != blas.NoTrans}
	opB := gemm.Operand{Data: bm, Stride: ldb, Trans: tB != blas.NoTrans}
	if alpha == 1 && beta == 0 && ldc == n {
		gemm.Mul(m, n, k, opA, opB, c[:m*n])
		return
	}
	prod, freeP := b.buffer(m * n)
	defer freeP()
	gemm.Mul(m, n, k, opA, opB, prod)
	for i := range m {
		row, p := c[i*ldc:i*ldc+n], prod[i*n:(i+1)*n]
		for j, v := range p {
			if beta == 0 { // C's old values, even NaN, are not read
				row[j] = alpha * v
			} else {
				row[j] = alpha*v + beta*row[j]
			}
		}
	}
}

// buffer lends a slice of n floats from the pool.
func (b *BLAS) buffer(n int) ([]float32, func()) {
	p, _ := b.scratch.Get().(*[]float32)
	if p == nil || cap(*p) < n {
		s := make([]float32, n)
		p = &s
	}
	return (*p)[:n], func() { b.scratch.Put(p) }
}

// fits reports whether s holds a row-major matrix op(X) of rows×cols with
// leading dimension ld.
func fits(s []float32, t blas.Transpose, rows, cols, ld int) bool {
	if t != blas.NoTrans {
		rows, cols = cols, rows
	}
	return ld >= max(1, cols) && len(s) >= ld*(rows-1)+cols
}
