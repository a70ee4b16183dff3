package model

import "fmt"

// Objective is what a training graph minimises for each image: the negative
// of a lower bound on log p(x) estimated from Samples codes of q(z|x).
//
//   - ELBO: the ELBO, its reconstruction term averaged over the k codes and
//     its KL term in closed form. With k = 1 it is the PyTorch example's
//     loss; with k > 1, the "VAE with k samples" of Burda et al. (2015).
//   - IWAE: the importance-weighted bound log (1/k) Σ_i p(x, z_i)/q(z_i|x)
//     (Burda et al. 2015), tighter as k grows. With k = 1 its expectation
//     is the ELBO, so it is trained as the ELBO above, bit for bit.
//
// The k codes of an image go through the decoder together, one batch of
// batch·k rows, so the graph is declared once whatever k is.
type Objective struct {
	Bound   Bound
	Samples int // k, codes drawn per image; 0 means 1

	// DReG makes the IWAE bound's encoder gradient the doubly-reparameterised
	// one (Tucker et al. 2018): Σ_i w̃_i² ∂log w_i/∂z_i ∂z_i/∂φ, q's direct
	// path to the encoder's weights cut (for two stochastic layers, both
	// codes' and both Gaussians'). The loss, and the decoder's gradient, are
	// the bound's own. IWAE with k ≥ 2.
	DReG bool
}

// Bound names a lower bound on log p(x). Its zero value is the ELBO.
type Bound string

const (
	ELBO Bound = ""     // config word "vae"
	IWAE Bound = "iwae" // config word "iwae"
)

// MaxSamples bounds Objective.Samples: a step holds batch·k rows of the
// decoder's activations.
const MaxSamples = 5000

// ParseBound reads a bound's name as configs write it: vae or iwae.
func ParseBound(name string) (Bound, error) {
	switch name {
	case "vae":
		return ELBO, nil
	case "iwae":
		return IWAE, nil
	}
	return ELBO, fmt.Errorf("%q: must be vae or iwae", name)
}

// String is the bound's name, as ParseBound reads it.
func (b Bound) String() string {
	if b == ELBO {
		return "vae"
	}
	return string(b)
}

// Plain tells whether the objective is the ELBO of one code an image: the
// PyTorch example's loss, the graph of the diagram.
func (o Objective) Plain() bool { return o.Bound == ELBO && o.K() == 1 }

// K is the number of codes drawn per image: Samples, or 1 if it is 0.
func (o Objective) K() int { return max(1, o.Samples) }

// importanceWeighted tells whether the graph needs each code's own weight:
// the IWAE bound of more than one code.
func (o Objective) importanceWeighted() bool { return o.Bound == IWAE && o.K() > 1 }

// String describes the objective: "iwae, k = 5", "iwae, k = 5, DReG".
func (o Objective) String() string {
	if o.DReG {
		return fmt.Sprintf("%v, k = %d, DReG", o.Bound, o.K())
	}
	return fmt.Sprintf("%v, k = %d", o.Bound, o.K())
}

// Check reports an objective the model of configuration c cannot train on.
func (o Objective) Check(c Config) error {
	switch {
	case o.Bound != ELBO && o.Bound != IWAE:
		_, err := ParseBound(string(o.Bound))
		return fmt.Errorf("objective %w", err)
	case o.Samples < 0 || o.Samples > MaxSamples:
		return fmt.Errorf("samples %d: must be 1 to %d", o.Samples, MaxSamples)
	case o.Bound == IWAE && c.Autoencoder:
		return fmt.Errorf("iwae: a plain autoencoder (variational: false) has no q(z|x) to weigh codes by")
	case o.K() > 1 && c.Autoencoder:
		return fmt.Errorf("samples %d: a plain autoencoder's code is one point; it draws no samples", o.Samples)
	case o.DReG && !o.importanceWeighted():
		return fmt.Errorf("dreg: the doubly-reparameterised gradient is the IWAE bound's, with samples of 2 or more (have %v)", o)
	case o.importanceWeighted() && c.Gaussian():
		return fmt.Errorf("iwae with samples %d: needs the bernoulli likelihood (each code's own log p(x|z) is computed for Bernoulli pixels only)", o.Samples)
	}
	return nil
}
