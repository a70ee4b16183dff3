package model

import (
	"strings"

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

// partMap assigns each node of a graph to a part, by the order nodes were
// created in: after building a stage, mark gives every node not yet assigned
// that stage's part.
type partMap struct {
	g      *G.ExprGraph
	parts  map[int64]Part
	layers map[int64]string // the fully connected layer a node implements
}

func newPartMap(g *G.ExprGraph) *partMap {
	return &partMap{g: g, parts: map[int64]Part{}, layers: map[int64]string{}}
}

// ops returns graph operations that report their layers to pm.
func (pm *partMap) ops() *ops {
	return &ops{onLinear: func(layer string, created []*G.Node) {
		for _, n := range created {
			pm.layers[n.ID()] = layer
		}
	}}
}

// set assigns one node.
func (pm *partMap) set(n *G.Node, p Part) {
	if n != nil {
		pm.parts[n.ID()] = p
	}
}

// mark assigns every node created so far and not yet assigned.
func (pm *partMap) mark(p Part) {
	for _, n := range pm.g.AllNodes() {
		if _, ok := pm.parts[n.ID()]; !ok {
			pm.parts[n.ID()] = p
		}
	}
}

// weights assigns the weight nodes to the part whose layer uses them.
func (pm *partMap) weights(w weights) {
	for _, l := range w.learnables() {
		pm.layers[l.ID()] = strings.SplitN(l.Name(), ".", 2)[0]
		p := PartEncoder
		if strings.HasPrefix(l.Name(), "fc3.") || strings.HasPrefix(l.Name(), "fc4.") {
			p = PartDecoder
		}
		pm.set(l, p)
	}
}

// of returns a node's part ("" for a node the graph did not build).
func (pm *partMap) of(n *G.Node) Part { return pm.parts[n.ID()] }

// layer returns the fully connected layer a node belongs to, or "".
func (pm *partMap) layer(n *G.Node) string { return pm.layers[n.ID()] }
