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

// A fully connected layer is y = x·W + b, with W of shape [in, out] and b
// of shape [1, out]; a convolution has W [out, in, k, k] and a transposed
// one W [in, out, k, k], PyTorch's layouts, with b of shape [out].

// Layers are the model's layers, one T each: the weights of a Params
// (Layer), their specs (layerSpec), or their nodes in one graph (layerNodes).
// The conv layers are the conv model's only (Config.Arch conv).
type Layers[T any] struct {
	Conv1, Conv2     T // x → 32 → 64 channels, each halving the side (encoder)
	Fc1              T // x (or the conv features) → h (encoder)
	Fc1b             T // h → h, the encoder's second hidden layer (Config.Depth 2)
	Fc21             T // h → mu
	Fc22             T // h → logvar (a VAE's only)
	Fc5              T // z1 → h2, q(z2|z1) (Config.Stochastic 2)
	Fc5b             T // h2 → h2, its second hidden layer (Depth 2)
	Fc61             T // h2 → mu2
	Fc62             T // h2 → logvar2
	Fc7              T // z2 → h2, the prior p(z1|z2)
	Fc7b             T // h2 → h2, its second hidden layer (Depth 2)
	Fc81             T // h2 → the prior's mean of z1
	Fc82             T // h2 → the prior's log-variance of z1
	Fc3              T // z → h (decoder)
	Fc3b             T // h → h, the decoder's second hidden layer (Config.Depth 2)
	Fc4              T // h → logits (or the features deconv1 reads)
	Deconv1, Deconv2 T // 64 → 32 → C channels, each doubling it (decoder)
}

// named is one layer of a Layers with its name.
type named[T any] struct {
	name string
	at   *T
}

// list is the one list of the layers a model of sizes s has, with their
// names, in the order of the diagram and of Params.All: the conv model's
// convolutions, the fully connected layers (fc1, [fc1b,] fc21, fc22, fc3,
// [fc3b,] fc4; no fc22 for an autoencoder), its transposed convolutions.
func (l *Layers[T]) list(s Config) []named[T] {
	fc := []named[T]{{"fc1", &l.Fc1}}
	if s.deep() {
		fc = append(fc, named[T]{"fc1b", &l.Fc1b})
	}
	fc = append(fc, named[T]{"fc21", &l.Fc21})
	if !s.Autoencoder { // the logvar head
		fc = append(fc, named[T]{"fc22", &l.Fc22})
	}
	if s.TwoLayers() {
		fc = append(fc, l.top(s)...)
	}
	fc = append(fc, named[T]{"fc3", &l.Fc3})
	if s.deep() {
		fc = append(fc, named[T]{"fc3b", &l.Fc3b})
	}
	fc = append(fc, named[T]{"fc4", &l.Fc4})
	if !s.Conv() {
		return fc
	}
	return slices.Concat([]named[T]{{"conv1", &l.Conv1}, {"conv2", &l.Conv2}}, fc, []named[T]{{"deconv1", &l.Deconv1}, {"deconv2", &l.Deconv2}})
}

// top lists the second stochastic layer's networks: q(z2|z1) (fc5, [fc5b,]
// fc61, fc62), then p(z1|z2) (fc7, [fc7b,] fc81, fc82).
func (l *Layers[T]) top(s Config) []named[T] {
	net := func(in, b, mu, logvar string, w, wb, m, lv *T) []named[T] {
		out := []named[T]{{in, w}}
		if s.deep() {
			out = append(out, named[T]{b, wb})
		}
		return append(out, named[T]{mu, m}, named[T]{logvar, lv})
	}
	return slices.Concat(net("fc5", "fc5b", "fc61", "fc62", &l.Fc5, &l.Fc5b, &l.Fc61, &l.Fc62),
		net("fc7", "fc7b", "fc81", "fc82", &l.Fc7, &l.Fc7b, &l.Fc81, &l.Fc82))
}

// Params are the weights of the layers. They are plain tensors, shared by
// every graph built from them.
type Params struct {
	Config        Config
	Layers[Layer] // the conv layers' tensors are nil for the MLP

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
func NewParams(s Config, dt tensor.Dtype, rng *rand.Rand) (*Params, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("dtype %v: only float32 and float64 are supported", dt)
	}
	p := &Params{Config: s}
	specs := layerSpecs(s)
	spec := specs.list(s)
	for i, l := range p.list(s) {
		*l.at = newLayer(*spec[i].at, dt, rng)
	}
	if s.Gaussian() {
		p.LogScale = tensor.New(tensor.Of(dt), tensor.WithShape(1, s.Input))
	}
	return p, nil
}

