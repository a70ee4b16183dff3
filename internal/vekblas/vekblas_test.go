package vekblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

func random(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// TestSgemmMatchesGonum compares vek with gonum on every transposition,
// padded leading dimensions, alpha and beta, and the model's own shapes.
func TestSgemmMatchesGonum(t *testing.T) {
	if !Available() {
		t.Skip("no AVX2 and FMA: Sgemm is gonum's own")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	vb := &BLAS{}
	for _, sz := range [][3]int{{3, 4, 5}, {1, 1, 1}, {128, 400, 784}, {128, 20, 400}, {7, 9, 2}} {
		for _, ab := range [][2]float32{{1, 0}, {0.5, 2}, {-1, 1}} {
			for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
					for _, pad := range []int{0, 3} {
						m, n, k := sz[0], sz[1], sz[2]
						t.Run(fmt.Sprintf("%dx%dx%d/%c%c/alpha=%g,beta=%g/pad=%d", m, n, k, tA, tB, ab[0], ab[1], pad), func(t *testing.T) {
							ar, ac := m, k
							if tA == blas.Trans {
								ar, ac = k, m
							}
							br, bc := k, n
							if tB == blas.Trans {
								br, bc = n, k
							}
							lda, ldb, ldc := ac+pad, bc+pad, n+pad
							a, b := random(rng, ar*lda), random(rng, br*ldb)
							want := random(rng, m*ldc)
							if ab[1] == 0 {
								want[0] = float32(math.NaN()) // beta = 0: never read
							}
							got := append([]float32(nil), want...)
							gonum.Implementation{}.Sgemm(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], want, ldc)
							vb.Sgemm(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], got, ldc)
							for i := range want {
								if d := math.Abs(float64(got[i] - want[i])); !(d <= 1e-4*(1+math.Abs(float64(want[i])))) {
									t.Fatalf("C[%d] = %g, gonum gives %g", i, got[i], want[i])
								}
							}
						})
					}
				}
			}
		}
	}
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

// BenchmarkSgemm times the step's largest product shapes on vek and gonum.
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
		a, bm, c := random(rng, s.m*s.k), random(rng, s.k*s.n), make([]float32, s.m*s.n)
		for _, impl := range []struct {
			name string
			blas interface {
				Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
			}
		}{{"vek", &BLAS{}}, {"gonum", gonum.Implementation{}}} {
			b.Run(s.name+"/"+impl.name, func(b *testing.B) {
				for b.Loop() {
					impl.blas.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
