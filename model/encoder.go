package model

import (
	"fmt"

	"github.com/govae/govae/internal/runner"
	G "gorgonia.org/gorgonia"
)

// Encoder is the inference path alone: x → fc1 → ReLU → fc21, fc22 → mu,
// logvar. With two stochastic layers it goes on from z1's mean: mu1 → fc5 →
// fc61, fc62 → mu2, logvar2, the top code's q(z2|mu1). It shares its
// weights with every graph built from the same Params.
type Encoder struct {
	Graph      *G.ExprGraph
	Batch      int
	X          *G.Node // images, [batch × input]
	Y          *G.Node // one-hot labels, [batch × classes]; nil unless conditional
	Mu, Logvar *G.Node // the code's q, [batch × Config.Code()]; Logvar nil for a plain autoencoder

	// Mu1, Logvar1 are q(z1|x) of a model of two stochastic layers; nil
	// for one (whose q(z|x) is Mu, Logvar).
	Mu1, Logvar1 *G.Node
}

// NewEncoder builds the encoder-only graph for batches of the given size.
func NewEncoder(p *Params, batch int) (*Encoder, error) {
	return runner.Declare(func() (*Encoder, error) { return newEncoder(p, batch) })
}

func newEncoder(p *Params, batch int) (*Encoder, error) {
	if batch < 1 {
		return nil, fmt.Errorf("batch size %d: must be at least 1", batch)
	}
	g := G.NewGraph()
	e := &Encoder{Graph: g, Batch: batch}
	e.X = G.NewMatrix(g, p.Dtype(), G.WithShape(batch, p.Config.Input), G.WithName("x"))
	e.Y = labelInput(g, p, batch)
	o := &ops{}
	w := bindAll(g, p)
	e.Mu, e.Logvar = encode(o, e.X, e.Y, w)
	if p.Config.TwoLayers() {
		e.Mu1, e.Logvar1 = e.Mu, e.Logvar
		e.Mu, e.Logvar = encodeTop(o, e.Mu1, w)
	}
	if o.err != nil {
		return nil, fmt.Errorf("build encoder graph: %w", o.err)
	}
	return e, nil
}
