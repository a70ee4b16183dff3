package nn

import (
	"errors"
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// gaussianOp is the reconstruction term of a Gaussian decoder as one Gorgonia
// operation of the means s = sigmoid(l), the logits l, the images x and the
// per-pixel log-scales c (one row, shared by every image of the batch):
//
//	nll(s, l, x, c) = Σ ½·ln 2π + c_j + ½·(x − s)²·e^(−2·c_j)
//
// over every pixel of the batch: −log N(x; s, e^(2c)), in nats. Like bceOp it
// is differentiated with respect to the logits (through s) and, here, the
// log-scales:
//
//	∂nll/∂l = (s − x)·s·(1 − s)·e^(−2c)     ∂nll/∂c_j = Σ_images 1 − (x − s)²·e^(−2c_j)
type gaussianOp struct {
	base
	dtype tensor.Dtype
}

// GaussianNLL applies gaussianOp to the means, logits, images and log-scales.
func GaussianNLL(recon, logits, x, logScale *G.Node) (*G.Node, error) {
	dt := logits.Dtype()
	return G.ApplyOp(gaussianOp{base{"gaussian", fmt.Sprintf("gaussian %v", dt), 4}, dt}, recon, logits, x, logScale)
}

func (op gaussianOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a, a, op.dtype)
}

func (op gaussianOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if err := gaussianShapes("gaussian", inputs); err != nil {
		return nil, err
	}
	return tensor.ScalarShape(), nil
}

// gaussianShapes checks three inputs of one shape [n × d] and then a [1 × d] row.
func gaussianShapes(op string, inputs []G.DimSizer) error {
	if len(inputs) != 4 {
		return fmt.Errorf("%s: want 4 inputs, have %d", op, len(inputs))
	}
	if err := sameShapes(op, inputs[:3], 3); err != nil {
		return err
	}
	s, _ := inputs[0].(tensor.Shape)
	c, ok := inputs[3].(tensor.Shape)
	if !ok || len(s) != 2 || len(c) != 2 || c[0] != 1 || c[1] != s[1] {
		return fmt.Errorf("%s: log-scales of shape %v for images of shape %v: want [1 %d]", op, inputs[3], s, s[len(s)-1])
	}
	return nil
}

// Formula is what the diagram shows of the operation.
func (op gaussianOp) Formula() string { return "Σ ½ln2π + c + ½(x − s)²e^(−2c)" }

func (op gaussianOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 4 {
		return nil, fmt.Errorf("gaussian: want 4 inputs, have %d", len(inputs))
	}
	switch s := inputs[0].Data().(type) {
	case []float32:
		x, c, err := gaussianData[float32](inputs, len(s))
		if err != nil {
			return nil, err
		}
		return G.NewF32(float32(gaussianNLL(s, x, c))), nil
	case []float64:
		x, c, err := gaussianData[float64](inputs, len(s))
		if err != nil {
			return nil, err
		}
		return G.NewF64(gaussianNLL(s, x, c)), nil
	}
	return nil, fmt.Errorf("gaussian: unsupported input %T", inputs[0])
}

var errGaussianInputs = errors.New("gaussian: means, images and log-scales differ in type or size")

// gaussianData reads the images and log-scales of inputs [s, l or x, x, c].
func gaussianData[T float32 | float64](inputs []G.Value, n int) (x, c []T, err error) {
	x, ok1 := inputs[2].Data().([]T)
	c, ok2 := inputs[3].Data().([]T)
	if !ok1 || !ok2 || len(x) != n || len(c) == 0 || n%len(c) != 0 {
		return nil, nil, errGaussianInputs
	}
	return x, c, nil
}

// halfLog2Pi is ½·ln 2π, the constant of each pixel's Gaussian NLL.
var halfLog2Pi = 0.5 * math.Log(2*math.Pi)

// gaussianNLL is −log N(x; s, e^(2c)) summed over the rows of s and x (each
// of len(c) pixels), in nats; c holds one log-scale per pixel.
func gaussianNLL[T float32 | float64](s, x, c []T) float64 {
	d := len(c)
	inv := make([]float64, d) // e^(−2c)
	var constant float64
	for j, v := range c {
		inv[j] = math.Exp(-2 * float64(v))
		constant += halfLog2Pi + float64(v)
	}
	sum := constant * float64(len(s)/d)
	for i := 0; i < len(s); i += d {
		var row float64
		for j := range d {
			diff := float64(x[i+j]) - float64(s[i+j])
			row += diff * diff * inv[j]
		}
		sum += 0.5 * row
	}
	return sum
}

