package openblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// load returns OpenBLAS, skipping the test where it is not installed unless
// GOVAE_REQUIRE_OPENBLAS is set (as .ci/run does, so CI tests this path).
func load(t *testing.T) *BLAS {
	b, err := Load()
	if err != nil {
		if os.Getenv("GOVAE_REQUIRE_OPENBLAS") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return b
}

// TestSgemmMatchesGonum compares OpenBLAS with gonum on every transposition,
// padded leading dimensions, and the model's own shapes.
func TestSgemmMatchesGonum(t *testing.T) {
	ob := load(t)
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(rng.NormFloat64())
		}
		return s
	}
	for _, sz := range [][3]int{{3, 4, 5}, {1, 1, 1}, {128, 400, 784}, {128, 20, 400}, {7, 9, 2}} {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				t.Run(fmt.Sprintf("%dx%dx%d/%c%c", m, n, k, tA, tB), func(t *testing.T) {
					ar, ac := m, k
					if tA == blas.Trans {
						ar, ac = k, m
					}
					br, bc := k, n
					if tB == blas.Trans {
						br, bc = n, k
					}
					lda, ldb, ldc := ac+1, bc+2, n+3
					a, b := random(ar*lda), random(br*ldb)
					want := random(m * ldc)
					got := append([]float32(nil), want...)
					gonum.Implementation{}.Sgemm(tA, tB, m, n, k, 0.5, a, lda, b, ldb, 2, want, ldc)
					ob.Sgemm(tA, tB, m, n, k, 0.5, a, lda, b, ldb, 2, got, ldc)
					for i := range want {
						if d := math.Abs(float64(got[i] - want[i])); d > 1e-4*(1+math.Abs(float64(want[i]))) {
							t.Fatalf("C[%d] = %g, gonum gives %g", i, got[i], want[i])
						}
					}
				})
			}
		}
	}
}
