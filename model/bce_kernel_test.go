package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govae/govae/internal/mathf32"
)

// bceCase is a batch of logits and pixels: every regime of the sigmoid,
// saturated both ways, and the pixel values at and between 0 and 1.
func bceCase(n int) (l, x []float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	fixed := []float64{-200, -90, -30, -16, -1e-3, -1e-30, 0, 1e-30, 1e-3, 16, 30, 90, 200}
	l, x = make([]float64, n), make([]float64, n)
	for i := range l {
		if i < len(fixed)*3 {
			l[i], x[i] = fixed[i/3], float64(i%3)/2 // x = 0, ½, 1
			continue
		}
		l[i], x[i] = rng.NormFloat64()*8-4, rng.Float64()
	}
	return l, x
}

func to32(s []float64) []float32 {
	out := make([]float32, len(s))
	for i, v := range s {
		out[i] = float32(v)
	}
	return out
}

// TestBCEFloat32MatchesFloat64 holds the fast float32 loops to the float64
// definition, over more than one block.
func TestBCEFloat32MatchesFloat64(t *testing.T) {
	l, x := bceCase(3*mathf32.Block + 17)
	l32, x32 := to32(l), to32(x)
	// Compare with the float64 result for the float32-rounded inputs.
	lr, xr := make([]float64, len(l)), make([]float64, len(l))
	for i := range l {
		lr[i], xr[i] = float64(l32[i]), float64(x32[i])
	}
	want, got := bceSum64(lr, xr), bceSum32(l32, x32)
	if math.Abs(got-want) > 1e-6*math.Abs(want) {
		t.Errorf("bce sum: float32 %v, float64 %v", got, want)
	}
	const g = 0.75
	want64 := make([]float64, len(l))
	got32 := make([]float32, len(l))
	bceGrad64(want64, lr, xr, g)
	bceGrad32(got32, l32, x32, g)
	for i := range want64 {
		if d := math.Abs(float64(got32[i]) - want64[i]); d > 1e-7 {
			t.Fatalf("gradient at l = %g, x = %g: float32 %g, float64 %g", lr[i], xr[i], got32[i], want64[i])
		}
	}
}

// TestBCEGradIsSigmoidMinusX checks the gradient formula by hand where the
// sigmoid is known: σ(0) = ½, σ(ln 3) = ¾, σ(-ln 3) = ¼.
func TestBCEGradIsSigmoidMinusX(t *testing.T) {
	l := []float64{0, math.Log(3), -math.Log(3), 0}
	x := []float64{0, 1, 0, 1}
	want := []float64{0.5, -0.25, 0.25, -0.5} // (σ(l) - x)·1
	got := make([]float64, len(l))
	bceGrad64(got, l, x, 1)
	got32 := make([]float32, len(l))
	bceGrad32(got32, to32(l), to32(x), 2)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15 || math.Abs(float64(got32[i])-2*want[i]) > 1e-6 {
			t.Errorf("l = %g, x = %g: gradient %g (float32, ×2: %g), want %g", l[i], x[i], got[i], got32[i], want[i])
		}
	}
}

// BenchmarkBCE is the reconstruction term of one batch of 128 images,
// forward and backward, on logits spread like a model's after a few hundred
// steps: go test ./model -bench BCE
func BenchmarkBCE(b *testing.B) {
	l, x := bceCase(128 * 784)
	l32, x32 := to32(l), to32(x)
	d := make([]float32, len(l))
	b.Run("forward", func(b *testing.B) {
		for b.Loop() {
			bceSum32(l32, x32)
		}
	})
	b.Run("gradient", func(b *testing.B) {
		for b.Loop() {
			bceGrad32(d, l32, x32, 1)
		}
	})
}