// DiffWRT: the loss depends on the logits (through s) and the log-scales.
func (op gaussianOp) DiffWRT(int) []bool { return []bool{false, true, false, true} }

func (op gaussianOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dl, err := G.ApplyOp(newGaussianGradOp(op.dtype, false), inputs[0], inputs[2], inputs[3], grad)
	if err != nil {
		return nil, err
	}
	dc, err := G.ApplyOp(newGaussianGradOp(op.dtype, true), inputs[0], inputs[2], inputs[3], grad)
	return G.Nodes{nil, dl, nil, dc}, err
}

// gaussianGradOp is g·∂nll/∂l (scale false) or g·∂nll/∂c (scale true) for
// the means s, the images x, the log-scales c and the incoming gradient g.
type gaussianGradOp struct {
	base
	dtype tensor.Dtype
	scale bool
	out   *output
}

func newGaussianGradOp(dt tensor.Dtype, scale bool) gaussianGradOp {
	name := "(s − x)s(1 − s)e^(−2c)·g"
	if scale {
		name = "Σ 1 − (x − s)²e^(−2c)·g"
	}
	return gaussianGradOp{base{name, fmt.Sprintf("gaussian gradient %v %v", dt, scale), 4}, dt, scale, newOutput()}
}

func (op gaussianGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a, op.dtype, a)
}

func (op gaussianGradOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if len(inputs) != 4 {
		return nil, fmt.Errorf("%v: want 4 inputs, have %d", op, len(inputs))
	}
	shape := inputs[0]
	if op.scale {
		shape = inputs[2]
	}
	s, ok := shape.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%v: input shape %v", op, shape)
	}
	return s.Clone(), nil
}

func (op gaussianGradOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 4 {
		return nil, fmt.Errorf("%v: want 4 inputs, have %d", op, len(inputs))
	}
	shape := inputs[0].Shape()
	if op.scale {
		shape = inputs[2].Shape()
	}
	out := op.out.get(inputs[0].Dtype(), shape)
	switch s := inputs[0].Data().(type) {
	case []float32:
		return out, gaussianGrad(op.scale, out.Float32s(), s, inputs)
	case []float64:
		return out, gaussianGrad(op.scale, out.Float64s(), s, inputs)
	}
	return nil, fmt.Errorf("%v: unsupported input %T", op, inputs[0])
}

// gaussianGrad writes one of the two gradients into dst.
func gaussianGrad[T float32 | float64](scale bool, dst, s []T, inputs []G.Value) error {
	x, ok1 := inputs[1].Data().([]T)
	c, ok2 := inputs[2].Data().([]T)
	g, ok3 := inputs[3].Data().(T)
	if !ok1 || !ok2 || !ok3 || len(x) != len(s) || len(c) == 0 || len(s)%len(c) != 0 {
		return errGaussianInputs
	}
	d := len(c)
	inv := make([]T, d)
	for j, v := range c {
		inv[j] = T(math.Exp(-2 * float64(v)))
	}
	if scale {
		clear(dst)
		for i := 0; i < len(s); i += d {
			for j := range d {
				diff := x[i+j] - s[i+j]
				dst[j] += 1 - diff*diff*inv[j]
			}
		}
		for j := range dst {
			dst[j] *= g
		}
		return nil
	}
	for i := 0; i < len(s); i += d {
		for j := range d {
			si := s[i+j]
			dst[i+j] = g * (si - x[i+j]) * si * (1 - si) * inv[j]
		}
	}
	return nil
}

// GaussianLogLikelihoods writes log N(x; sigmoid(l), e^(2c)) of the image x
// (one row of len(x) values) under each row of logits l into dst, one row
// per element of dst: BernoulliLogLikelihoods for a Gaussian decoder of log-scales c.
func GaussianLogLikelihoods(dst []float64, logits, x, logScale []float32) {
	s := make([]float32, len(x))
	for i := range dst {
		sigmoid32(s, logits[i*len(x):(i+1)*len(x)])
		dst[i] = -gaussianNLL(s, x, logScale)
	}
}
