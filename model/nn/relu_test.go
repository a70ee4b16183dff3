package nn

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestReLUIsRectify runs reluOp and Gorgonia's Rectify on the same values,
// signed zeros, NaN and infinities among them, and checks the outputs and
// the gradients of Σ relu(a) ⊙ c bit for bit, in float32 and float64.
func TestReLUIsRectify(t *testing.T) {
	values := []float64{-2.5, -1e-30, math.Copysign(0, -1), 0, 1e-30, 3, math.Inf(1), math.Inf(-1), math.NaN(), -7}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		ours, ourGrad := reluAndGrad(t, dt, values, ReLU)
		theirs, theirGrad := reluAndGrad(t, dt, values, G.Rectify)
		for i, v := range values {
			if bits(ours[i]) != bits(theirs[i]) || bits(ourGrad[i]) != bits(theirGrad[i]) {
				t.Errorf("%v relu(%v): ours %v (gradient %v), Rectify %v (gradient %v)", dt, v, ours[i], ourGrad[i], theirs[i], theirGrad[i])
			}
		}
	}
}

// reluAndGrad returns relu(a) and d Σ relu(a) ⊙ c / da, with c = -1.5 and 2
// in turn (gradients of both signs reach the mask).
func reluAndGrad(t *testing.T, dt tensor.Dtype, values []float64, relu func(*G.Node) (*G.Node, error)) (out, grad []float64) {
	t.Helper()
	g := G.NewGraph()
	n := len(values)
	a := G.NewVector(g, dt, G.WithShape(n), G.WithName("a"), G.WithValue(vector(dt, values)))
	cs := make([]float64, n)
	for i := range cs {
		cs[i] = []float64{-1.5, 2}[i%2]
	}
	c := G.NewVector(g, dt, G.WithShape(n), G.WithName("c"), G.WithValue(vector(dt, cs)))
	h, err := relu(a)
	if err != nil {
		t.Fatal(err)
	}
	prod, err := G.HadamardProd(h, c)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := G.Sum(prod)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(loss, a)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	return floats(h.Value()), floats(grads[0].Value())
}

func vector(dt tensor.Dtype, v []float64) *tensor.Dense {
	if dt == tensor.Float32 {
		return tensor.New(tensor.WithBacking(to32(v)))
	}
	return tensor.New(tensor.WithBacking(append([]float64(nil), v...)))
}

func floats(v G.Value) []float64 {
	if f, ok := v.Data().([]float32); ok {
		return to64(f)
	}
	return v.Data().([]float64)
}

// bits tells apart every float64, the sign of 0 included; all NaNs are one.
func bits(v float64) uint64 {
	if math.IsNaN(v) {
		return math.Float64bits(math.NaN())
	}
	return math.Float64bits(v)
}
