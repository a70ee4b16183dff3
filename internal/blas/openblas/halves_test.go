package openblas

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/govae/govae/internal/testkit/blastest"
	"gonum.org/v1/gonum/blas"
)

// TestHalvesBitForBit runs every matrix product of a training step and of
// decoding through OpenBLAS whole and as the BLAS runs it (large ones in two
// halves at once, internal/blas/halves), on this machine's kernels, and checks the
// results are the same to the bit: cutting at multiples of halves.Align
// keeps every value's kernel and order of sums.
func TestHalvesBitForBit(t *testing.T) {
	b := load(t)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, p := range append(stepProducts(), decodeProducts()[:2]...) {
		lda, ldb := p.k, p.n
		if p.tA == blas.Trans {
			lda = p.m
		}
		if p.tB == blas.Trans {
			ldb = p.k
		}
		a, bm := blastest.Random(rng, p.m*p.k), blastest.Random(rng, p.k*p.n)
		whole, split := make([]float32, p.m*p.n), make([]float32, p.m*p.n)
		b.sgemmCall(p.tA, p.tB, p.m, p.n, p.k, 1, a, lda, bm, ldb, 0, whole, p.n)
		b.Sgemm(p.tA, p.tB, p.m, p.n, p.k, 1, a, lda, bm, ldb, 0, split, p.n)
		if !slices.Equal(whole, split) {
			t.Errorf("%s kernels, %+v: the product in halves differs from the whole", b.Core, p)
		}
	}
}
