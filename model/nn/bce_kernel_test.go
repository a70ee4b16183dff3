package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bceCase is a batch of logits and pixels: every regime of the sigmoid,
// saturated both ways, and the pixel values at and between 0 and 1.
func bceCase(n int) (l, x []float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	fixed := []float64{-200, -90, -30, -16, -1, -1e-3, -1e-30, 0, 1e-30, 1e-3, 0.5, 1, 16, 30, 90, 200}
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

func to64(s []float32) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}

// TestFloat32KernelsMatchFloat64 holds the fast float32 loops to the float64
// definitions, over more than one block, on the float32-rounded inputs.
func TestFloat32KernelsMatchFloat64(t *testing.T) {
	l, x := bceCase(3*block + 17)
	l32, x32 := to32(l), to32(x)
	l, x = to64(l32), to64(x32)

	s64, s32 := make([]float64, len(l)), make([]float32, len(l))
	sigmoid64(s64, l)
	sigmoid32(s32, l32)
	for i := range s64 {
		// Relative, down to exp(-87) ≈ 1.6e-38, where the float32 exp is held.
		if d := math.Abs(float64(s32[i]) - s64[i]); d > 2e-7*s64[i]+2e-38 {
			t.Fatalf("sigmoid(%g): float32 %g, float64 %g", l[i], s32[i], s64[i])
		}
	}

	want, got := bceSum64(l, x), bceSum32(s32, l32, x32)
	if math.Abs(got-want) > 1e-6*math.Abs(want) {
		t.Errorf("bce sum: float32 %v, float64 %v", got, want)
	}
	if got := bceTerms32(l32, x32); math.Abs(got-want) > 1e-6*math.Abs(want) {
		t.Errorf("bce terms: float32 %v, float64 %v", got, want)
	}
	// Pixel by pixel, where the error cannot hide in the sum: a few float32
	// spacings of the terms added, max(l, 0) and x·l, which cancel.
	for i := range l {
		w := bceSum64(l[i:i+1], x[i:i+1])
		for name, g := range map[string]float64{
			"bce from the sigmoid": bceSum32(s32[i:i+1], l32[i:i+1], x32[i:i+1]),
			"bce terms":            bceTerms32(l32[i:i+1], x32[i:i+1]),
		} {
			if math.Abs(g-w) > 3e-7*(1+math.Abs(l[i])) {
				t.Fatalf("%s at l = %g, x = %g: float32 %g, float64 %g", name, l[i], x[i], g, w)
			}
		}
	}
}

// TestBCEGradIsSigmoidMinusX checks the gradient formula by hand where the
// sigmoid is known: σ(0) = ½, σ(ln 3) = ¾, σ(-ln 3) = ¼.
func TestBCEGradIsSigmoidMinusX(t *testing.T) {
	l := []float64{0, math.Log(3), -math.Log(3), 0}
	x := []float64{0, 1, 0, 1}
	want := []float64{0.5, -0.25, 0.25, -0.5} // (σ(l) - x)·1
	s := make([]float64, len(l))
	sigmoid64(s, l)
	got := make([]float64, len(l))
	bceGrad(got, s, x, 1)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15 {
			t.Errorf("l = %g, x = %g: gradient %g, want %g", l[i], x[i], got[i], want[i])
		}
	}
}

// BenchmarkBCE is the decoder's sigmoid and the reconstruction term of one
// batch of 128 images, forward and backward: go test ./model/nn -bench BCE
func BenchmarkBCE(b *testing.B) {
	l, x := bceCase(128 * 784)
	l32, x32 := to32(l), to32(x)
	s, d := make([]float32, len(l)), make([]float32, len(l))
	b.Run("sigmoid", func(b *testing.B) {
		for b.Loop() {
			sigmoid32(s, l32)
		}
	})
	b.Run("forward", func(b *testing.B) {
		for b.Loop() {
			bceSum32(s, l32, x32)
		}
	})
	b.Run("gradient", func(b *testing.B) {
		for b.Loop() {
			bceGrad(d, s, x32, 1)
		}
	})
}
