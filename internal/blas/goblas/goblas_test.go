package goblas

import (
	"math/rand/v2"
	"testing"

	"github.com/govae/govae/internal/testkit/blastest"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// TestSgemmMatchesGonum compares the pure-Go Sgemm with gonum (see blastest).
func TestSgemmMatchesGonum(t *testing.T) {
	if !Available() {
		t.Skip("no AVX2 and FMA: Sgemm is gonum's own")
	}
	blastest.MatchesGonum(t, &BLAS{})
}

// TestSgemmRejectsLikeGonum: inconsistent arguments panic with gonum's
// message rather than reading past a slice.
func TestSgemmRejectsLikeGonum(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a too-short A did not panic")
		}
	}()
	(&BLAS{}).Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, make([]float32, 3), 2, make([]float32, 4), 2, 0, make([]float32, 4), 2)
}

// BenchmarkSgemm times the step's largest product shapes here and in gonum.
func BenchmarkSgemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range []struct {
		name    string
		tA, tB  blas.Transpose
		m, n, k int
	}{
		{"fc1 forward x·W", blas.NoTrans, blas.NoTrans, 128, 400, 784},
		{"fc4 weight gradient xᵀ·dy", blas.Trans, blas.NoTrans, 400, 784, 128},
		{"fc4 input gradient dy·Wᵀ", blas.NoTrans, blas.Trans, 128, 400, 784},
	} {
		lda, ldb := s.k, s.n
		if s.tA == blas.Trans {
			lda = s.m
		}
		if s.tB == blas.Trans {
			ldb = s.k
		}
		a, bm, c := blastest.Random(rng, s.m*s.k), blastest.Random(rng, s.k*s.n), make([]float32, s.m*s.n)
		for _, impl := range []struct {
			name string
			blas blastest.Sgemmer
		}{{"gemm", &BLAS{}}, {"gonum", gonum.Implementation{}}} {
			b.Run(s.name+"/"+impl.name, func(b *testing.B) {
				for b.Loop() {
					impl.blas.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
