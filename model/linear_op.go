package model

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/viterin/vek/vek32"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// linearOp is a fully connected layer, y = x·W + b for a batch x [n × in],
// weights W [in × out] and a bias b [1 × out] added to every row. It makes
// the BLAS call Gorgonia's matrix product makes and then adds b, so its
// values are those of G.Mul followed by the bias; being one op it writes into
// its own output (see output) and its gradients are three more:
//
//	dx = g·Wᵀ (linearGradXOp)   dW = xᵀ·g (linearGradWOp)   db = Σ rows of g (sumRowsOp)
type linearOp struct{ out *output }

// applyLinear applies a linearOp with its own output.
func applyLinear(x, w, b *G.Node) (*G.Node, error) {
	return G.ApplyOp(linearOp{newOutput()}, x, w, b)
}

func (op linearOp) Arity() int { return 3 }

func (op linearOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a, a)
}

func (op linearOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	s, err := matrices("x·W + b", inputs, 3)
	if err != nil {
		return nil, err
	}
	x, w, b := s[0], s[1], s[2]
	if x[1] != w[0] || b[0] != 1 || b[1] != w[1] {
		return nil, fmt.Errorf("x·W + b: want x [n × in], W [in × out], b [1 × out], have %v, %v, %v", x, w, b)
	}
	return tensor.Shape{x[0], w[1]}, nil
}

func (op linearOp) ReturnsPtr() bool      { return false }
func (op linearOp) CallsExtern() bool     { return false }
func (op linearOp) OverwritesInput() int  { return -1 }
func (op linearOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "linear") }
func (op linearOp) Hashcode() uint32      { return hashOf(op) }
func (op linearOp) String() string        { return "x·W + b" }

func (op linearOp) Do(inputs ...G.Value) (G.Value, error) {
	s, err := valueShapes("x·W + b", inputs, 3)
	if err != nil {
		return nil, err
	}
	n, in, out := s[0][0], s[0][1], s[1][1]
	y := op.out.get(inputs[0].Dtype(), tensor.Shape{n, out})
	switch x := inputs[0].Data().(type) {
	case []float32:
		err = affine(y.Float32s(), x, inputs[1].Data(), inputs[2].Data(), n, in, out)
	case []float64:
		err = affine(y.Float64s(), x, inputs[1].Data(), inputs[2].Data(), n, in, out)
	default:
		err = fmt.Errorf("unsupported input %T", inputs[0])
	}
	if err != nil {
		return nil, fmt.Errorf("x·W + b: %w", err)
	}
	return y, nil
}

// affine sets y = x·W + b.
func affine[T float32 | float64](y, x []T, w, b any, n, in, out int) error {
	ws, ok1 := w.([]T)
	bs, ok2 := b.([]T)
	if !ok1 || !ok2 {
		return fmt.Errorf("x, W and b differ in dtype")
	}
	gemm(false, false, n, out, in, 1, x, ws, 0, y)
	addToRows(y, bs)
	return nil
}

// addToRows adds b to every row of y (float32 rows with vek's AVX2 kernel:
// one addition a value either way, so the same results).
func addToRows[T float32 | float64](y, b []T) {
	if y32, ok := any(y).([]float32); ok {
		b32 := any(b).([]float32)
		for i := 0; i < len(y32); i += len(b32) {
			vek32.Add_Inplace(y32[i:i+len(b32)], b32)
		}
		return
	}
	for i := 0; i < len(y); i += len(b) {
		row := y[i : i+len(b)]
		for j, bj := range b {
			row[j] += bj
		}
	}
}

func (op linearOp) DiffWRT(int) []bool { return []bool{true, true, true} }

func (op linearOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	x, w := inputs[0], inputs[1]
	dx, err := G.ApplyOp(linearGradXOp{newOutput()}, grad, w)
	if err != nil {
		return nil, err
	}
	dw, err := G.ApplyOp(linearGradWOp{newOutput()}, x, grad)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(sumRowsOp{newOutput()}, grad)
	return G.Nodes{dx, dw, db}, err
}

// linearGradXOp is g·Wᵀ [n × in]: the gradient g [n × out] of x·W + b passed
// back to x.
type linearGradXOp struct{ out *output }

// linearGradWOp is xᵀ·g [in × out]: the gradient g [n × out] of x·W + b
// passed back to W.
type linearGradWOp struct{ out *output }

func (op linearGradXOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	s, err := matrices("∂(x·W)/∂x", inputs, 2)
	if err != nil {
		return nil, err
	}
	if s[0][1] != s[1][1] {
		return nil, fmt.Errorf("∂(x·W)/∂x: gradient %v and W %v differ in outputs", s[0], s[1])
	}
	return tensor.Shape{s[0][0], s[1][0]}, nil
}

