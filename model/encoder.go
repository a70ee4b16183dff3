package model

import (
	"fmt"

	"github.com/govae/govae/internal/runner"
	G "gorgonia.org/gorgonia"
)

// Encoder is the inference path alone: x → fc1 → ReLU → fc21, fc22 → mu,
// logvar. It shares its weights with every graph built from the same Params.
type Encoder struct {
	Graph      *G.ExprGraph
	Batch      int
	X          *G.Node // images, [batch × input]
	Y          *G.Node // one-hot labels, [batch × classes]; nil unless conditional
	Mu, Logvar *G.Node // [batch × latent]; Logvar nil for a plain autoencoder
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
	e.Mu, e.Logvar = encode(o, e.X, e.Y, bindAll(g, p))
	if o.err != nil {
		return nil, fmt.Errorf("build encoder graph: %w", o.err)
	}
	return e, nil
}
