package train

import (
	"fmt"
	"math"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model"
	"github.com/govae/govae/optimizer"
	G "gorgonia.org/gorgonia"
)

// machine is one graph of the model, training or evaluation, compiled for one
// batch size, with the weights paired with their gradients for the optimizer.
type machine struct {
	*runner.Machine
	vae   *model.VAE
	learn []G.ValueGrad // training graphs only
}

// newMachine compiles a training graph of the objective obj, or with
// training false an evaluation graph (the ELBO of one code an image).
func newMachine(p *model.Params, batch int, training bool, obj model.Objective) (*machine, error) {
	var vae *model.VAE
	var err error
	if training {
		vae, err = model.NewTraining(p, batch, obj)
	} else {
		vae, err = model.NewEvaluation(p, batch)
	}
	if err != nil {
		return nil, err
	}
	var inputs []*G.Node
	for _, n := range []*G.Node{vae.X, vae.Eps, vae.KLWeight, vae.Y, vae.Eps2} {
		if n != nil { // an autoencoder has no noise nor KL weight; only a conditional model has labels; only two stochastic layers have eps2
			inputs = append(inputs, n)
		}
	}
	r, err := runner.New(vae.Graph, inputs...)
	if err != nil {
		return nil, err
	}
	m := &machine{Machine: r, vae: vae}
	if training {
		if m.learn, err = optimizer.Gradients(vae.Learnables, vae.Grads); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// images is how a pass reads its images: as the set holds them, drawn
// black and white afresh (dynamic binarisation), or with fresh
// dequantization noise, from the streams of a round.
type images struct {
	set   *dataset.Set
	draw  drawing
	seed  uint64
	round int
}

// drawing is what a training pass draws afresh for each image it reads.
type drawing int

const (
	asLoaded    drawing = iota
	binary              // dynamic binarisation
	dequantized         // uniform noise in each byte's bin, for a Gaussian decoder
)

func (im images) gather(idx []int, dst []float32) {
	switch im.draw {
	case binary:
		im.set.GatherBinary(idx, dst, im.seed, im.round)
	case dequantized:
		im.set.GatherDequantized(idx, dst, im.seed, im.round)
	default:
		im.set.Gather(idx, dst)
	}
}

// feed fills the inputs: the images idx (with their labels, for a
// conditional model), their noise eps (k rows an image; a row is z1's noise
// then, for two stochastic layers, z2's), and the KL weight.
func (m *machine) feed(im images, idx []int, eps []float32, klWeight float64) error {
	set := im.set
	im.gather(idx, m.Input(m.vae.X))
	if m.vae.Eps != nil {
		splitNoise(eps, m.Input(m.vae.Eps), m.vae.Eps2, m.Machine)
		m.Input(m.vae.KLWeight)[0] = float32(klWeight)
	}
	if m.vae.Y == nil {
		return nil
	}
	return model.FillOneHot(m.Input(m.vae.Y), set.LabelsOf(idx), m.vae.Y.Shape()[1])
}

// splitNoise copies rows of noise into the input eps1 and, for two
// stochastic layers, the input node eps2: each row's first values are z1's.
func splitNoise(noise, eps1 []float32, eps2 *G.Node, m *runner.Machine) {
	if eps2 == nil {
		copy(eps1, noise)
		return
	}
	e2 := m.Input(eps2)
	d1, d2 := len(eps1)/eps2.Shape()[0], eps2.Shape()[1]
	for r := range len(noise) / (d1 + d2) {
		row := noise[r*(d1+d2) : (r+1)*(d1+d2)]
		copy(eps1[r*d1:(r+1)*d1], row[:d1])
		copy(e2[r*d2:(r+1)*d2], row[d1:])
	}
}

// terms reads the batch's loss terms after a run.
func (m *machine) terms() model.Terms {
	if m.vae.KL == nil { // an autoencoder
		return model.Terms{Recon: scalar(m.vae.BCE)}
	}
	return model.Terms{Recon: scalar(m.vae.BCE), KL: scalar(m.vae.KL)}
}

// step is one training step: forward, backward, optimizer update. A loss or
// gradient that is NaN or ±Inf changes no weight and returns an error
// wrapping optimizer.ErrNonFinite.
func (m *machine) step(im images, idx []int, eps []float32, klWeight float64, opt G.Solver) (model.Terms, error) {
	if err := m.feed(im, idx, eps, klWeight); err != nil {
		return model.Terms{}, err
	}
	var terms model.Terms
	err := m.Run(func() error {
		terms = m.terms()
		if l := scalar(m.vae.Loss); math.IsNaN(l) || math.IsInf(l, 0) {
			return fmt.Errorf("loss is %v: %w", l, optimizer.ErrNonFinite)
		}
		return opt.Step(m.learn)
	})
	return terms, err
}

// gradients is a forward and backward pass whose gradients, in the order
// of the weights, are copied into dst, with no update.
func (m *machine) gradients(im images, idx []int, eps []float32, klWeight float64, dst []float32) (model.Terms, error) {
	if err := m.feed(im, idx, eps, klWeight); err != nil {
		return model.Terms{}, err
	}
	var terms model.Terms
	err := m.Run(func() error {
		terms = m.terms()
		off := 0
		for _, g := range m.vae.Grads {
			off += copy(dst[off:], runner.Floats(g))
		}
		return nil
	})
	return terms, err
}

// evaluate is a forward pass only, with the KL term at full weight.
func (m *machine) evaluate(set *dataset.Set, idx []int, eps []float32) (model.Terms, error) {
	if err := m.feed(images{set: set}, idx, eps, 1); err != nil {
		return model.Terms{}, err
	}
	var terms model.Terms
	err := m.Run(func() error {
		terms = m.terms()
		return nil
	})
	return terms, err
}

// scalar reads a scalar node's value; anything else reads as NaN, which the
// divergence check then reports rather than passing it off as a loss of 0.
func scalar(n *G.Node) float64 {
	switch v := n.Value().Data().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}
