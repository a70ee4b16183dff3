package model

import "fmt"

// The names of the model's choices of distribution, nonlinearity and
// architecture. Each type's zero value is the PyTorch example's choice, so a
// checkpoint that names none has it.

// Likelihood names a decoder's distribution of the pixels. Its zero value
// is Bernoulli, so a checkpoint that names none has one.
type Likelihood string

const (
	Bernoulli Likelihood = ""         // p(x|z) = Π Bernoulli(x; sigmoid(logits))
	Gaussian  Likelihood = "gaussian" // p(x|z) = Π N(x; sigmoid(logits), e^(2c))
)

// Activation names the hidden layers' nonlinearity. Its zero value is
// ReLU, so a checkpoint that names none has one.
type Activation string

const (
	ReLU Activation = ""     // max(0, a)
	Tanh Activation = "tanh" // tanh(a), Burda et al.'s
)

// ParseActivation reads an activation's name: relu or tanh.
func ParseActivation(name string) (Activation, error) {
	switch name {
	case "relu":
		return ReLU, nil
	case "tanh":
		return Tanh, nil
	}
	return ReLU, fmt.Errorf("%q: must be relu or tanh", name)
}

// String is the activation's name, as ParseActivation reads it.
func (a Activation) String() string {
	if a == ReLU {
		return "relu"
	}
	return string(a)
}

// Arch names an architecture. Its zero value is MLP.
type Arch string

const (
	MLP      Arch = ""     // x → fc1 → (fc21, fc22) → z → fc3 → fc4 → logits
	ConvArch Arch = "conv" // x → conv1 → conv2 → fc1 → ... → fc4 → deconv1 → deconv2 → logits
)

// The words configs, flags, exported metadata and the HTTP API use for the
// architectures and likelihoods are these, and only these: ParseArch and
// ParseLikelihood read them, String writes them.

// ParseArch reads an architecture's name: mlp or conv.
func ParseArch(name string) (Arch, error) {
	switch name {
	case "mlp":
		return MLP, nil
	case "conv":
		return ConvArch, nil
	}
	return MLP, fmt.Errorf("%q: must be mlp or conv", name)
}

// String is the architecture's name, as ParseArch reads it.
func (a Arch) String() string {
	if a == MLP {
		return "mlp"
	}
	return string(a)
}

// ParseLikelihood reads a likelihood's name: bernoulli or gaussian.
func ParseLikelihood(name string) (Likelihood, error) {
	switch name {
	case "bernoulli":
		return Bernoulli, nil
	case "gaussian":
		return Gaussian, nil
	}
	return Bernoulli, fmt.Errorf("%q: must be bernoulli or gaussian", name)
}

// String is the likelihood's name, as ParseLikelihood reads it.
func (l Likelihood) String() string {
	if l == Bernoulli {
		return "bernoulli"
	}
	return string(l)
}