// layerSpec is the shapes of one layer's weights and bias, and its fan-in.
type layerSpec struct {
	w, b  []int
	fanIn int
}

// layerSpecs are the shapes of the layers of a model of sizes s.
func layerSpecs(s Config) Layers[layerSpec] {
	conv := func(c nn.ConvSpec) layerSpec {
		k := c.Kernel * c.Kernel
		if c.Transposed { // PyTorch's fan-in of ConvTranspose2d: weight.size(1)·k·k
			return layerSpec{[]int{c.In, c.Out, c.Kernel, c.Kernel}, []int{c.Out}, c.Out * k}
		}
		return layerSpec{[]int{c.Out, c.In, c.Kernel, c.Kernel}, []int{c.Out}, c.In * k}
	}
	specs := Layers[layerSpec]{
		Fc1:  linearSpec(s.features()+s.Classes, s.Hidden),
		Fc1b: linearSpec(s.Hidden, s.Hidden),
		Fc21: linearSpec(s.Hidden, s.Latent),
		Fc22: linearSpec(s.Hidden, s.Latent),
		Fc3:  linearSpec(s.Latent+s.Classes, s.Hidden),
		Fc3b: linearSpec(s.Hidden, s.Hidden),
		Fc4:  linearSpec(s.Hidden, s.features()),
		Fc5:  linearSpec(s.Latent, s.Hidden2),
		Fc5b: linearSpec(s.Hidden2, s.Hidden2),
		Fc61: linearSpec(s.Hidden2, s.Latent2),
		Fc62: linearSpec(s.Hidden2, s.Latent2),
		Fc7:  linearSpec(s.Latent2, s.Hidden2),
		Fc7b: linearSpec(s.Hidden2, s.Hidden2),
		Fc81: linearSpec(s.Hidden2, s.Latent),
		Fc82: linearSpec(s.Hidden2, s.Latent),
	}
	if s.Conv() {
		c1, c2, d1, d2 := s.ConvSpecs()
		specs.Conv1, specs.Conv2, specs.Deconv1, specs.Deconv2 = conv(c1), conv(c2), conv(d1), conv(d2)
	}
	return specs
}

// Shape is the name and shape of one weight tensor.
type Shape struct {
	Name  string
	Shape []int
}

// Values is the number of values the tensor holds.
func (s Shape) Values() int { return product(s.Shape) }

// NewShapes lists the name and shape of every weight tensor of a model of the
// given sizes, in the order of Params.All.
func NewShapes(s Config) ([]Shape, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var out []Shape
	specs := layerSpecs(s)
	for _, l := range specs.list(s) {
		out = append(out, Shape{l.name + ".W", l.at.w}, Shape{l.name + ".b", l.at.b})
	}
	if s.Gaussian() {
		out = append(out, Shape{LogScaleName, []int{1, s.Input}})
	}
	return out, nil
}

// ParamsFrom assembles Params from tensors in the order of Params.All, as a
// checkpoint stores them. The tensors are used, not copied.
func ParamsFrom(s Config, tensors []*tensor.Dense) (*Params, error) {
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
	p := &Params{Config: s}
	for i, l := range p.list(s) {
		l.at.W, l.at.B = tensors[2*i], tensors[2*i+1]
	}
	if s.Gaussian() {
		p.LogScale = tensors[len(tensors)-1]
	}
	return p, nil
}

// NewLinear draws the weights of a fully connected layer from
// U(-1/√in, 1/√in), weights then bias, like PyTorch's nn.Linear.
func NewLinear(in, out int, dt tensor.Dtype, rng *rand.Rand) Layer {
	return newLayer(linearSpec(in, out), dt, rng)
}

// linearSpec is the spec of a fully connected layer from in to out values.
func linearSpec(in, out int) layerSpec {
	return layerSpec{[]int{in, out}, []int{1, out}, in}
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
	for _, l := range p.list(p.Config) {
		out = append(out, Named{l.name + ".W", l.at.W}, Named{l.name + ".b", l.at.B})
	}
	if p.LogScale != nil {
		out = append(out, Named{LogScaleName, p.LogScale})
	}
	return out
}

// LogScaleName is the name of a Gaussian decoder's log-scales.
const LogScaleName = "logscale"

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
