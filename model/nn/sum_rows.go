package nn

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sumRowsOp adds up the rows of a matrix [n × k] into one row [1 × k].
type sumRowsOp struct {
	base
	out *output
}

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

func (op sumRowsOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 1 || len(inputs[0].Shape()) != 2 {
		return nil, fmt.Errorf("sum of rows: want one matrix")
	}
	k := inputs[0].Shape()[1]
	out := op.out.get(inputs[0].Dtype(), tensor.Shape{1, k})
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

// sumRows sets dst (one row) to the sum of a's rows.
func sumRows[T float32 | float64](dst, a []T) {
	clear(dst)
	for i := 0; i < len(a); i += len(dst) {
		for j, v := range a[i : i+len(dst)] {
			dst[j] += v
		}
	}
}
