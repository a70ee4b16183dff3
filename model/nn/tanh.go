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
// Burda et al.'s networks. A float32 model takes its exps a block at a time
// from vek's AVX2 code, as sigmoidOp does: tanh(a) = sign(a)·(1 − e)/(1 + e)
// with e = exp(−2|a|), which never overflows. Its gradient reads the output
// (tanhGradOp), one pass back.
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
		for i, ai := range a {
			out.Float64s()[i] = math.Tanh(ai)
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

// smallTanh bounds the |a| whose tanh32 is its series to a⁹ (a − a³/3 +
// 2a⁵/15 − 17a⁷/315 + 62a⁹/2835): there the next term is below 1e-8 of
// tanh(a), while 1 − e would lose digits.
const smallTanh = 0.25

// tanh32 sets h = tanh(a), a block at a time: e = exp(−2|a|) (above −87,
// where vek's exp is defined), then h = ±(1 − e)/(1 + e); near 0, the series.
func tanh32(h, a []float32) {
	for lo := 0; lo < len(a); lo += block {
		as := a[lo:min(lo+block, len(a))]
		e := h[lo : lo+len(as)]
		for i, ai := range as {
			e[i] = max(-2*float32(math.Abs(float64(ai))), -87)
		}
		vek32.Exp_Inplace(e)
		for i, ai := range as {
			t := (1 - e[i]) / (1 + e[i])
			if ai < 0 {
				t = -t
			}
			if ai > -smallTanh && ai < smallTanh { // 1 − e would cancel: its series
				a2 := ai * ai
				t = ai * (1 - a2*(1.0/3-a2*(2.0/15-a2*(17.0/315-a2*(62.0/2835)))))
			}
			e[i] = t
		}
	}
}
