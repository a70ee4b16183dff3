package diagram

import (
	"slices"
	"strings"

	"github.com/govae/govae/model"
	G "gorgonia.org/gorgonia"
)

// Part is a region of the VAE diagram that a node belongs to.
type Part string

// The parts of the diagram, in the order data flows through them.
const (
	PartEncoder            Part = "encoder"
	PartReparameterization Part = "reparameterization"
	PartDecoder            Part = "decoder"
	PartLoss               Part = "loss"
	PartGradients          Part = "gradients" // the backward pass G.Grad adds
)

// Parts lists the parts in order.
var Parts = []Part{PartEncoder, PartReparameterization, PartDecoder, PartLoss, PartGradients}

// milestone is the node (or nodes) whose building ends a part.
type milestone struct {
	part  Part
	names []string
}

// The milestones of each view: what the model names at the end of each
// stage of its graph.
var (
	trainingMilestones = []milestone{
		{PartEncoder, []string{"mu", "logvar"}},
		{PartReparameterization, []string{"z"}},
		{PartDecoder, []string{"recon"}},
		{PartLoss, []string{"loss", "bce", "gaussian"}}, // a plain autoencoder's loss is its bce (or gaussian) node
	}
	decoderMilestones = []milestone{{PartDecoder, []string{"recon"}}}
)

// layout is what the diagram knows of each node: its part and the fully
// connected layer (fc1, ...) it implements, if any.
type layout struct {
	parts  map[*G.Node]Part
	layers map[*G.Node]string
}

// newLayout works the parts out from what the graph already says. The
// inputs' parts are given by name. A weight node "fcN.W" or "fcN.b" belongs
// to layer fcN, in the encoder or the decoder; so does each operation that
// reads it directly (x·W, + b). A Gaussian decoder's log-scales belong to
// the loss, the only part that reads them. Every other node belongs to the part whose
// milestone is the first built at or after it (Gorgonia numbers nodes in the
// order they are built); nodes built after the last milestone are the
// backward pass.
func newLayout(g *G.ExprGraph, inputs map[string]Part, milestones []milestone) layout {
	l := layout{parts: map[*G.Node]Part{}, layers: map[*G.Node]string{}}
	ends := make([]int64, len(milestones))
	for _, n := range g.AllNodes() {
		for i, m := range milestones {
			for _, name := range m.names {
				if n.Name() == name {
					ends[i] = max(ends[i], n.ID())
				}
			}
		}
	}
	for _, n := range g.AllNodes() {
		switch {
		case inputs[n.Name()] != "" && n.IsVar():
			l.parts[n] = inputs[n.Name()]
		case n.Name() == model.LogScaleName && n.IsVar():
			l.parts[n] = PartLoss // a Gaussian decoder's scales: read by the likelihood only
		case weightLayer(n) != "":
			l.layers[n] = weightLayer(n)
			l.parts[n] = PartEncoder
			if slices.Contains(decoderLayers, l.layers[n]) {
				l.parts[n] = PartDecoder
			}
		default:
			l.parts[n] = PartGradients
			for i, m := range milestones {
				if n.ID() <= ends[i] {
					l.parts[n] = m.part
					break
				}
			}
		}
	}
	for _, n := range g.AllNodes() {
		if l.parts[n] == PartGradients || n.IsVar() {
			continue
		}
		for it := g.From(n.ID()); it.Next(); {
			if layer := weightLayer(it.Node().(*G.Node)); layer != "" {
				l.layers[n] = layer
			}
		}
	}
	return l
}

// decoderLayers are the layers of the decoder; the others are the encoder's.
var decoderLayers = []string{"fc3", "fc4", "deconv1", "deconv2"}

// weightLayer is the layer of a weight node ("fc1" for "fc1.W", "conv1" for
// "conv1.b"), or "".
func weightLayer(n *G.Node) string {
	layer, param, ok := strings.Cut(n.Name(), ".")
	known := strings.HasPrefix(layer, "fc") || strings.HasPrefix(layer, "conv") || strings.HasPrefix(layer, "deconv")
	if !ok || !n.IsVar() || !known || (param != "W" && param != "b") {
		return ""
	}
	return layer
}

func (l layout) part(n *G.Node) Part    { return l.parts[n] }
func (l layout) layer(n *G.Node) string { return l.layers[n] }
