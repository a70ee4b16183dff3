package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// TestTanh checks tanhOp and its gradient against math.Tanh and 1 − tanh²
// in float64, on values across more than one block: tiny ones, large ones
// whose exp is floored, ±0, ±Inf, NaN; float32 within 1.2e-7 + 2e-7·|tanh|
// (float32's spacing at 1 and a few of its rounding errors), float64 exactly.
func TestTanh(t *testing.T) {
	values := []float64{math.Copysign(0, -1), 0, 1e-30, -1e-8, 0.25, -0.25, 0.07, -0.5, 1, 3, -9, 20, -50, math.Inf(1), math.Inf(-1), math.NaN()}
	for i := range 600 {
		values = append(values, float64(i-300)/37)
	}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		out, grad := reluAndGrad(t, dt, values, Tanh)
		for i, a := range values {
			ref, tol, gtol := math.Tanh(a), 0.0, 0.0
			c := []float64{-1.5, 2}[i%2]
			if dt == tensor.Float32 {
				ref = math.Tanh(float64(float32(a)))
				tol, gtol = 1.2e-7+2e-7*math.Abs(ref), 6e-7*math.Abs(c)
			}
			refGrad := c * (1 - ref*ref)
			if math.IsNaN(a) {
				if !math.IsNaN(out[i]) || !math.IsNaN(grad[i]) {
					t.Errorf("%v tanh(NaN) = %v, gradient %v; want NaN, NaN", dt, out[i], grad[i])
				}
				continue
			}
			if math.Abs(out[i]-ref) > tol {
				t.Errorf("%v tanh(%v) = %v, want %v", dt, a, out[i], ref)
			}
			if math.Abs(grad[i]-refGrad) > gtol {
				t.Errorf("%v gradient of %v·tanh(%v) = %v, want %v", dt, c, a, grad[i], refGrad)
			}
		}
	}
}

// BenchmarkTanh is one tanh32 pass over a decoder's hidden layer of an IWAE
// step (batch 128 × k = 5 rows of 200).
func BenchmarkTanh(b *testing.B) {
	a := make([]float32, 640*200)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range a {
		a[i] = float32(rng.NormFloat64())
	}
	h := make([]float32, len(a))
	b.SetBytes(int64(4 * len(a)))
	for b.Loop() {
		tanh32(h, a)
	}
}

// A NaN logit gives a NaN mean, whatever vek's exp makes of it.
func TestSigmoidKeepsNaN(t *testing.T) {
	l := make([]float32, 2*block+3)
	for i := range l {
		l[i] = float32(i%7) - 3
	}
	for _, i := range []int{0, 5, block, 2*block + 2} {
		l[i] = float32(math.NaN())
	}
	s := make([]float32, len(l))
	sigmoid32(s, l)
	for i, li := range l {
		if math.IsNaN(float64(li)) != math.IsNaN(float64(s[i])) {
			t.Errorf("sigmoid(%v) = %v", li, s[i])
		}
	}
}
