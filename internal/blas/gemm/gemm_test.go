package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// shapes have edges in every dimension, k over one packed block and more,
// and include the model's products.
var shapes = [][3]int{{1, 1, 1}, {6, 16, 1}, {6, 32, 2}, {7, 17, 3}, {5, 15, 300}, {13, 33, 257}, {12, 64, 40},
	{128, 400, 784}, {784, 400, 128}, {128, 20, 400}, {100, 784, 20}, {3, 5, 0}}

// TestMulIsTheProduct checks each kernel this CPU runs (AVX2's; AVX-512's
// where the CPU has it, and only there) against a direct float64 loop.
func TestMulIsTheProduct(t *testing.T) {
	if !Available() {
		t.Skip("no AVX2 and FMA")
	}
	if _, ok := kernels()["avx512"]; !ok {
		t.Log("this CPU has no AVX-512: its kernel is not tested here")
	}
	for name, kern := range kernels() {
		t.Run(name, func(t *testing.T) { checkProducts(t, kern) })
	}
}

func checkProducts(t *testing.T, kern kernel) {
	rng := rand.New(rand.NewPCG(2, 3))
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		a, b := random(rng, m*k), random(rng, k*n)
		c := random(rng, m*n) // overwritten, whatever it held
		mul(kern, m, n, k, Rows(a, k), Rows(b, n), c)
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

// The AVX-512 kernel adds each value of C in the AVX2 kernel's order: the
// same bits, so the pure-Go build trains alike on both kinds of CPU.
func TestKernelsAgreeBitForBit(t *testing.T) {
	all := kernels()
	wide, ok := all["avx512"]
	if !ok {
		t.Skip("this CPU has no AVX-512")
	}
	rng := rand.New(rand.NewPCG(4, 5))
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		a, b := random(rng, m*k), random(rng, k*n)
		c1, c2 := make([]float32, m*n), make([]float32, m*n)
		mul(all["avx2"], m, n, k, Rows(a, k), Rows(b, n), c1)
		mul(wide, m, n, k, Rows(a, k), Rows(b, n), c2)
		for i := range c1 {
			if math.Float32bits(c1[i]) != math.Float32bits(c2[i]) {
				t.Fatalf("%d×%d×%d: value %d is %v with AVX2, %v with AVX-512", m, n, k, i, c1[i], c2[i])
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

// BenchmarkMul is fc1's forward product at batch 128, with each kernel
// this CPU runs.
func BenchmarkMul(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	const m, n, k = 128, 400, 784
	x, y, c := random(rng, m*k), random(rng, k*n), make([]float32, m*n)
	for name, kern := range kernels() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				mul(kern, m, n, k, Rows(x, k), Rows(y, n), c)
			}
			b.ReportMetric(2*m*n*k*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
