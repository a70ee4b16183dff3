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
	Y      *G.Node // one-hot labels, [batch × classes]; nil unless conditional
	Logits *G.Node
	Recon  *G.Node // Bernoulli means of the pixels, [batch × input]
	parts  *partMap
}

// NewDecoder builds the decoder-only graph for batches of the given size.
func NewDecoder(p *Params, batch int) (*Decoder, error) {
	if batch < 1 {
		return nil, fmt.Errorf("batch size %d: must be at least 1", batch)
	}
	g := G.NewGraph()
	d := &Decoder{Graph: g, Batch: batch}
	d.Z = G.NewMatrix(g, p.Dtype(), G.WithShape(batch, p.Sizes.Latent), G.WithName("z"))
	d.Y = labelInput(g, p, batch)
	w := bindAll(g, p)
	d.parts = newPartMap(g)
	d.parts.set(d.Z, PartReparameterization) // where z comes from on the diagram
	d.parts.set(d.Y, PartDecoder)
	d.parts.weights(w)
	o := d.parts.ops()
	d.Logits = decode(o, d.Z, d.Y, w)
	d.Recon = o.name(o.sigmoid(d.Logits), "recon")
	d.parts.mark(PartDecoder)
	if o.err != nil {
		return nil, fmt.Errorf("build decoder graph: %w", o.err)
	}
	return d, nil
}

// Part tells which part of the diagram a node of the graph belongs to.
func (d *Decoder) Part(n *G.Node) Part { return d.parts.of(n) }

// Layer names the fully connected layer a node belongs to, or "".
func (d *Decoder) Layer(n *G.Node) string { return d.parts.layer(n) }
