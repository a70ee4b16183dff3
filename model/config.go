package model

import (
	"fmt"

	"github.com/govae/govae/model/nn"
)

// Config is the model's own configuration (nanoGPT's model_args): the
// widths of its layers, whether it is conditional, its images' channels, its
// architecture and its decoder's distribution. A checkpoint carries it, so
// that the file alone rebuilds the model. A run's configuration file
// (package config) says more — data, optimizer, schedule — and makes one.
type Config struct {
	Input  int // values per image (784 for MNIST)
	Hidden int // width of fc1 and fc3 (400; 256 for the conv model)
	Latent int // dimension of z (20)

	// Depth is the number of hidden layers each way, 1 (0 means 1) or 2:
	// the second are fc1b (after fc1) and fc3b (after fc3), Hidden wide,
	// as in Burda et al.'s 784–200–200–50 networks.
	Depth int

	// Activation is the hidden layers' nonlinearity: ReLU ("", the
	// default) or Tanh.
	Activation Activation

	// Stochastic is the number of stochastic layers, 1 (0 means 1) or 2.
	// With 2 (Burda et al.'s second row), q(z2|z1) draws a second code z2
	// of Latent2 values from z1, and z1's prior is p(z1|z2), learned, with
	// p(z2) = N(0, I); both networks have Depth hidden layers of Hidden2
	// units. The decoder still reads z1.
	Stochastic       int
	Hidden2, Latent2 int // the second stochastic layer's widths (50 and 50 in the paper)

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

	// Arch is the architecture: fully connected ("", the default) or
	// convolutional (Conv: two strided convolutions before fc1, two
	// transposed ones after fc4).
	Arch Arch

	// Autoencoder makes the model a plain autoencoder on the same layers: the
	// encoder gives a point, z = mu, not a distribution — no logvar head
	// (fc22), no noise, no KL term; the loss is the reconstruction alone.
	Autoencoder bool
}

// String describes the configuration: "784→400→20, 10 classes, colour,
// gaussian"; a second hidden layer and tanh show as "784→200→200→50, tanh".
func (s Config) String() string {
	out := fmt.Sprintf("%d→%d→%d", s.Input, s.Hidden, s.Latent)
	if s.deep() {
		out = fmt.Sprintf("%d→%d→%d→%d", s.Input, s.Hidden, s.Hidden, s.Latent)
	}
	if s.TwoLayers() {
		out += fmt.Sprintf("→%d", s.Hidden2)
		if s.deep() {
			out += fmt.Sprintf("→%d", s.Hidden2)
		}
		out += fmt.Sprintf("→%d", s.Latent2)
	}
	if s.Conv() {
		out = "conv " + out
	}
	if s.Classes > 0 {
		out += fmt.Sprintf(", %d classes", s.Classes)
	}
	if s.Channels == 3 {
		out += ", colour"
	}
	if s.Activation != ReLU {
		out += ", " + s.Activation.String()
	}
	if s.Gaussian() {
		out += ", gaussian"
	}
	if s.Autoencoder {
		out += ", autoencoder"
	}
	return out
}

// Variational tells whether the encoder gives a distribution q(z|x) (a
// VAE) rather than a point (a plain autoencoder).
func (s Config) Variational() bool { return !s.Autoencoder }

// Gaussian tells whether the decoder is Gaussian.
func (s Config) Gaussian() bool { return s.Likelihood == Gaussian }

// Conv tells whether the model is convolutional.
func (s Config) Conv() bool { return s.Arch == ConvArch }

// deep tells whether the model has a second hidden layer each way.
func (s Config) deep() bool { return s.Depth == 2 }

// TwoLayers tells whether the model has a second stochastic layer.
func (s Config) TwoLayers() bool { return s.Stochastic == 2 }

// Noise is the number of noise values one code draws: Latent, plus Latent2
// for the second stochastic layer.
func (s Config) Noise() int {
	if s.TwoLayers() {
		return s.Latent + s.Latent2
	}
	return s.Latent
}

// Code is the width of the codes a Model speaks (Encode, Decode, Sample):
// z, Latent values, or for two stochastic layers the top code z2, Latent2.
func (s Config) Code() int {
	if s.TwoLayers() {
		return s.Latent2
	}
	return s.Latent
}

// Conditional tells whether the model takes a label.
func (s Config) Conditional() bool { return s.Classes > 0 }

// channels is the number of colour channels of an image: 1 or 3.
func (s Config) channels() int { return max(1, s.Channels) }

