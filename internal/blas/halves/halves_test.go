package halves

import (
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// naive is C = alpha·op(A)·op(B) + beta·C by the definition, one value at a
// time in a fixed order, so that a product in halves must match it exactly.
func naive(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := range m {
		for j := range n {
			var sum float32
			for l := range k {
				av, bv := a[i*lda+l], b[l*ldb+j]
				if tA != blas.NoTrans {
					av = a[l*lda+i]
				}
				if tB != blas.NoTrans {
					bv = b[j*ldb+l]
				}
				sum += av * bv
			}
			c[i*ldc+j] = alpha*sum + beta*c[i*ldc+j]
		}
	}
}

// TestHalvesAreTheProduct computes large products (every transposition,
// padded leading dimensions, alpha and beta) whole and in halves.
func TestHalvesAreTheProduct(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	random := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		return v
	}
	const m, n, k, pad = 130, 120, 140, 3
	for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
		for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			lda, ldb := k+pad, n+pad
			if tA != blas.NoTrans {
				lda = m + pad
			}
			if tB != blas.NoTrans {
				ldb = k + pad
			}
			a, b, c := random(max(m, k)*lda), random(max(n, k)*ldb), random(m*(n+pad))
			whole, split := slices.Clone(c), slices.Clone(c)
			naive(tA, tB, m, n, k, 0.5, a, lda, b, ldb, 2, whole, n+pad)
			var s Splitter
			var calls atomic.Int32
			count := func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
				calls.Add(1)
				naive(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			}
			s.Run(count, tA, tB, m, n, k, 0.5, a, lda, b, ldb, 2, split, n+pad)
			if !slices.Equal(whole, split) {
				t.Errorf("%v %v: the halves differ from the whole product", tA, tB)
			}
			if calls.Load() != 2 || m*n*k < MinWork {
				t.Errorf("%v %v: %d calls, want 2 halves", tA, tB, calls.Load())
			}
		}
	}
}

func TestCut(t *testing.T) {
	for _, tt := range []struct{ m, want int }{{48, 24}, {128, 72}, {400, 192}, {784, 384}, {1024, 504}} {
		if got := Cut(tt.m); got != tt.want {
			t.Errorf("Cut(%d) = %d, want %d", tt.m, got, tt.want)
		}
	}
}
