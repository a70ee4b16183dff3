package nn

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sigmoidOp is the decoder's last step, s = 1/(1 + e^-l) element by element.
// Gorgonia's own Sigmoid calls float64 math.Exp per value; this one takes a
// float32 model's exps a block at a time from vek's AVX2 code (sigmoid32),
// and never overflows for either sign of l.
type sigmoidOp struct {
	base
	dtype tensor.Dtype
	out   *output
}

// Sigmoid applies sigmoidOp to a.
func Sigmoid(a *G.Node) (*G.Node, error) {
	dt := a.Dtype()
	return G.ApplyOp(sigmoidOp{base{"sigmoid", fmt.Sprintf("sigmoid %v", dt), 1}, dt, newOutput()}, a)
}

func (op sigmoidOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op sigmoidOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	s, ok := inputs[0].(tensor.Shape)
	if len(inputs) != 1 || !ok {
		return nil, fmt.Errorf("sigmoid: want one input with a shape, have %v", inputs)
	}
	return s.Clone(), nil
}

func (op sigmoidOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("sigmoid: want 1 input, have %d", len(inputs))
	}
	out := op.out.get(inputs[0].Dtype(), inputs[0].Shape())
	switch l := inputs[0].Data().(type) {
	case []float32:
		sigmoid32(out.Float32s(), l)
	case []float64:
		sigmoid64(out.Float64s(), l)
	default:
		return nil, fmt.Errorf("sigmoid: unsupported input %T", inputs[0])
	}
	return out, nil
}

func (op sigmoidOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: ds/dl = s·(1 - s). Training never takes this path (the loss
// differentiates the logits directly), but decoding a gradient through the
// recon, as a user's own loss might, does.
func (op sigmoidOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	var one any = 1.0
	if op.dtype == tensor.Float32 {
		one = float32(1)
	}
	oneMinus, err := G.Sub(G.NewConstant(one), output)
	if err != nil {
		return nil, err
	}
	slope, err := G.HadamardProd(output, oneMinus)
	if err != nil {
		return nil, err
	}
	dl, err := G.HadamardProd(grad, slope)
	return G.Nodes{dl}, err
}
