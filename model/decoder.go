package model

import (
	"fmt"

	"github.com/govae/govae/internal/runner"
	G "gorgonia.org/gorgonia"
)

// Decoder is the sampling path alone: z → fc3 → ReLU → fc4 → sigmoid. It shares
// its weights with every graph built from the same Params.
type Decoder struct {
	Graph  *G.ExprGraph
	Batch  int
	Z      *G.Node // input codes, [batch × latent]
	Y      *G.Node // one-hot labels, [batch × classes]; nil unless conditional
	Logits *G.Node
	Recon  *G.Node // Bernoulli means of the pixels, [batch × input]; nil for NewLogitsDecoder
}

// NewDecoder builds the decoder-only graph for batches of the given size.
func NewDecoder(p *Params, batch int) (*Decoder, error) {
	return runner.Declare(func() (*Decoder, error) {
		d, o, err := newDecoder(p, batch)
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

// NewLogitsDecoder builds the decoder without its final sigmoid, for work
// that reads only the logits (the likelihood of given pixels).
func NewLogitsDecoder(p *Params, batch int) (*Decoder, error) {
	return runner.Declare(func() (*Decoder, error) {
		d, _, err := newDecoder(p, batch)
		return d, err
	})
}

func newDecoder(p *Params, batch int) (*Decoder, *ops, error) {
	if batch < 1 {
		return nil, nil, fmt.Errorf("batch size %d: must be at least 1", batch)
	}
	g := G.NewGraph()
	d := &Decoder{Graph: g, Batch: batch}
	d.Z = G.NewMatrix(g, p.Dtype(), G.WithShape(batch, p.Config.Latent), G.WithName("z"))
	d.Y = labelInput(g, p, batch)
	o := &ops{}
	d.Logits = decode(o, d.Z, d.Y, bindAll(g, p))
	if o.err != nil {
		return nil, nil, fmt.Errorf("build decoder graph: %w", o.err)
	}
	return d, o, nil
}
