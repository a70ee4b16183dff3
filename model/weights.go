package model

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// layerNodes are one layer's weights as nodes of a particular graph.
type layerNodes struct {
	W, B *G.Node
}

// weights are the layers' nodes in one graph, bound to the shared tensors of
// a Params (nil nodes for layers the model does not have).
type weights struct {
	Layers[layerNodes]
	logScale *G.Node // a Gaussian decoder's; nil for a Bernoulli one
	config   Config
}

// bindAll makes a node for each weight tensor of p in graph g. The nodes hold
// the very memory of p's tensors (no copy), so in-place updates are seen by
// every graph.
func bindAll(g *G.ExprGraph, p *Params) weights {
	w := weights{config: p.Config}
	nodes := w.list(p.Config)
	for i, l := range p.list(p.Config) {
		*nodes[i].at = bind(g, l.name, *l.at)
	}
	if p.LogScale != nil {
		w.logScale = G.NodeFromAny(g, view(p.LogScale), G.WithName(LogScaleName))
	}
	return w
}

func bind(g *G.ExprGraph, name string, l Layer) layerNodes {
	w, b := l.Bind(g, name)
	return layerNodes{W: w, B: b}
}

// Bind makes nodes named name.W and name.b of graph g over the layer's
// tensors: views of their memory, so that an optimizer updating the tensors
// updates every graph, and compiling one graph never writes into what
// another runs on. Any network of the model's layers binds them so.
func (l Layer) Bind(g *G.ExprGraph, name string) (w, b *G.Node) {
	return G.NodeFromAny(g, view(l.W), G.WithName(name+".W")), G.NodeFromAny(g, view(l.B), G.WithName(name+".b"))
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
	for _, l := range w.list(w.config) {
		out = append(out, l.at.W, l.at.B)
	}
	if w.logScale != nil {
		out = append(out, w.logScale)
	}
	return out
}
