package nn

import (
	"fmt"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// convOp is a 2-D convolution or, Transposed, its transpose (PyTorch's
// Conv2d and ConvTranspose2d), with a bias per output channel, as one
// Gorgonia operation of the images x [n, In, H, W], the weights w (Conv2d:
// [Out, In, K, K]; ConvTranspose2d: [In, Out, K, K]) and the bias [Out].
//
// Both run as im2col or col2im around one matrix product through the BLAS
// Gorgonia uses (conv_kernel.go). The transpose is the convolution's
// gradient with respect to its input, so each direction's backward pass is
// the other's forward: ∂/∂x of a convolution is a transposed convolution of
// the incoming gradient, and the other way round.
type convOp struct {
	base
	spec  ConvSpec
	dtype tensor.Dtype
	out   *output
}

// Conv applies the convolution spec to x with weights w and bias b.
func Conv(spec ConvSpec, x, w, b *G.Node) (*G.Node, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	return G.ApplyOp(newConvOp(spec, x.Dtype()), x, w, b)
}

func newConvOp(spec ConvSpec, dt tensor.Dtype) convOp {
	return convOp{base{spec.String(), fmt.Sprintf("conv %+v %v", spec, dt), 3}, spec, dt, newOutput()}
}

// String names the operation as the diagram does: "conv 4×4 /2".
func (c ConvSpec) String() string {
	name := "conv"
	if c.Transposed {
		name = "conv transpose"
	}
	return fmt.Sprintf("%s %d×%d /%d", name, c.Kernel, c.Kernel, c.Stride)
}

// check rejects a geometry with no output.
func (c ConvSpec) check() error {
	h, w := c.OutSize()
	if c.In < 1 || c.Out < 1 || c.Kernel < 1 || c.Stride < 1 || c.Pad < 0 || c.Height < 1 || c.Width < 1 || h < 1 || w < 1 {
		return fmt.Errorf("convolution %+v: no output (%d×%d)", c, h, w)
	}
	return nil
}

// weightShape is the shape of the weights in PyTorch's layout.
func (c ConvSpec) weightShape() tensor.Shape {
	if c.Transposed {
		return tensor.Shape{c.In, c.Out, c.Kernel, c.Kernel}
	}
	return tensor.Shape{c.Out, c.In, c.Kernel, c.Kernel}
}

// geometry of n images through the convolution.
func (c ConvSpec) geometry(n int) geometry {
	oh, ow := c.OutSize()
	if c.Transposed {
		return geometry{n: n, ic: c.Out, ih: oh, iw: ow, gc: c.In, gh: c.Height, gw: c.Width, k: c.Kernel, s: c.Stride, p: c.Pad}
	}
	return geometry{n: n, ic: c.In, ih: c.Height, iw: c.Width, gc: c.Out, gh: oh, gw: ow, k: c.Kernel, s: c.Stride, p: c.Pad}
}

func (op convOp) Type() hm.Type {
	t4, t1 := G.TensorType{Dims: 4, Of: op.dtype}, G.TensorType{Dims: 1, Of: op.dtype}
	return hm.NewFnType(t4, t4, t1, t4)
}

func (op convOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if len(inputs) != 3 {
		return nil, fmt.Errorf("%v: want 3 inputs, have %d", op, len(inputs))
	}
	x, ok1 := inputs[0].(tensor.Shape)
	w, ok2 := inputs[1].(tensor.Shape)
	b, ok3 := inputs[2].(tensor.Shape)
	c := op.spec
	if !ok1 || !ok2 || !ok3 || len(x) != 4 || x[1] != c.In || x[2] != c.Height || x[3] != c.Width ||
		!w.Eq(c.weightShape()) || b.TotalSize() != c.Out {
		return nil, fmt.Errorf("%v: inputs %v, %v, %v: want [n %d %d %d], %v, [%d]", op, inputs[0], inputs[1], inputs[2],
			c.In, c.Height, c.Width, c.weightShape(), c.Out)
	}
	oh, ow := c.OutSize()
	return tensor.Shape{x[0], c.Out, oh, ow}, nil
}

// convOutput checks the three inputs of a conv op (either direction) and
// returns the output tensor of the shape its InferShape gives.
func convOutput(op interface {
	InferShape(...G.DimSizer) (tensor.Shape, error)
}, out *output, inputs []G.Value) (*tensor.Dense, error) {
	if len(inputs) != 3 {
		return nil, fmt.Errorf("%v: want 3 inputs, have %d", op, len(inputs))
	}
	shape, err := op.InferShape(inputs[0].Shape(), inputs[1].Shape(), inputs[2].Shape())
	if err != nil {
		return nil, err
	}
	return out.get(inputs[0].Dtype(), shape), nil
}

func (op convOp) Do(inputs ...G.Value) (G.Value, error) {
	out, err := convOutput(op, op.out, inputs)
	if err != nil {
		return nil, err
	}
	g := op.spec.geometry(out.Shape()[0])
	switch x := inputs[0].Data().(type) {
	case []float32:
		return out, convForward(op.spec.Transposed, g, x, inputs[1], inputs[2], out.Float32s())
	case []float64:
		return out, convForward(op.spec.Transposed, g, x, inputs[1], inputs[2], out.Float64s())
	}
	return nil, fmt.Errorf("%v: unsupported input %T", op, inputs[0].Data())
}

func convForward[T float32 | float64](transposed bool, g geometry, x []T, wv, bv G.Value, out []T) error {
	w, ok1 := wv.Data().([]T)
	b, ok2 := bv.Data().([]T)
	if !ok1 || !ok2 {
		return fmt.Errorf("conv: weights %T and bias %T differ in type from the images %T", wv.Data(), bv.Data(), x)
	}
	if transposed {
		up(g, x, w, b, out)
	} else {
		down(g, x, w, b, out)
	}
	return nil
}

func (op convOp) DiffWRT(int) []bool { return []bool{true, true, true} }

func (op convOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	out := make(G.Nodes, 3)
	for i := range out {
		var err error
		if out[i], err = G.ApplyOp(convGradOp{base{
			fmt.Sprintf("∂%v/∂%s", op.spec, []string{"x", "W", "b"}[i]),
			fmt.Sprintf("conv gradient %+v %v %d", op.spec, op.dtype, i), 3,
		}, op.spec, op.dtype, i, newOutput()}, inputs[0], inputs[1], grad); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// convGradOp is the gradient of a convOp with respect to its input wrt (0:
// the images, 1: the weights, 2: the bias), of the images, the weights and
// the incoming gradient dy.
type convGradOp struct {
	base
	spec  ConvSpec
	dtype tensor.Dtype
	wrt   int
	out   *output
}

func (op convGradOp) Type() hm.Type {
	t4 := G.TensorType{Dims: 4, Of: op.dtype}
	if op.wrt == 2 {
		return hm.NewFnType(t4, t4, t4, G.TensorType{Dims: 1, Of: op.dtype})
	}
	return hm.NewFnType(t4, t4, t4, t4)
}

func (op convGradOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if len(inputs) != 3 {
		return nil, fmt.Errorf("%v: want 3 inputs, have %d", op, len(inputs))
	}
	switch op.wrt {
	case 0:
		s, ok := inputs[0].(tensor.Shape)
		if !ok {
			return nil, fmt.Errorf("%v: input shape %v", op, inputs[0])
		}
		return s.Clone(), nil
	case 1:
		return op.spec.weightShape(), nil
	}
	return tensor.Shape{op.spec.Out}, nil
}

func (op convGradOp) Do(inputs ...G.Value) (G.Value, error) {
	out, err := convOutput(op, op.out, inputs)
	if err != nil {
		return nil, err
	}
	g := op.spec.geometry(inputs[0].Shape()[0])
	switch x := inputs[0].Data().(type) {
	case []float32:
		return out, convBackward(op, g, x, inputs[1], inputs[2], out.Float32s())
	case []float64:
		return out, convBackward(op, g, x, inputs[1], inputs[2], out.Float64s())
	}
	return nil, fmt.Errorf("%v: unsupported input %T", op, inputs[0].Data())
}

func convBackward[T float32 | float64](op convGradOp, g geometry, x []T, wv, dyv G.Value, out []T) error {
	w, ok1 := wv.Data().([]T)
	dy, ok2 := dyv.Data().([]T)
	if !ok1 || !ok2 {
		return fmt.Errorf("%v: weights %T and gradient %T differ in type from the images %T", op, wv.Data(), dyv.Data(), x)
	}
	// The image side and the grid side, as the direction has them.
	image, grid := x, dy
	if op.spec.Transposed {
		image, grid = dy, x
	}
	switch {
	case op.wrt == 0 && op.spec.Transposed:
		down(g, dy, w, nil, out)
	case op.wrt == 0:
		up(g, dy, w, nil, out)
	case op.wrt == 1:
		weightGrad(g, grid, image, out)
	default:
		oh, ow := op.spec.OutSize()
		channelSums(dy, g.n, op.spec.Out, oh*ow, out)
	}
	return nil
}
