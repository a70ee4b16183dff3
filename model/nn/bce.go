package nn

import (
	"errors"
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// bceOp is the reconstruction term as one Gorgonia operation of the recon
// s = sigmoid(l), the logits l and the images x:
//
//	bce(s, l, x) = Σ softplus(l) - x·l
//
// over every pixel of the batch, which is PyTorch's
// binary_cross_entropy(s, x, reduction="sum") computed without its log(0).
// Built from Gorgonia's element-wise ops (softplus, product, difference,
// sum) it takes four passes over the batch forward and six backward, each
// allocating a batch-sized tensor and calling float64 exp or log per pixel;
// fused, it is one pass each way, and the float32 pass reuses the sigmoid
// (bce_kernel.go). Its gradient with respect to the logits is
// (s - x)·g for the incoming gradient g (bceGradOp), with no exp at all; s
// must therefore be sigmoid(l), which is how the graph builds it.
type bceOp struct {
	base
	dtype tensor.Dtype
}

// BCE applies bceOp to the recon, the logits and the images.
func BCE(recon, logits, x *G.Node) (*G.Node, error) {
	dt := logits.Dtype()
	return G.ApplyOp(bceOp{base{"bce", fmt.Sprintf("bce %v", dt), 3}, dt}, recon, logits, x)
}

func (op bceOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a, op.dtype)
}

func (op bceOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if err := sameShapes("bce", inputs, 3); err != nil {
		return nil, err
	}
	return tensor.ScalarShape(), nil
}

// Formula is what the diagram shows of the operation.
func (op bceOp) Formula() string { return "Σ softplus(l) − x·l" }

func (op bceOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 3 {
		return nil, fmt.Errorf("bce: want 3 inputs, have %d", len(inputs))
	}
	switch s := inputs[0].Data().(type) {
	case []float32:
		l, ok1 := inputs[1].Data().([]float32)
		x, ok2 := inputs[2].Data().([]float32)
		if !ok1 || !ok2 || len(l) != len(s) || len(x) != len(s) {
			return nil, errBCEInputs
		}
		return G.NewF32(float32(bceSum32(s, l, x))), nil
	case []float64:
		l, ok1 := inputs[1].Data().([]float64)
		x, ok2 := inputs[2].Data().([]float64)
		if !ok1 || !ok2 || len(l) != len(s) || len(x) != len(s) {
			return nil, errBCEInputs
		}
		return G.NewF64(bceSum64(l, x)), nil
	}
	return nil, fmt.Errorf("bce: unsupported input %T", inputs[0])
}

var errBCEInputs = errors.New("bce: recon, logits and images differ in type or size")

// DiffWRT: the loss depends on the logits, through s as well; the whole
// derivative is given with respect to l.
func (op bceOp) DiffWRT(int) []bool { return []bool{false, true, false} }

func (op bceOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dl, err := G.ApplyOp(bceGradOp{base{"(s − x)·g", fmt.Sprintf("bce gradient %v", op.dtype), 3}, op.dtype, newOutput()}, inputs[0], inputs[2], grad)
	return G.Nodes{nil, dl, nil}, err
}

// bceGradOp is ∂bce/∂l · g = (s - x)·g for the recon s = sigmoid(l), the
// images x and the incoming scalar gradient g.
type bceGradOp struct {
	base
	dtype tensor.Dtype
	out   *output
}

func (op bceGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, op.dtype, a)
}

func (op bceGradOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if err := sameShapes("bce gradient", inputs[:min(2, len(inputs))], 2); err != nil {
		return nil, err
	}
	return inputs[0].(tensor.Shape).Clone(), nil
}

func (op bceGradOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 3 {
		return nil, fmt.Errorf("bce gradient: want 3 inputs, have %d", len(inputs))
	}
	out := op.out.get(inputs[0].Dtype(), inputs[0].Shape())
	switch s := inputs[0].Data().(type) {
	case []float32:
		x, ok1 := inputs[1].Data().([]float32)
		g, ok2 := inputs[2].Data().(float32)
		if !ok1 || !ok2 || len(x) != len(s) {
			return nil, errBCEInputs
		}
		bceGrad(out.Float32s(), s, x, g)
	case []float64:
		x, ok1 := inputs[1].Data().([]float64)
		g, ok2 := inputs[2].Data().(float64)
		if !ok1 || !ok2 || len(x) != len(s) {
			return nil, errBCEInputs
		}
		bceGrad(out.Float64s(), s, x, g)
	default:
		return nil, fmt.Errorf("bce gradient: unsupported input %T", inputs[0])
	}
	return out, nil
}