// Validate reports a size that cannot build a graph.
func (s Config) Validate() error {
	switch {
	case s.Input < 1:
		return fmt.Errorf("input size %d: must be at least 1", s.Input)
	case s.Hidden < 1:
		return fmt.Errorf("hidden size %d: must be at least 1", s.Hidden)
	case s.Latent < 1:
		return fmt.Errorf("latent size %d: must be at least 1", s.Latent)
	case s.Depth < 0 || s.Depth > 2:
		return fmt.Errorf("depth %d: must be 1 or 2 hidden layers each way", s.Depth)
	case s.Activation != ReLU && s.Activation != Tanh:
		_, err := ParseActivation(string(s.Activation))
		return fmt.Errorf("activation %w", err)
	case s.Classes < 0:
		return fmt.Errorf("classes %d: must be 0 (unconditional) or more", s.Classes)
	case s.Channels != 0 && s.Channels != 3:
		return fmt.Errorf("channels %d: must be 0 (grey) or 3 (colour)", s.Channels)
	case s.Likelihood != Bernoulli && s.Likelihood != Gaussian:
		_, err := ParseLikelihood(string(s.Likelihood))
		return fmt.Errorf("likelihood %w", err)
	case s.Arch != MLP && s.Arch != ConvArch:
		_, err := ParseArch(string(s.Arch))
		return fmt.Errorf("architecture %w", err)
	case s.Channels == 3 && s.Input%3 != 0:
		return fmt.Errorf("input size %d: a colour image's must be a multiple of 3", s.Input)
	}
	if err := s.ValidateStochastic(); err != nil {
		return err
	}
	if s.Conv() {
		if side := s.side(); side == 0 || side%4 != 0 {
			return fmt.Errorf("input size %d: the conv model takes square images whose side is a multiple of 4 (28, 32, 64...)", s.Input)
		}
	}
	return nil
}

// side is the side of a square image of Input values, or 0 if it is not square.
func (s Config) side() int {
	plane := s.Input / s.channels()
	for r := 1; r*r <= plane; r++ {
		if r*r == plane {
			return r
		}
	}
	return 0
}

// convWidth is the channels of conv1's output (and deconv1's).
const convWidth = 32

// ConvSpecs are the conv model's convolutions, in the order of the diagram: each halves
// (or, transposed, doubles) the side with a 4×4 kernel, stride 2, padding 1
// (Conv2d(C, 32), Conv2d(32, 64), ConvTranspose2d(64, 32), ConvTranspose2d(32, C)).
func (s Config) ConvSpecs() (conv1, conv2, deconv1, deconv2 nn.ConvSpec) {
	side, c := s.side(), s.channels()
	spec := func(in, out, h int, transposed bool) nn.ConvSpec {
		return nn.ConvSpec{In: in, Out: out, Kernel: 4, Stride: 2, Pad: 1, Transposed: transposed, Height: h, Width: h}
	}
	return spec(c, convWidth, side, false), spec(convWidth, 2*convWidth, side/2, false),
		spec(2*convWidth, convWidth, side/4, true), spec(convWidth, c, side/2, true)
}

// features is the width of what the convolutions hand to fc1 (and fc4 hands
// back): 64 channels of a quarter of the side, 64·7·7 for MNIST; for the
// MLP, the image itself.
func (s Config) features() int {
	if !s.Conv() {
		return s.Input
	}
	q := s.side() / 4
	return 2 * convWidth * q * q
}

// ValidateStochastic reports a second stochastic layer the graph cannot
// build: it needs its widths, and is declared for the plain fully connected
// VAE only.
func (s Config) ValidateStochastic() error {
	switch {
	case s.Stochastic < 0 || s.Stochastic > 2:
		return fmt.Errorf("stochastic layers %d: must be 1 or 2", s.Stochastic)
	case !s.TwoLayers():
		return nil
	case s.Hidden2 < 1:
		return fmt.Errorf("second hidden size %d: two stochastic layers need it at least 1", s.Hidden2)
	case s.Latent2 < 1:
		return fmt.Errorf("second latent size %d: two stochastic layers need it at least 1", s.Latent2)
	case s.Autoencoder:
		return fmt.Errorf("stochastic layers 2: a plain autoencoder has no stochastic layer")
	case s.Conv():
		return fmt.Errorf("stochastic layers 2: not declared for the conv architecture")
	case s.Conditional():
		return fmt.Errorf("stochastic layers 2: not declared for a conditional model")
	}
	return nil
}
