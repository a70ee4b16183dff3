package nn

import (
	"math"
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
