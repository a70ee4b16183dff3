package nn

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// reluOp is h = relu(a) element by element, computed as Gorgonia's Rectify
// does, a ⊙ [a ≥ 0], so every value (NaN and the sign of 0 included) is the
// same. Rectify builds it from two nodes, a comparison that allocates a mask
// and a product, and differentiates both; this is one pass forward and one
// back (reluGradOp).
type reluOp struct {
	base
	out *output
}

// ReLU is relu(a) element by element (reluOp).
func ReLU(a *G.Node) (*G.Node, error) {
	return G.ApplyOp(reluOp{base{"ReLU", "relu", 1}, newOutput()}, a)
}

func (op reluOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op reluOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if err := sameShapes("relu", inputs, 1); err != nil {
		return nil, err
	}
	return inputs[0].(tensor.Shape).Clone(), nil
}

// Formula is what the diagram writes beside the node's name.
func (op reluOp) Formula() string { return "ReLU" }

func (op reluOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("relu: want 1 input, have %d", len(inputs))
	}
	return masked("relu", op.out, inputs[0], inputs[0])
}

func (op reluOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: dh/da is 1 where a ≥ 0 and 0 elsewhere.
func (op reluOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	da, err := G.ApplyOp(reluGradOp{base{"∂ReLU", "relu gradient", 2}, newOutput()}, grad, inputs[0])
	return G.Nodes{da}, err
}

// reluGradOp is g ⊙ [a ≥ 0]: the gradient g of relu(a) passed back to a.
type reluGradOp struct {
	base
	out *output
}

func (op reluGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (op reluGradOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if err := sameShapes("relu gradient", inputs, 2); err != nil {
		return nil, err
	}
	return inputs[0].(tensor.Shape).Clone(), nil
}

func (op reluGradOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("relu gradient: want 2 inputs, have %d", len(inputs))
	}
	return masked("relu gradient", op.out, inputs[0], inputs[1])
}

func (op reluGradOp) DiffWRT(int) []bool { return []bool{false, false} }

func (op reluGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("relu gradient: no second derivative")
}

// masked returns v ⊙ [a ≥ 0] for v and a of one shape and dtype, in out.
func masked(name string, out *output, v, a G.Value) (G.Value, error) {
	if !v.Shape().Eq(a.Shape()) {
		return nil, fmt.Errorf("%s: shapes %v and %v differ", name, v.Shape(), a.Shape())
	}
	t := out.get(v.Dtype(), v.Shape())
	switch vs := v.Data().(type) {
	case []float32:
		as, ok := a.Data().([]float32)
		if !ok {
			return nil, fmt.Errorf("%s: %v and %v differ", name, v.Dtype(), a.Dtype())
		}
		maskNegatives32(t.Float32s(), vs, as)
	case []float64:
		as, ok := a.Data().([]float64)
		if !ok {
			return nil, fmt.Errorf("%s: %v and %v differ", name, v.Dtype(), a.Dtype())
		}
		maskNegatives(t.Float64s(), vs, as)
	default:
		return nil, fmt.Errorf("%s: unsupported input %T", name, v)
	}
	return t, nil
}

// maskNegatives sets dst = v ⊙ [a ≥ 0], multiplying by 1 or 0 as Rectify
// does (so a NaN stays NaN and v·0 keeps v's sign).
func maskNegatives[T float32 | float64](dst, v, a []T) {
	v, a = v[:len(dst)], a[:len(dst)]
	for i, ai := range a {
		var m T
		if ai >= 0 {
			m = 1
		}
		dst[i] = v[i] * m
	}
}