func (op linearGradXOp) Do(inputs ...G.Value) (G.Value, error) {
	s, err := valueShapes("∂(x·W)/∂x", inputs, 2)
	if err != nil {
		return nil, err
	}
	n, out, in := s[0][0], s[0][1], s[1][0]
	dx := op.out.get(inputs[0].Dtype(), tensor.Shape{n, in})
	return dx, matProduct("∂(x·W)/∂x", dx, inputs[0], inputs[1], false, true, n, in, out)
}

func (op linearGradWOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	s, err := matrices("∂(x·W)/∂W", inputs, 2)
	if err != nil {
		return nil, err
	}
	if s[0][0] != s[1][0] {
		return nil, fmt.Errorf("∂(x·W)/∂W: x %v and gradient %v differ in rows", s[0], s[1])
	}
	return tensor.Shape{s[0][1], s[1][1]}, nil
}

func (op linearGradWOp) Do(inputs ...G.Value) (G.Value, error) {
	s, err := valueShapes("∂(x·W)/∂W", inputs, 2)
	if err != nil {
		return nil, err
	}
	n, in, out := s[0][0], s[0][1], s[1][1]
	dw := op.out.get(inputs[0].Dtype(), tensor.Shape{in, out})
	return dw, matProduct("∂(x·W)/∂W", dw, inputs[0], inputs[1], true, false, in, out, n)
}

// matProduct sets c = op(a)·op(b), m × n with k terms each.
func matProduct(name string, c *tensor.Dense, a, b G.Value, tA, tB bool, m, n, k int) error {
	switch as := a.Data().(type) {
	case []float32:
		if bs, ok := b.Data().([]float32); ok {
			gemm(tA, tB, m, n, k, 1, as, bs, 0, c.Float32s())
			return nil
		}
	case []float64:
		if bs, ok := b.Data().([]float64); ok {
			gemm(tA, tB, m, n, k, 1, as, bs, 0, c.Float64s())
			return nil
		}
	}
	return fmt.Errorf("%s: unsupported inputs %T and %T", name, a, b)
}

func (op linearGradXOp) Arity() int            { return 2 }
func (op linearGradXOp) Type() hm.Type         { return binaryType() }
func (op linearGradXOp) ReturnsPtr() bool      { return false }
func (op linearGradXOp) CallsExtern() bool     { return false }
func (op linearGradXOp) OverwritesInput() int  { return -1 }
func (op linearGradXOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "linear dx") }
func (op linearGradXOp) Hashcode() uint32      { return hashOf(op) }
func (op linearGradXOp) String() string        { return "g·Wᵀ" }
func (op linearGradXOp) DiffWRT(int) []bool    { return []bool{false, false} }
func (op linearGradXOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("∂(x·W)/∂x: no second derivative")
}

func (op linearGradWOp) Arity() int            { return 2 }
func (op linearGradWOp) Type() hm.Type         { return binaryType() }
func (op linearGradWOp) ReturnsPtr() bool      { return false }
func (op linearGradWOp) CallsExtern() bool     { return false }
func (op linearGradWOp) OverwritesInput() int  { return -1 }
func (op linearGradWOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "linear dW") }
func (op linearGradWOp) Hashcode() uint32      { return hashOf(op) }
func (op linearGradWOp) String() string        { return "xᵀ·g" }
func (op linearGradWOp) DiffWRT(int) []bool    { return []bool{false, false} }
func (op linearGradWOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("∂(x·W)/∂W: no second derivative")
}

func binaryType() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

// matrices checks that an op has n inputs, each a matrix, and returns their shapes.
func matrices(op string, inputs []G.DimSizer, n int) ([]tensor.Shape, error) {
	if len(inputs) != n {
		return nil, fmt.Errorf("%s: want %d inputs, have %d", op, n, len(inputs))
	}
	out := make([]tensor.Shape, n)
	for i, in := range inputs {
		s, ok := in.(tensor.Shape)
		if !ok || len(s) != 2 {
			return nil, fmt.Errorf("%s: input %d is %v, not a matrix", op, i, in)
		}
		out[i] = s
	}
	return out, nil
}

// valueShapes is matrices for the values an op runs on.
func valueShapes(op string, inputs []G.Value, n int) ([]tensor.Shape, error) {
	sizers := make([]G.DimSizer, len(inputs))
	for i, v := range inputs {
		sizers[i] = v.Shape()
	}
	return matrices(op, sizers, n)
}
