package model

import (
	"errors"
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// bceOp is the reconstruction term as one Gorgonia operation:
//
//	bce(l, x) = Σ softplus(l) - x·l,   softplus(l) = max(l, 0) + log(1 + e^-|l|)
//
// over every pixel of the batch. Built from Gorgonia's element-wise ops
// (softplus, product, difference, sum) it takes four passes over the batch
// forward and six backward, each allocating a batch-sized tensor and each
// calling float64 exp or log per pixel; fused, it is one pass each way, in
// float32 for a float32 model (bce_kernel.go). Its gradient with respect to
// the logits is (sigmoid(l) - x) times the incoming gradient (bceGradOp), the
// same as PyTorch's binary_cross_entropy_with_logits.
type bceOp struct{ dtype tensor.Dtype }

// fusedBCE applies bceOp to logits and images of the same shape.
func fusedBCE(logits, x *G.Node) (*G.Node, error) {
	return G.ApplyOp(bceOp{logits.Dtype()}, logits, x)
}

func (op bceOp) Arity() int { return 2 }

func (op bceOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, op.dtype)
}

func (op bceOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("bce: want 2 inputs, have %d", len(inputs))
	}
	l, ok1 := inputs[0].(tensor.Shape)
	x, ok2 := inputs[1].(tensor.Shape)
	if !ok1 || !ok2 || !l.Eq(x) {
		return nil, fmt.Errorf("bce: logits %v and images %v differ in shape", inputs[0], inputs[1])
	}
	return tensor.ScalarShape(), nil
}

func (op bceOp) ReturnsPtr() bool      { return false }
func (op bceOp) CallsExtern() bool     { return false }
func (op bceOp) OverwritesInput() int  { return -1 }
func (op bceOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "bce-from-logits %v", op.dtype) }
func (op bceOp) Hashcode() uint32      { return hashOf(op) }
func (op bceOp) String() string        { return "bce from logits" }

// Formula is what the diagram shows of the operation.
func (op bceOp) Formula() string { return "Σ softplus(l) − x·l" }

func (op bceOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("bce: want 2 inputs, have %d", len(inputs))
	}
	switch l := inputs[0].Data().(type) {
	case []float32:
		x, ok := inputs[1].Data().([]float32)
		if !ok || len(x) != len(l) {
			return nil, errBCEInputs
		}
		return G.NewF32(float32(bceSum32(l, x))), nil
	case []float64:
		x, ok := inputs[1].Data().([]float64)
		if !ok || len(x) != len(l) {
			return nil, errBCEInputs
		}
		return G.NewF64(bceSum64(l, x)), nil
	}
	return nil, fmt.Errorf("bce: unsupported input %T", inputs[0])
}

var errBCEInputs = errors.New("bce: logits and images differ in type or size")

func (op bceOp) DiffWRT(int) []bool { return []bool{true, false} }

func (op bceOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dl, err := G.ApplyOp(bceGradOp{op.dtype}, inputs[0], inputs[1], grad)
	return G.Nodes{dl, nil}, err
}

// bceGradOp is ∂bce/∂l · g = (sigmoid(l) - x) · g for the incoming scalar
// gradient g.
type bceGradOp struct{ dtype tensor.Dtype }

func (op bceGradOp) Arity() int { return 3 }

func (op bceGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, op.dtype, a)
}

func (op bceGradOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	s, ok := inputs[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("bce gradient: input 0 has no shape")
	}
	return s.Clone(), nil
}
func (op bceGradOp) ReturnsPtr() bool      { return false }
func (op bceGradOp) CallsExtern() bool     { return false }
func (op bceGradOp) OverwritesInput() int  { return -1 }
func (op bceGradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "bce-from-logits-grad %v", op.dtype) }
func (op bceGradOp) Hashcode() uint32      { return hashOf(op) }
func (op bceGradOp) String() string        { return "(σ(l) − x)·g" }

func (op bceGradOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 3 {
		return nil, fmt.Errorf("bce gradient: want 3 inputs, have %d", len(inputs))
	}
	out := tensor.New(tensor.Of(inputs[0].Dtype()), tensor.WithShape(inputs[0].Shape().Clone()...))
	switch l := inputs[0].Data().(type) {
	case []float32:
		x, ok1 := inputs[1].Data().([]float32)
		g, ok2 := inputs[2].Data().(float32)
		if !ok1 || !ok2 || len(x) != len(l) {
			return nil, errBCEInputs
		}
		bceGrad32(out.Float32s(), l, x, g)
	case []float64:
		x, ok1 := inputs[1].Data().([]float64)
		g, ok2 := inputs[2].Data().(float64)
		if !ok1 || !ok2 || len(x) != len(l) {
			return nil, errBCEInputs
		}
		bceGrad64(out.Float64s(), l, x, g)
	default:
		return nil, fmt.Errorf("bce gradient: unsupported input %T", inputs[0])
	}
	return out, nil
}

func hashOf(op interface{ WriteHash(hash.Hash) }) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
