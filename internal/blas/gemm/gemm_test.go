package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMulIsTheProduct checks Mul against a direct float64 loop on sizes with
// and without edges in every dimension, k over one packed block and more,
// including the model's shapes.
func TestMulIsTheProduct(t *testing.T) {
	if !Available() {
		t.Skip("no AVX2 and FMA")
	}
	rng := rand.New(rand.NewPCG(2, 3))
	for _, s := range [][3]int{{1, 1, 1}, {6, 16, 1}, {7, 17, 3}, {5, 15, 300}, {13, 33, 257}, {128, 400, 784}, {784, 400, 128}, {128, 20, 400}, {100, 784, 20}, {3, 5, 0}} {
		m, n, k := s[0], s[1], s[2]
		a, b := random(rng, m*k), random(rng, k*n)
		c := random(rng, m*n) // overwritten, whatever it held
		Mul(m, n, k, a, b, c)
		for i := range m {
			for j := range n {
				var want, scale float64
				for p := range k {
					v := float64(a[i*k+p]) * float64(b[p*n+j])
					want += v
					scale += math.Abs(v)
				}
				if d := math.Abs(float64(c[i*n+j]) - want); d > 1e-6*scale+1e-30 || math.IsNaN(d) {
					t.Fatalf("%d×%d×%d: c[%d][%d] = %v, want %v", m, n, k, i, j, c[i*n+j], want)
				}
			}
		}
	}
}

func random(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

// BenchmarkMul is fc1's forward product at batch 128.
func BenchmarkMul(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	const m, n, k = 128, 400, 784
	x, y, c := random(rng, m*k), random(rng, k*n), make([]float32, m*n)
	for b.Loop() {
		Mul(m, n, k, x, y, c)
	}
	b.ReportMetric(2*m*n*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
