package nn

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// bceRowsOp is bceOp summed over each row alone: for recon s = sigmoid(l),
// logits l and images x, all [n × d], the vector [n] of
//
//	bce_r = Σ_j softplus(l_rj) − x_rj·l_rj = −log p(x_r | z_r)
//
// one value per code, which the importance-weighted bound weighs sample by
// sample. The same kernels as bceOp; its gradient with respect to the logits
// is (s − x)·g_r for the incoming gradient g of the row (bceRowsGradOp).
type bceRowsOp struct {
	base
	dtype tensor.Dtype
	out   *output
}

// BCERows applies bceRowsOp to the recon, the logits and the images.
func BCERows(recon, logits, x *G.Node) (*G.Node, error) {
	dt := logits.Dtype()
	return G.ApplyOp(bceRowsOp{base{"bce of each row", fmt.Sprintf("bce rows %v", dt), 3}, dt, newOutput()}, recon, logits, x)
}

func (op bceRowsOp) Type() hm.Type {
	m, v := G.TensorType{Dims: 2, Of: op.dtype}, G.TensorType{Dims: 1, Of: op.dtype}
	return hm.NewFnType(m, m, m, v)
}

func (op bceRowsOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if err := sameShapes("bce rows", inputs, 3); err != nil {
		return nil, err
	}
	s, err := matrices("bce rows", inputs, 3)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{s[0][0]}, nil
}

// Formula is what the diagram shows of the operation.
func (op bceRowsOp) Formula() string { return "Σ_row softplus(l) − x·l" }

func (op bceRowsOp) Do(inputs ...G.Value) (G.Value, error) {
	s, err := valueShapes("bce rows", inputs, 3)
	if err != nil {
		return nil, err
	}
	n, d := s[0][0], s[0][1]
	out := op.out.get(inputs[0].Dtype(), tensor.Shape{n})
	switch sv := inputs[0].Data().(type) {
	case []float32:
		l, ok1 := inputs[1].Data().([]float32)
		x, ok2 := inputs[2].Data().([]float32)
		if !ok1 || !ok2 || len(l) != len(sv) || len(x) != len(sv) {
			return nil, errBCEInputs
		}
		dst := out.Float32s()
		for r := range n {
			dst[r] = float32(bceSum32(sv[r*d:(r+1)*d], l[r*d:(r+1)*d], x[r*d:(r+1)*d]))
		}
	case []float64:
		l, ok1 := inputs[1].Data().([]float64)
		x, ok2 := inputs[2].Data().([]float64)
		if !ok1 || !ok2 || len(l) != len(sv) || len(x) != len(sv) {
			return nil, errBCEInputs
		}
		dst := out.Float64s()
		for r := range n {
			dst[r] = bceSum64(l[r*d:(r+1)*d], x[r*d:(r+1)*d])
		}
	default:
		return nil, fmt.Errorf("bce rows: unsupported input %T", inputs[0])
	}
	return out, nil
}

// DiffWRT: as bceOp, the whole derivative is given with respect to l.
func (op bceRowsOp) DiffWRT(int) []bool { return []bool{false, true, false} }

func (op bceRowsOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dl, err := G.ApplyOp(bceRowsGradOp{base{"(s − x)·g_row", fmt.Sprintf("bce rows gradient %v", op.dtype), 3}, op.dtype, newOutput()}, inputs[0], inputs[2], grad)
	return G.Nodes{nil, dl, nil}, err
}

// bceRowsGradOp is (s − x)·g_r, row by row, for the recon s = sigmoid(l),
// the images x and the incoming gradient g, one value a row.
type bceRowsGradOp struct {
	base
	dtype tensor.Dtype
	out   *output
}

func (op bceRowsGradOp) Type() hm.Type {
	m, v := G.TensorType{Dims: 2, Of: op.dtype}, G.TensorType{Dims: 1, Of: op.dtype}
	return hm.NewFnType(m, m, v, m)
}

func (op bceRowsGradOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if len(inputs) != 3 {
		return nil, fmt.Errorf("bce rows gradient: want 3 inputs, have %d", len(inputs))
	}
	s, err := matrices("bce rows gradient", inputs[:2], 2)
	if err != nil {
		return nil, err
	}
	return s[0].Clone(), nil
}

func (op bceRowsGradOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 3 || len(inputs[0].Shape()) != 2 {
		return nil, fmt.Errorf("bce rows gradient: want recon, images and a gradient a row")
	}
	n, d := inputs[0].Shape()[0], inputs[0].Shape()[1]
	out := op.out.get(inputs[0].Dtype(), inputs[0].Shape())
	switch s := inputs[0].Data().(type) {
	case []float32:
		x, ok1 := inputs[1].Data().([]float32)
		g, ok2 := inputs[2].Data().([]float32)
		if !ok1 || !ok2 || len(x) != len(s) || len(g) != n {
			return nil, errBCEInputs
		}
		dst := out.Float32s()
		for r := range n {
			bceGrad(dst[r*d:(r+1)*d], s[r*d:(r+1)*d], x[r*d:(r+1)*d], g[r])
		}
	case []float64:
		x, ok1 := inputs[1].Data().([]float64)
		g, ok2 := inputs[2].Data().([]float64)
		if !ok1 || !ok2 || len(x) != len(s) || len(g) != n {
			return nil, errBCEInputs
		}
		dst := out.Float64s()
		for r := range n {
			bceGrad(dst[r*d:(r+1)*d], s[r*d:(r+1)*d], x[r*d:(r+1)*d], g[r])
		}
	default:
		return nil, fmt.Errorf("bce rows gradient: unsupported input %T", inputs[0])
	}
	return out, nil
}

func (op bceRowsGradOp) DiffWRT(int) []bool { return []bool{false, false, false} }

func (op bceRowsGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("bce rows gradient: no second derivative")
}
