package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gorgonia.org/tensor"
)

// Sizes are the widths of the VAE's layers.
type Sizes struct {
	Input  int // pixels per image (784 for MNIST)
	Hidden int // width of fc1 and fc3 (400)
	Latent int // dimension of z (20)

	// Classes, when above 0, makes the VAE conditional (Sohn et al. 2015): a
	// one-hot label of this many classes joins x at fc1 and z at fc3.
	Classes int

	// Channels is 3 for colour images, whose Input values are the red plane,
	// then the green, then the blue (PyTorch's C×H×W); 0 for grey ones.
	Channels int

	// Likelihood is the decoder's distribution of a pixel given z: Bernoulli
	// ("", the default) or Gaussian, N(sigmoid(logits), e^(2c)) with a
	// learned log-scale c per pixel (Params.LogScale).
	Likelihood Likelihood
}

// Likelihood names a decoder's distribution of the pixels.
type Likelihood string

const (
	Bernoulli Likelihood = ""         // p(x|z) = Π Bernoulli(x; sigmoid(logits))
	Gaussian  Likelihood = "gaussian" // p(x|z) = Π N(x; sigmoid(logits), e^(2c))
)

// String describes the sizes: "784→400→20, 10 classes, colour, gaussian".
func (s Sizes) String() string {
	out := fmt.Sprintf("%d→%d→%d", s.Input, s.Hidden, s.Latent)
	if s.Classes > 0 {
		out += fmt.Sprintf(", %d classes", s.Classes)
	}
	if s.Channels == 3 {
		out += ", colour"
	}
	if s.Gaussian() {
		out += ", gaussian"
	}
	return out
}

// Gaussian tells whether the decoder is Gaussian.
func (s Sizes) Gaussian() bool { return s.Likelihood == Gaussian }

// Conditional tells whether the model takes a label.
func (s Sizes) Conditional() bool { return s.Classes > 0 }

// Validate reports a size that cannot build a graph.
func (s Sizes) Validate() error {
	switch {
	case s.Input < 1:
		return fmt.Errorf("input size %d: must be at least 1", s.Input)
	case s.Hidden < 1:
		return fmt.Errorf("hidden size %d: must be at least 1", s.Hidden)
	case s.Latent < 1:
		return fmt.Errorf("latent size %d: must be at least 1", s.Latent)
	case s.Classes < 0:
		return fmt.Errorf("classes %d: must be 0 (unconditional) or more", s.Classes)
	case s.Channels != 0 && s.Channels != 3:
		return fmt.Errorf("channels %d: must be 0 (grey) or 3 (colour)", s.Channels)
	case s.Likelihood != Bernoulli && s.Likelihood != Gaussian:
		return fmt.Errorf("likelihood %q: must be bernoulli or gaussian", s.Likelihood)
	case s.Channels == 3 && s.Input%3 != 0:
		return fmt.Errorf("input size %d: a colour image's must be a multiple of 3", s.Input)
	}
	return nil
}

// Linear holds one fully connected layer: y = x·W + b, with W of shape
// [in, out] and b of shape [1, out].
type Linear struct {
	W, B *tensor.Dense
}

// Params are the weights of the five layers. They are plain tensors, shared by
// every graph built from them.
type Params struct {
	Sizes Sizes
	Fc1   Linear // x → h (encoder)
	Fc21  Linear // h → mu
	Fc22  Linear // h → logvar
	Fc3   Linear // z → h (decoder)
	Fc4   Linear // h → logits

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
// them like PyTorch's nn.Linear default: every weight and bias of a layer with
// fan-in n is drawn from U(-1/√n, 1/√n). rng makes the draw reproducible.
func NewParams(s Sizes, dt tensor.Dtype, rng *rand.Rand) (*Params, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("dtype %v: only float32 and float64 are supported", dt)
	}
	p := &Params{Sizes: s}
	for i, l := range p.layers() {
		spec := layerSpecs(s)[i]
		*l.Linear = NewLinear(spec.in, spec.out, dt, rng)
	}
	if s.Gaussian() {
		p.LogScale = tensor.New(tensor.Of(dt), tensor.WithShape(1, s.Input))
	}
	return p, nil
}

// layerSpec is one layer's name and widths.
type layerSpec struct {
	name    string
	in, out int
}

// layerSpecs lists the five layers in the order of the diagram.
func layerSpecs(s Sizes) []layerSpec {
	return []layerSpec{
		{"fc1", s.Input + s.Classes, s.Hidden},
		{"fc21", s.Hidden, s.Latent},
		{"fc22", s.Hidden, s.Latent},
		{"fc3", s.Latent + s.Classes, s.Hidden},
		{"fc4", s.Hidden, s.Input},
	}
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
		out = append(out, Shape{l.name + ".W", []int{l.in, l.out}}, Shape{l.name + ".b", []int{1, l.out}})
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
	bound := 1 / math.Sqrt(float64(in))
	uniform := func() float64 { return (2*rng.Float64() - 1) * bound }
	return Linear{
		W: filled(dt, uniform, in, out),
		B: filled(dt, uniform, 1, out),
	}
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
	*Linear
}

func (p *Params) layers() []namedLayer {
	return []namedLayer{
		{"fc1", &p.Fc1}, {"fc21", &p.Fc21}, {"fc22", &p.Fc22}, {"fc3", &p.Fc3}, {"fc4", &p.Fc4},
	}
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
