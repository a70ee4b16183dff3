package model

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// addBiasOp is the "+ b" of a linear layer: y[i][j] = a[i][j] + b[0][j] for
// a batch a [n × out] and a bias b [1 × out]. Gorgonia's BroadcastAdd
// builds it from four nodes (reshape, row count, a repeat that copies b
// into a full [n × out] matrix, then +) and differentiates each; this is one
// pass forward. Its gradient passes g through to a unchanged and sums g's
// rows for b.
type addBiasOp struct{}

// addBias applies addBiasOp.
func addBias(a, b *G.Node) (*G.Node, error) { return G.ApplyOp(addBiasOp{}, a, b) }

func (op addBiasOp) Arity() int { return 2 }

func (op addBiasOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (op addBiasOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("+ b: want 2 inputs, have %d", len(inputs))
	}
	a, ok1 := inputs[0].(tensor.Shape)
	b, ok2 := inputs[1].(tensor.Shape)
	if !ok1 || !ok2 || len(a) != 2 || len(b) != 2 || b[0] != 1 || b[1] != a[1] {
		return nil, fmt.Errorf("+ b: want a batch [n × k] and a bias [1 × k], have %v and %v", inputs[0], inputs[1])
	}
	return a.Clone(), nil
}

func (op addBiasOp) ReturnsPtr() bool      { return false }
func (op addBiasOp) CallsExtern() bool     { return false }
func (op addBiasOp) OverwritesInput() int  { return -1 }
func (op addBiasOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "add bias") }
func (op addBiasOp) Hashcode() uint32      { return hashOf(op) }
func (op addBiasOp) String() string        { return "+ b" }

func (op addBiasOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("+ b: want 2 inputs, have %d", len(inputs))
	}
	out := tensor.New(tensor.Of(inputs[0].Dtype()), tensor.WithShape(inputs[0].Shape().Clone()...))
	switch a := inputs[0].Data().(type) {
	case []float32:
		b, ok := inputs[1].Data().([]float32)
		if !ok || len(b) == 0 || len(a)%len(b) != 0 {
			return nil, fmt.Errorf("+ b: batch of %d values and bias %v do not fit", len(a), inputs[1].Shape())
		}
		addRows(out.Float32s(), a, b)
	case []float64:
		b, ok := inputs[1].Data().([]float64)
		if !ok || len(b) == 0 || len(a)%len(b) != 0 {
			return nil, fmt.Errorf("+ b: batch of %d values and bias %v do not fit", len(a), inputs[1].Shape())
		}
		addRows(out.Float64s(), a, b)
	default:
		return nil, fmt.Errorf("+ b: unsupported input %T", inputs[0])
	}
	return out, nil
}

// addRows sets each row of dst to the same row of a plus b.
func addRows[T float32 | float64](dst, a, b []T) {
	for i := 0; i < len(a); i += len(b) {
		d, r := dst[i:i+len(b)], a[i:i+len(b)]
		for j, bj := range b {
			d[j] = r[j] + bj
		}
	}
}

func (op addBiasOp) DiffWRT(int) []bool { return []bool{true, true} }

// SymDiff: ∂y/∂a is the identity, so a's gradient is g itself; b's is the
// sum of g's rows, as a [1 × k] row.
func (op addBiasOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	db, err := G.ApplyOp(sumRowsOp{}, grad)
	return G.Nodes{grad, db}, err
}

// sumRowsOp adds up the rows of a matrix [n × k] into one row [1 × k].
type sumRowsOp struct{}

func (op sumRowsOp) Arity() int { return 1 }

func (op sumRowsOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op sumRowsOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	s, ok := inputs[0].(tensor.Shape)
	if len(inputs) != 1 || !ok || len(s) != 2 {
		return nil, fmt.Errorf("sum of rows: want one matrix, have %v", inputs)
	}
	return tensor.Shape{1, s[1]}, nil
}

func (op sumRowsOp) ReturnsPtr() bool      { return false }
func (op sumRowsOp) CallsExtern() bool     { return false }
func (op sumRowsOp) OverwritesInput() int  { return -1 }
func (op sumRowsOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "sum rows") }
func (op sumRowsOp) Hashcode() uint32      { return hashOf(op) }
func (op sumRowsOp) String() string        { return "Σ rows" }

func (op sumRowsOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 1 || len(inputs[0].Shape()) != 2 {
		return nil, fmt.Errorf("sum of rows: want one matrix")
	}
	k := inputs[0].Shape()[1]
	out := tensor.New(tensor.Of(inputs[0].Dtype()), tensor.WithShape(1, k))
	switch a := inputs[0].Data().(type) {
	case []float32:
		sumRows(out.Float32s(), a)
	case []float64:
		sumRows(out.Float64s(), a)
	default:
		return nil, fmt.Errorf("sum of rows: unsupported input %T", inputs[0])
	}
	return out, nil
}

// sumRows sets dst (zeroed, one row) to the sum of a's rows.
func sumRows[T float32 | float64](dst, a []T) {
	for i := 0; i < len(a); i += len(dst) {
		for j, v := range a[i : i+len(dst)] {
			dst[j] += v
		}
	}
}
