package nn

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// gemm is C = alpha·op(A)·op(B) + beta·C on row-major matrices through the
// BLAS Gorgonia uses (OpenBLAS, internal/blas/goblas or gonum, as
// internal/blas/openblas chose).
func gemm[T float32 | float64](tA, tB bool, m, n, k int, alpha T, a []T, b []T, beta T, c []T) {
	ta, tb := blas.NoTrans, blas.NoTrans
	lda, ldb := k, n
	if tA {
		ta, lda = blas.Trans, m
	}
	if tB {
		tb, ldb = blas.Trans, k
	}
	switch a := any(a).(type) {
	case []float32:
		G.WhichBLAS().Sgemm(ta, tb, m, n, k, float32(alpha), a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), n)
	case []float64:
		G.WhichBLAS().Dgemm(ta, tb, m, n, k, float64(alpha), a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), n)
	}
}

// matProduct sets c = op(a)·op(b), m × n with k terms each.
func matProduct(name string, c *tensor.Dense, a, b G.Value, tA, tB bool, m, n, k int) error {
	switch as := a.Data().(type) {
	case []float32:
		if bs, ok := b.Data().([]float32); ok {
			gemm(tA, tB, m, n, k, 1, as, bs, 0, c.Float32s())
			return nil
		}
	case []float64:
		if bs, ok := b.Data().([]float64); ok {
			gemm(tA, tB, m, n, k, 1, as, bs, 0, c.Float64s())
			return nil
		}
	}
	return fmt.Errorf("%s: unsupported inputs %T and %T", name, a, b)
}
