package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/govae/govae/model/nn"

	"gorgonia.org/tensor"
)

// Layer holds one layer's weights W and bias B.
type Layer struct {
	W, B *tensor.Dense
}

// Linear is a fully connected layer: y = x·W + b, with W of shape [in, out]
// and b of shape [1, out].
type Linear = Layer

// Conv is a convolution (W [out, in, k, k]) or a transposed convolution
// (W [in, out, k, k]), PyTorch's layouts, with b of shape [out].
type Conv = Layer

// Params are the weights of the layers. They are plain tensors, shared by
// every graph built from them.
type Params struct {
	Sizes Sizes
	Fc1   Linear // x (or the conv features) → h (encoder)
	Fc21  Linear // h → mu
	Fc22  Linear // h → logvar
	Fc3   Linear // z → h (decoder)
	Fc4   Linear // h → logits (or the features deconv1 reads)

	// The conv model's convolutions (Sizes.Arch conv); nil tensors otherwise.
	Conv1, Conv2     Conv // x → 32 → 64 channels, each halving the side (encoder)
	Deconv1, Deconv2 Conv // 64 → 32 → C channels, each doubling it (decoder)

	// LogScale, [1 × Input], is the log standard deviation of each pixel of
	// a Gaussian decoder (nil for a Bernoulli one). It starts at 0 (σ = 1).
	LogScale *tensor.Dense
}

// Named is one weight tensor with its stable name ("fc1.W", "fc1.b", ...).
type Named struct {
	Name   string
	Tensor *tensor.Dense
}

// NewParams allocates the weights of a VAE of the given sizes and initialises
// them like PyTorch's nn.Linear, Conv2d and ConvTranspose2d defaults: every
// weight and bias of a layer with fan-in n is drawn from U(-1/√n, 1/√n),
// layer by layer in the order of Params.All. rng makes the draw reproducible.
func NewParams(s Sizes, dt tensor.Dtype, rng *rand.Rand) (*Params, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("dtype %v: only float32 and float64 are supported", dt)
	}
	p := &Params{Sizes: s}
	for i, l := range p.layers() {
		*l.Layer = newLayer(layerSpecs(s)[i], dt, rng)
	}
	if s.Gaussian() {
		p.LogScale = tensor.New(tensor.Of(dt), tensor.WithShape(1, s.Input))
	}
	return p, nil
}

// layerSpec is one layer's name, the shapes of its weights and bias, and
// its fan-in.
type layerSpec struct {
	name  string
	w, b  []int
	fanIn int
}

// layerSpecs lists the layers in the order of the diagram (and of
// Params.All): the conv model's convolutions, then the five fully connected
// layers, then its transposed convolutions.
func layerSpecs(s Sizes) []layerSpec {
	linear := linearSpec
	conv := func(name string, c nn.ConvSpec) layerSpec {
		k := c.Kernel * c.Kernel
		if c.Transposed { // PyTorch's fan-in of ConvTranspose2d: weight.size(1)·k·k
			return layerSpec{name, []int{c.In, c.Out, c.Kernel, c.Kernel}, []int{c.Out}, c.Out * k}
		}
		return layerSpec{name, []int{c.Out, c.In, c.Kernel, c.Kernel}, []int{c.Out}, c.In * k}
	}
	fc := []layerSpec{
		linear("fc1", s.features()+s.Classes, s.Hidden),
		linear("fc21", s.Hidden, s.Latent),
		linear("fc22", s.Hidden, s.Latent),
		linear("fc3", s.Latent+s.Classes, s.Hidden),
		linear("fc4", s.Hidden, s.features()),
	}
	if !s.Conv() {
		return fc
	}
	c1, c2, d1, d2 := s.ConvSpecs()
	return slices.Concat([]layerSpec{conv("conv1", c1), conv("conv2", c2)}, fc, []layerSpec{conv("deconv1", d1), conv("deconv2", d2)})
}

// Shape is the name and shape of one weight tensor.
type Shape struct {
	Name  string
	Shape []int
}

