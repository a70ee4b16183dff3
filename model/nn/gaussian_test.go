package nn

import (
	"math"
	"testing"
)

// The Gaussian NLL by hand: −log N(x; s, σ²) = ½ln 2π + ln σ + (x − s)²/(2σ²).
func TestGaussianNLLByHand(t *testing.T) {
	const half = 0.918938533204672742 // ½ ln 2π
	tests := []struct {
		name    string
		s, x, c []float64
		want    float64
	}{
		{"σ = 1", []float64{0.5}, []float64{0.7}, []float64{0}, half + 0.02},
		{"σ = 0.1", []float64{0.5}, []float64{0.7}, []float64{math.Log(0.1)}, half + math.Log(0.1) + 0.04/(2*0.01)},
		// Two images of two pixels: the log-scales repeat for each image.
		{"two rows", []float64{0, 1, 0.5, 0.5}, []float64{0, 0, 1, 0.5}, []float64{0, math.Log(2)},
			(half + 0) + (half + math.Log(2) + 1.0/8) + (half + 0.125) + (half + math.Log(2))},
	}
	for _, tt := range tests {
		if got := gaussianNLL(tt.s, tt.x, tt.c); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: GaussianNLL = %.12f, want %.12f", tt.name, got, tt.want)
		}
		s32, x32, c32 := f32(tt.s), f32(tt.x), f32(tt.c)
		if got := gaussianNLL(s32, x32, c32); math.Abs(got-tt.want) > 1e-5 {
			t.Errorf("%s: float32 GaussianNLL = %.7f, want %.7f", tt.name, got, tt.want)
		}
	}
}

func f32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
