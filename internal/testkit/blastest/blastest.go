// Package blastest holds what the tests of this module's BLAS implementations
// (internal/blas/openblas, internal/blas/goblas) share: a check of Sgemm against
// gonum's, and random operands.
package blastest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Sgemmer is the one routine the implementations replace.
type Sgemmer interface {
	Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
		b []float32, ldb int, beta float32, c []float32, ldc int)
}

// Random returns n draws from N(0, 1).
func Random(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// MatchesGonum compares impl with gonum on every transposition, contiguous
// and padded leading dimensions, several alpha and beta (with beta = 0, C's
// old values, a NaN among them, must not be read), and the model's shapes.
func MatchesGonum(t *testing.T, impl Sgemmer) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
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
							a, b := Random(rng, ar*lda), Random(rng, br*ldb)
							want := Random(rng, m*ldc)
							if ab[1] == 0 {
								want[0] = float32(math.NaN())
							}
							got := append([]float32(nil), want...)
							gonum.Implementation{}.Sgemm(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], want, ldc)
							impl.Sgemm(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], got, ldc)
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
