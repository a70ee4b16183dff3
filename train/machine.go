package train

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// machine runs one graph of the model on a TapeMachine. Its input tensors are
// allocated once and refilled for every batch.
type machine struct {
	vae       *model.VAE
	vm        G.VM
	x, eps, y *tensor.Dense // y only for a conditional model
	learn     []G.ValueGrad // weights and their gradients, for the optimizer
}

func newMachine(p *model.Params, batch int, training bool) (*machine, error) {
	build := model.NewEvaluation
	if training {
		build = model.NewTraining
	}
	vae, err := build(p, batch)
	if err != nil {
		return nil, err
	}
	m := &machine{
		vae: vae,
		x:   tensor.New(tensor.Of(p.Dtype()), tensor.WithShape(batch, p.Sizes.Input)),
		eps: tensor.New(tensor.Of(p.Dtype()), tensor.WithShape(batch, p.Sizes.Latent)),
	}
	if p.Sizes.Conditional() {
		m.y = tensor.New(tensor.Of(p.Dtype()), tensor.WithShape(batch, p.Sizes.Classes))
	}
	if training {
		m.vm = G.NewTapeMachine(vae.Graph)
		m.learn = vae.WeightGrads()
	} else {
		m.vm = G.NewTapeMachine(vae.Graph)
	}
	return m, nil
}

// Terms are the negative ELBO and its two parts, summed over some images.
// Loss is always BCE + KL, whatever weight the KL term had in training, so
// that runs compare.
type Terms struct {
	Loss, BCE, KL float64
}

func (t *Terms) add(o Terms) {
	t.Loss += o.Loss
	t.BCE += o.BCE
	t.KL += o.KL
}

// PerImage divides the sums by the number of images.
func (t Terms) PerImage(n int) Terms {
	f := 1 / float64(n)
	return Terms{t.Loss * f, t.BCE * f, t.KL * f}
}

// forward feeds the images idx of set (with their labels, for a conditional
// model), noise drawn from rng and the KL weight, and runs the graph. The
// caller resets the machine once it has read what it needs.
func (m *machine) forward(set *dataset.Set, idx []int, rng *rand.Rand, klWeight float64) (Terms, error) {
	set.Gather(idx, m.x.Float32s())
	fillNormal(m.eps.Float32s(), rng)
	inputs := map[*G.Node]any{m.vae.X: m.x, m.vae.Eps: m.eps, m.vae.KLWeight: float32(klWeight)}
	if m.y != nil {
		fillOneHot(m.y.Float32s(), set.Labels, idx)
		inputs[m.vae.Y] = m.y
	}
	for n, v := range inputs {
		if err := G.Let(n, v); err != nil {
			return Terms{}, err
		}
	}
	if err := m.vm.RunAll(); err != nil {
		return Terms{}, fmt.Errorf("run graph: %w", err)
	}
	bce, kl := scalar(m.vae.BCE), scalar(m.vae.KL)
	return Terms{Loss: bce + kl, BCE: bce, KL: kl}, nil
}

// fillOneHot writes the labels of the images idx as one-hot rows.
func fillOneHot(dst []float32, labels, idx []int) {
	clear(dst)
	classes := len(dst) / len(idx)
	for k, i := range idx {
		dst[k*classes+labels[i]] = 1
	}
}

// step is one training step: forward, backward, optimizer update. A loss or
// gradient that is NaN or ±Inf changes no weight and returns an error
// wrapping ErrNonFinite, with the gradients cleared for the next step.
func (m *machine) step(set *dataset.Set, idx []int, rng *rand.Rand, klWeight float64, opt G.Solver) (Terms, error) {
	defer m.vm.Reset()
	terms, err := m.forward(set, idx, rng, klWeight)
	if err != nil {
		return terms, err
	}
	if l := terms.Loss; math.IsNaN(l) || math.IsInf(l, 0) {
		zeroGrads(m.learn)
		return terms, fmt.Errorf("loss is %v: %w", l, ErrNonFinite)
	}
	if err := opt.Step(m.learn); err != nil {
		zeroGrads(m.learn)
		return terms, err
	}
	return terms, nil
}

// evaluate is a forward pass only, with the KL term at full weight.
func (m *machine) evaluate(set *dataset.Set, idx []int, rng *rand.Rand) (Terms, error) {
	defer m.vm.Reset()
	return m.forward(set, idx, rng, 1)
}

// fillNormal fills dst with draws from N(0, 1), or zeros if rng is nil.
func fillNormal(dst []float32, rng *rand.Rand) {
	for i := range dst {
		if rng == nil {
			dst[i] = 0
		} else {
			dst[i] = float32(rng.NormFloat64())
		}
	}
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