// NewShapes lists the name and shape of every weight tensor of a model of the
// given sizes, in the order of Params.All.
func NewShapes(s Sizes) ([]Shape, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var out []Shape
	for _, l := range layerSpecs(s) {
		out = append(out, Shape{l.name + ".W", l.w}, Shape{l.name + ".b", l.b})
	}
	if s.Gaussian() {
		out = append(out, Shape{LogScaleName, []int{1, s.Input}})
	}
	return out, nil
}

// ParamsFrom assembles Params from tensors in the order of Params.All, as a
// checkpoint stores them. The tensors are used, not copied.
func ParamsFrom(s Sizes, tensors []*tensor.Dense) (*Params, error) {
	shapes, err := NewShapes(s)
	if err != nil {
		return nil, err
	}
	if len(tensors) != len(shapes) {
		return nil, fmt.Errorf("have %d weight tensors, a VAE has %d", len(tensors), len(shapes))
	}
	for i, t := range tensors {
		if !slices.Equal([]int(t.Shape()), shapes[i].Shape) {
			return nil, fmt.Errorf("weight %s has shape %v, want %v", shapes[i].Name, t.Shape(), shapes[i].Shape)
		}
	}
	p := &Params{Sizes: s}
	for i, l := range p.layers() {
		l.W, l.B = tensors[2*i], tensors[2*i+1]
	}
	if s.Gaussian() {
		p.LogScale = tensors[len(tensors)-1]
	}
	return p, nil
}

// NewLinear draws the weights of a fully connected layer from
// U(-1/√in, 1/√in), weights then bias, like PyTorch's nn.Linear.
func NewLinear(in, out int, dt tensor.Dtype, rng *rand.Rand) Linear {
	return newLayer(linearSpec("", in, out), dt, rng)
}

// linearSpec is the spec of a fully connected layer from in to out values.
func linearSpec(name string, in, out int) layerSpec {
	return layerSpec{name, []int{in, out}, []int{1, out}, in}
}

// newLayer draws a layer's weights, then its bias, from U(-1/√n, 1/√n) for
// its fan-in n.
func newLayer(spec layerSpec, dt tensor.Dtype, rng *rand.Rand) Layer {
	bound := 1 / math.Sqrt(float64(spec.fanIn))
	uniform := func() float64 { return (2*rng.Float64() - 1) * bound }
	w := filled(dt, uniform, spec.w...)
	return Layer{W: w, B: filled(dt, uniform, spec.b...)}
}

// filled returns a dense tensor of the given shape whose elements come from f,
// in row-major order.
func filled(dt tensor.Dtype, f func() float64, shape ...int) *tensor.Dense {
	t := tensor.New(tensor.Of(dt), tensor.WithShape(shape...))
	switch data := t.Data().(type) {
	case []float32:
		for i := range data {
			data[i] = float32(f())
		}
	case []float64:
		for i := range data {
			data[i] = f()
		}
	}
	return t
}

// All lists every weight tensor in a fixed order with its name. Optimizers and
// checkpoints rely on this order.
func (p *Params) All() []Named {
	var out []Named
	for _, l := range p.layers() {
		out = append(out, Named{l.name + ".W", l.W}, Named{l.name + ".b", l.B})
	}
	if p.LogScale != nil {
		out = append(out, Named{LogScaleName, p.LogScale})
	}
	return out
}

// LogScaleName is the name of a Gaussian decoder's log-scales.
const LogScaleName = "logscale"

type namedLayer struct {
	name string
	*Layer
}

func (p *Params) layers() []namedLayer {
	fc := []namedLayer{
		{"fc1", &p.Fc1}, {"fc21", &p.Fc21}, {"fc22", &p.Fc22}, {"fc3", &p.Fc3}, {"fc4", &p.Fc4},
	}
	if !p.Sizes.Conv() {
		return fc
	}
	return slices.Concat([]namedLayer{{"conv1", &p.Conv1}, {"conv2", &p.Conv2}}, fc, []namedLayer{{"deconv1", &p.Deconv1}, {"deconv2", &p.Deconv2}})
}

// Dtype is the element type of the weights.
func (p *Params) Dtype() tensor.Dtype { return p.Fc1.W.Dtype() }

// Count is the number of scalar weights.
func (p *Params) Count() int {
	n := 0
	for _, t := range p.All() {
		n += t.Tensor.Shape().TotalSize()
	}
	return n
}
