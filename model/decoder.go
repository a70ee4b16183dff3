package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Decoder is the sampling path alone: z → fc3 → ReLU → fc4 → sigmoid. It shares
// its weights with the VAE graphs built from the same Params.
type Decoder struct {
	Graph  *G.ExprGraph
	Batch  int
	Z      *G.Node // input codes, [batch × latent]
	Logits *G.Node
	Recon  *G.Node // Bernoulli means of the pixels, [batch × input]
}

// NewDecoder builds the decoder-only graph for batches of the given size.
func NewDecoder(p *Params, batch int) (*Decoder, error) {
	if batch < 1 {
		return nil, fmt.Errorf("batch size %d: must be at least 1", batch)
	}
	g := G.NewGraph()
	d := &Decoder{Graph: g, Batch: batch}
	d.Z = G.NewMatrix(g, p.Dtype(), G.WithShape(batch, p.Sizes.Latent), G.WithName("z"))
	o := &ops{}
	d.Logits = decode(o, d.Z, bindAll(g, p))
	d.Recon = o.name(o.sigmoid(d.Logits), "recon")
	if o.err != nil {
		return nil, fmt.Errorf("build decoder graph: %w", o.err)
	}
	return d, nil
}
