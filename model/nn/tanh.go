package nn

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	"github.com/viterin/vek/vek32"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// tanhOp is h = tanh(a) element by element, the hidden layers' activation of
// Burda et al.'s networks: math.Tanh in float64, 2·sigmoid(2a) − 1 through
// sigmoidOp's kernels in float32 (tanh32), neither overflowing. Its gradient
// reads the output (tanhGradOp), one pass back.
type tanhOp struct {
	base
	out *output
}

// Tanh is tanh(a) element by element (tanhOp).
func Tanh(a *G.Node) (*G.Node, error) {
	return G.ApplyOp(tanhOp{base{"tanh", "tanh", 1}, newOutput()}, a)
}

func (op tanhOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op tanhOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if err := sameShapes("tanh", inputs, 1); err != nil {
		return nil, err
	}
	return inputs[0].(tensor.Shape).Clone(), nil
}

// Formula is what the diagram writes beside the node's name.
func (op tanhOp) Formula() string { return "tanh" }

func (op tanhOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("tanh: want 1 input, have %d", len(inputs))
	}
	out := op.out.get(inputs[0].Dtype(), inputs[0].Shape())
	switch a := inputs[0].Data().(type) {
	case []float32:
		tanh32(out.Float32s(), a)
	case []float64:
		o := out.Float64s()
		for i, ai := range a {
			o[i] = math.Tanh(ai)
		}
	default:
		return nil, fmt.Errorf("tanh: unsupported input %T", inputs[0])
	}
	return out, nil
}

func (op tanhOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: dh/da = 1 − h², from the output h.
func (op tanhOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	da, err := G.ApplyOp(tanhGradOp{base{"∂tanh", "tanh gradient", 2}, newOutput()}, grad, output)
	return G.Nodes{da}, err
}

// tanhGradOp is g ⊙ (1 − h²): the gradient g of h = tanh(a) passed back to a.
type tanhGradOp struct {
	base
	out *output
}

func (op tanhGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (op tanhGradOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if err := sameShapes("tanh gradient", inputs, 2); err != nil {
		return nil, err
	}
	return inputs[0].(tensor.Shape).Clone(), nil
}

func (op tanhGradOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("tanh gradient: want 2 inputs, have %d", len(inputs))
	}
	g, h := inputs[0], inputs[1]
	if !g.Shape().Eq(h.Shape()) {
		return nil, fmt.Errorf("tanh gradient: shapes %v and %v differ", g.Shape(), h.Shape())
	}
	t := op.out.get(g.Dtype(), g.Shape())
	switch gs := g.Data().(type) {
	case []float32:
		hs, ok := h.Data().([]float32)
		if !ok {
			return nil, fmt.Errorf("tanh gradient: %v and %v differ", g.Dtype(), h.Dtype())
		}
		tanhSlope(t.Float32s(), gs, hs)
	case []float64:
		hs, ok := h.Data().([]float64)
		if !ok {
			return nil, fmt.Errorf("tanh gradient: %v and %v differ", g.Dtype(), h.Dtype())
		}
		tanhSlope(t.Float64s(), gs, hs)
	default:
		return nil, fmt.Errorf("tanh gradient: unsupported input %T", g)
	}
	return t, nil
}

func (op tanhGradOp) DiffWRT(int) []bool { return []bool{false, false} }

func (op tanhGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("tanh gradient: no second derivative")
}

// tanhSlope sets dst = g ⊙ (1 − h²).
func tanhSlope[T float32 | float64](dst, g, h []T) {
	g, h = g[:len(dst)], h[:len(dst)]
	for i, hi := range h {
		dst[i] = g[i] * (1 - hi*hi)
	}
}

// tanh32 sets h = tanh(a) = 2·sigmoid(2a) − 1, a block at a time through
// sigmoid32's AVX2 kernels and vek's: about 1 ns a value, where a scalar loop
// took 12. Near 0 the subtraction leaves an absolute error of about 1e-7
// (float32's spacing at 1), as (1 − e)/(1 + e) would. NaN stays NaN
// (sigmoid32 keeps it).
func tanh32(h, a []float32) {
	var twice [block]float32
	for lo := 0; lo < len(a); lo += block {
		as := a[lo:min(lo+block, len(a))]
		hs, t := h[lo:lo+len(as)], twice[:len(as)]
		vek32.MulNumber_Into(t, as, 2)
		sigmoid32(hs, t)
		vek32.MulNumber_Inplace(hs, 2)
		vek32.AddNumber_Inplace(hs, -1)
	}
}
