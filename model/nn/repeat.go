package nn

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// repeatOp copies each row of a matrix [n × d] k times in a row, giving
// [n·k × d]: row r of the result is row ⌊r/k⌋ of the input. It is how k
// samples of one image meet that image's encoding (mu, logvar) and pixels
// in one batch of n·k rows, so that the decoder runs once for all of them.
// Its gradient adds up each run of k rows (repeatSumOp).
type repeatOp struct {
	base
	k   int
	out *output
}

// Repeat copies each row of a, k times in a row (repeatOp).
func Repeat(a *G.Node, k int) (*G.Node, error) {
	if k < 1 {
		return nil, fmt.Errorf("repeat: k %d, must be at least 1", k)
	}
	return G.ApplyOp(repeatOp{base{fmt.Sprintf("repeat ×%d", k), fmt.Sprintf("repeat %d", k), 1}, k, newOutput()}, a)
}

func (op repeatOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op repeatOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	s, err := matrices("repeat", inputs, 1)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{s[0][0] * op.k, s[0][1]}, nil
}

// Formula is what the diagram writes beside the node's name.
func (op repeatOp) Formula() string { return fmt.Sprintf("each row ×%d", op.k) }

func (op repeatOp) Do(inputs ...G.Value) (G.Value, error) {
	s, err := valueShapes("repeat", inputs, 1)
	if err != nil {
		return nil, err
	}
	t := op.out.get(inputs[0].Dtype(), tensor.Shape{s[0][0] * op.k, s[0][1]})
	switch a := inputs[0].Data().(type) {
	case []float32:
		repeatRows(t.Float32s(), a, s[0][1], op.k)
	case []float64:
		repeatRows(t.Float64s(), a, s[0][1], op.k)
	default:
		return nil, fmt.Errorf("repeat: unsupported input %T", inputs[0])
	}
	return t, nil
}

func (op repeatOp) DiffWRT(int) []bool { return []bool{true} }

func (op repeatOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	da, err := G.ApplyOp(repeatSumOp{base{fmt.Sprintf("Σ of %d rows", op.k), fmt.Sprintf("repeat gradient %d", op.k), 1}, op.k, newOutput()}, grad)
	return G.Nodes{da}, err
}

// repeatSumOp adds up each run of k rows of a matrix [n·k × d] into one,
// giving [n × d]: the gradient of repeatOp.
type repeatSumOp struct {
	base
	k   int
	out *output
}

func (op repeatSumOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op repeatSumOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	s, err := matrices("repeat gradient", inputs, 1)
	if err != nil {
		return nil, err
	}
	if s[0][0]%op.k != 0 {
		return nil, fmt.Errorf("repeat gradient: %d rows are not runs of %d", s[0][0], op.k)
	}
	return tensor.Shape{s[0][0] / op.k, s[0][1]}, nil
}

func (op repeatSumOp) Do(inputs ...G.Value) (G.Value, error) {
	s, err := valueShapes("repeat gradient", inputs, 1)
	if err != nil {
		return nil, err
	}
	if s[0][0]%op.k != 0 {
		return nil, fmt.Errorf("repeat gradient: %d rows are not runs of %d", s[0][0], op.k)
	}
	t := op.out.get(inputs[0].Dtype(), tensor.Shape{s[0][0] / op.k, s[0][1]})
	switch a := inputs[0].Data().(type) {
	case []float32:
		sumRuns(t.Float32s(), a, s[0][1], op.k)
	case []float64:
		sumRuns(t.Float64s(), a, s[0][1], op.k)
	default:
		return nil, fmt.Errorf("repeat gradient: unsupported input %T", inputs[0])
	}
	return t, nil
}

func (op repeatSumOp) DiffWRT(int) []bool { return []bool{false} }

func (op repeatSumOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("repeat gradient: no second derivative")
}

// repeatRows sets dst to the rows of a (each d wide), each k times in a row.
func repeatRows[T float32 | float64](dst, a []T, d, k int) {
	for r := range len(dst) / d {
		copy(dst[r*d:(r+1)*d], a[r/k*d:])
	}
}

// sumRuns sets each row of dst to the sum of its run of k rows of a, added
// in order.
func sumRuns[T float32 | float64](dst, a []T, d, k int) {
	for i := range len(dst) / d {
		row := dst[i*d : (i+1)*d]
		copy(row, a[i*k*d:])
		for r := 1; r < k; r++ {
			for j, v := range a[(i*k+r)*d : (i*k+r+1)*d] {
				row[j] += v
			}
		}
	}
}
