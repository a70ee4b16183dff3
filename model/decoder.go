package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
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
	return newDecoder(p, batch, true)
}

// newDecoder builds the decoder, with the final sigmoid or (for work that
// needs only the logits) without it, in which case Recon is nil.
func newDecoder(p *Params, batch int, withRecon bool) (*Decoder, error) {
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
	if withRecon {
		d.Recon = o.name(o.sigmoid(d.Logits), "recon")
	}
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

// DecoderMachine runs one Decoder graph again and again on new codes, with
// its inputs allocated once: for work that decodes many batches of the same
// size, such as importance sampling. Its graph stops at the logits.
type DecoderMachine struct {
	dec  *Decoder
	vm   G.VM
	z, y *tensor.Dense
}

// NewDecoderMachine compiles the decoder for batches of the given size.
func NewDecoderMachine(p *Params, batch int) (*DecoderMachine, error) {
	d, err := newDecoder(p, batch, false)
	if err != nil {
		return nil, err
	}
	m := &DecoderMachine{
		dec: d,
		vm:  G.NewTapeMachine(d.Graph),
		z:   tensor.New(tensor.Of(p.Dtype()), tensor.WithShape(batch, p.Sizes.Latent)),
	}
	if d.Y != nil {
		m.y = tensor.New(tensor.Of(p.Dtype()), tensor.WithShape(batch, p.Sizes.Classes))
	}
	return m, nil
}

// Logits decodes batch codes z (and one-hot labels y for a conditional
// model) and calls read with the logits, batch × Input, which stay valid only
// during the call.
func (m *DecoderMachine) Logits(z, y []float32, read func(logits []float32)) error {
	defer m.vm.Reset()
	copy(m.z.Float32s(), z)
	if err := G.Let(m.dec.Z, m.z); err != nil {
		return err
	}
	if m.y != nil {
		copy(m.y.Float32s(), y)
		if err := G.Let(m.dec.Y, m.y); err != nil {
			return err
		}
	}
	if err := m.vm.RunAll(); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	read(m.dec.Logits.Value().Data().([]float32))
	return nil
}
