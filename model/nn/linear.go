package nn

import (
	"fmt"

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
type linearOp struct {
	base
	out *output
}

// Linear is x·W + b (linearOp), the bias added to every row of x.
func Linear(x, w, b *G.Node) (*G.Node, error) {
	return G.ApplyOp(linearOp{base{"x·W + b", "linear", 3}, newOutput()}, x, w, b)
}

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
	dx, err := G.ApplyOp(linearGradXOp{base{"g·Wᵀ", "linear dx", 2}, newOutput()}, grad, w)
	if err != nil {
		return nil, err
	}
	dw, err := G.ApplyOp(linearGradWOp{base{"xᵀ·g", "linear dW", 2}, newOutput()}, x, grad)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(sumRowsOp{base{"Σ rows", "sum rows", 1}, newOutput()}, grad)
	return G.Nodes{dx, dw, db}, err
}

// linearGradXOp is g·Wᵀ [n × in]: the gradient g [n × out] of x·W + b passed
// back to x.
type linearGradXOp struct {
	base
	out *output
}

// linearGradWOp is xᵀ·g [in × out]: the gradient g [n × out] of x·W + b
// passed back to W.
type linearGradWOp struct {
	base
	out *output
}

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

func (op linearGradXOp) Type() hm.Type      { return binaryType() }
func (op linearGradXOp) DiffWRT(int) []bool { return []bool{false, false} }
func (op linearGradXOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("∂(x·W)/∂x: no second derivative")
}

func (op linearGradWOp) Type() hm.Type      { return binaryType() }
func (op linearGradWOp) DiffWRT(int) []bool { return []bool{false, false} }
func (op linearGradWOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("∂(x·W)/∂W: no second derivative")
}
