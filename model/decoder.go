package model

import (
	"fmt"

	"github.com/govae/govae/internal/runner"
	G "gorgonia.org/gorgonia"
)

// Decoder is the sampling path alone: z → fc3 → ReLU → fc4 → sigmoid. With
// two stochastic layers NewDecoder reads the top code z2 and decodes the
// mean of p(z1|z2): z2 → fc7 → fc81 → z1 → fc3 → ... It shares its weights
// with every graph built from the same Params.
type Decoder struct {
	Graph  *G.ExprGraph
	Batch  int
	Z      *G.Node // input codes, [batch × Config.Code()] (NewLogitsDecoder: [batch × latent], z1)
	Y      *G.Node // one-hot labels, [batch × classes]; nil unless conditional
	Logits *G.Node
	Recon  *G.Node // Bernoulli means of the pixels, [batch × input]; nil for NewLogitsDecoder
}

// NewDecoder builds the decoder-only graph for batches of the given size.
func NewDecoder(p *Params, batch int) (*Decoder, error) {
	return runner.Declare(func() (*Decoder, error) {
		d, o, err := newDecoder(p, batch, true)
		if err != nil {
			return nil, err
		}
		d.Recon = o.name(o.sigmoid(d.Logits), "recon")
		if o.err != nil {
			return nil, fmt.Errorf("build decoder graph: %w", o.err)
		}
		return d, nil
	})
}

// NewLogitsDecoder builds the decoder p(x|z) without its final sigmoid, for
// work that reads only the logits (the likelihood of given pixels). It
// reads the codes z of the first stochastic layer, whatever the model's
// depth.
func NewLogitsDecoder(p *Params, batch int) (*Decoder, error) {
	return runner.Declare(func() (*Decoder, error) {
		d, _, err := newDecoder(p, batch, false)
		return d, err
	})
}

// newDecoder declares the decoder; from the top, for two stochastic
// layers, from z2 through p(z1|z2)'s mean.
func newDecoder(p *Params, batch int, fromTop bool) (*Decoder, *ops, error) {
	if batch < 1 {
		return nil, nil, fmt.Errorf("batch size %d: must be at least 1", batch)
	}
	g := G.NewGraph()
	d := &Decoder{Graph: g, Batch: batch}
	top := fromTop && p.Config.TwoLayers()
	if top {
		d.Z = G.NewMatrix(g, p.Dtype(), G.WithShape(batch, p.Config.Latent2), G.WithName("z2"))
	} else {
		d.Z = G.NewMatrix(g, p.Dtype(), G.WithShape(batch, p.Config.Latent), G.WithName("z"))
	}
	d.Y = labelInput(g, p, batch)
	o, w, z := &ops{}, bindAll(g, p), d.Z
	if top {
		z, _ = priorOf(o, d.Z, w) // z1 = the mean of p(z1|z2)
	}
	d.Logits = decode(o, z, d.Y, w)
	if o.err != nil {
		return nil, nil, fmt.Errorf("build decoder graph: %w", o.err)
	}
	return d, o, nil
}
