package model

import (
	"slices"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// layerNodes are one layer's weights as nodes of a particular graph.
type layerNodes struct {
	W, B *G.Node
}

// weights are the five layers' nodes in one graph, bound to the shared tensors
// of a Params.
type weights struct {
	conv1, conv2              layerNodes // the conv model's; nil nodes for the MLP
	fc1, fc21, fc22, fc3, fc4 layerNodes
	deconv1, deconv2          layerNodes // the conv model's
	logScale                  *G.Node    // a Gaussian decoder's; nil for a Bernoulli one
	sizes                     Sizes
}

// bindAll makes a node for each weight tensor of p in graph g. The nodes hold
// the very memory of p's tensors (no copy), so in-place updates are seen by
// every graph.
func bindAll(g *G.ExprGraph, p *Params) weights {
	w := weights{
		fc1:  bind(g, "fc1", p.Fc1),
		fc21: bind(g, "fc21", p.Fc21),
		fc22: bind(g, "fc22", p.Fc22),
		fc3:  bind(g, "fc3", p.Fc3),
		fc4:  bind(g, "fc4", p.Fc4),

		sizes: p.Sizes,
	}
	if p.Sizes.Conv() {
		w.conv1, w.conv2 = bind(g, "conv1", p.Conv1), bind(g, "conv2", p.Conv2)
		w.deconv1, w.deconv2 = bind(g, "deconv1", p.Deconv1), bind(g, "deconv2", p.Deconv2)
	}
	if p.LogScale != nil {
		w.logScale = G.NodeFromAny(g, view(p.LogScale), G.WithName(LogScaleName))
	}
	return w
}

func bind(g *G.ExprGraph, name string, l Layer) layerNodes {
	return layerNodes{
		W: G.NodeFromAny(g, view(l.W), G.WithName(name+".W")),
		B: G.NodeFromAny(g, view(l.B), G.WithName(name+".b")),
	}
}

// view is a tensor of its own over t's memory. Each graph binds views, not
// the shared tensors themselves, because compiling a graph
// (G.NewTapeMachine) writes its engine into every tensor its nodes hold:
// on shared tensors, compiling one graph would race with running another.
func view(t *tensor.Dense) *tensor.Dense {
	return tensor.New(tensor.WithShape(t.Shape().Clone()...), tensor.WithBacking(t.Data()))
}

// learnables lists the weight nodes in the order of Params.All.
func (w weights) learnables() G.Nodes {
	var out G.Nodes
	layers := []layerNodes{w.fc1, w.fc21, w.fc22, w.fc3, w.fc4}
	if w.conv1.W != nil {
		layers = slices.Concat([]layerNodes{w.conv1, w.conv2}, layers, []layerNodes{w.deconv1, w.deconv2})
	}
	for _, l := range layers {
		out = append(out, l.W, l.B)
	}
	if w.logScale != nil {
		out = append(out, w.logScale)
	}
	return out
}
