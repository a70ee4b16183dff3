package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// machine runs one graph of the model on a TapeMachine. Its input tensors are
// allocated once and refilled for every batch.
type machine struct {
	vae    *model.VAE
	vm     G.VM
	x, eps *tensor.Dense
	learn  []G.ValueGrad // weights and their gradients, for the optimizer
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
	if training {
		m.vm = G.NewTapeMachine(vae.Graph, G.BindDualValues(vae.Learnables()...))
		m.learn = G.NodesToValueGrads(vae.Learnables())
	} else {
		m.vm = G.NewTapeMachine(vae.Graph)
	}
	return m, nil
}

// Terms are the loss and its two parts, summed over some images.
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

// forward feeds the images idx of set and noise drawn from rng (zeros if rng
// is nil, which makes z the mean mu) and runs the graph. The caller resets
// the machine once it has read what it needs.
func (m *machine) forward(set *dataset.Set, idx []int, rng *rand.Rand) (Terms, error) {
	set.Gather(idx, m.x.Float32s())
	fillNormal(m.eps.Float32s(), rng)
	if err := G.Let(m.vae.X, m.x); err != nil {
		return Terms{}, err
	}
	if err := G.Let(m.vae.Eps, m.eps); err != nil {
		return Terms{}, err
	}
	if err := m.vm.RunAll(); err != nil {
		return Terms{}, fmt.Errorf("run graph: %w", err)
	}
	return Terms{
		Loss: scalar(m.vae.Loss),
		BCE:  scalar(m.vae.BCE),
		KL:   scalar(m.vae.KL),
	}, nil
}

// step is one training step: forward, backward, optimizer update.
func (m *machine) step(set *dataset.Set, idx []int, rng *rand.Rand, opt G.Solver) (Terms, error) {
	defer m.vm.Reset()
	terms, err := m.forward(set, idx, rng)
	if err != nil {
		return terms, err
	}
	if err := opt.Step(m.learn); err != nil {
		return terms, err
	}
	return terms, nil
}

// evaluate is a forward pass only.
func (m *machine) evaluate(set *dataset.Set, idx []int, rng *rand.Rand) (Terms, error) {
	defer m.vm.Reset()
	return m.forward(set, idx, rng)
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

// scalar reads a scalar node's value.
func scalar(n *G.Node) float64 {
	switch v := n.Value().Data().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return 0
}
