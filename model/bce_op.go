package model

import (
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	"github.com/govae/govae/internal/parallel"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// bceOp is the reconstruction term as one Gorgonia operation:
//
//	bce(l, x) = Σ softplus(l) - x·l,   softplus(l) = max(l, 0) + log(1 + e^-|l|)
//
// over every pixel of the batch. Built from Gorgonia's element-wise ops it
// takes four passes over the batch forward and six backward, each allocating
// a batch-sized tensor and running on one core; fused, it is one pass each
// way, shared between the cores. Its gradient with respect to the logits is
// (sigmoid(l) - x) times the incoming gradient (bceGradOp).
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

func (op bceOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return tensor.ScalarShape(), nil }
func (op bceOp) ReturnsPtr() bool                               { return false }
func (op bceOp) CallsExtern() bool                              { return false }
func (op bceOp) OverwritesInput() int                           { return -1 }
func (op bceOp) WriteHash(h hash.Hash)                          { fmt.Fprintf(h, "bce-from-logits %v", op.dtype) }
func (op bceOp) Hashcode() uint32                               { return hashOf(op) }
func (op bceOp) String() string                                 { return "Σ softplus(l) − x·l" }

func (op bceOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("bce: want 2 inputs, have %d", len(inputs))
	}
	switch l := inputs[0].Data().(type) {
	case []float32:
		x, ok := inputs[1].Data().([]float32)
		if !ok || len(x) != len(l) {
			return nil, fmt.Errorf("bce: logits and images differ in type or size")
		}
		return G.NewF32(float32(parallel.Sum(len(l), func(lo, hi int) (s float64) {
			for i := lo; i < hi; i++ {
				s += bceTerm(float64(l[i]), float64(x[i]))
			}
			return s
		}))), nil
	case []float64:
		x, ok := inputs[1].Data().([]float64)
		if !ok || len(x) != len(l) {
			return nil, fmt.Errorf("bce: logits and images differ in type or size")
		}
		return G.NewF64(parallel.Sum(len(l), func(lo, hi int) (s float64) {
			for i := lo; i < hi; i++ {
				s += bceTerm(l[i], x[i])
			}
			return s
		})), nil
	}
	return nil, fmt.Errorf("bce: unsupported input %T", inputs[0])
}

// bceTerm is one pixel's softplus(l) - x·l.
func bceTerm(l, x float64) float64 {
	return max(l, 0) + math.Log1p(math.Exp(-math.Abs(l))) - x*l
}

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
		x, _ := inputs[1].Data().([]float32)
		g, _ := inputs[2].Data().(float32)
		dst := out.Float32s()
		parallel.Ranges(len(l), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				dst[i] = float32((sigmoid(float64(l[i])) - float64(x[i])) * float64(g))
			}
		})
	case []float64:
		x, _ := inputs[1].Data().([]float64)
		g, _ := inputs[2].Data().(float64)
		dst := out.Float64s()
		parallel.Ranges(len(l), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				dst[i] = (sigmoid(l[i]) - x[i]) * g
			}
		})
	default:
		return nil, fmt.Errorf("bce gradient: unsupported input %T", inputs[0])
	}
	return out, nil
}

// sigmoid is 1/(1+e^-l), computed without overflow for either sign.
func sigmoid(l float64) float64 {
	if l >= 0 {
		return 1 / (1 + math.Exp(-l))
	}
	e := math.Exp(l)
	return e / (1 + e)
}

func hashOf(op interface{ WriteHash(hash.Hash) }) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
