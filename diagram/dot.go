package diagram

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	G "gorgonia.org/gorgonia"
)

// Graph is one model graph to draw.
type Graph struct {
	Title string
	Graph *G.ExprGraph
	Part  func(*G.Node) Part   // the diagram part of each node
	Layer func(*G.Node) string // the layer (fc1, ...) a node implements, or ""
	// Skip leaves out nodes of these parts (the backward pass, say).
	Skip map[Part]bool
	// Inputs are fed from outside at each step; Noise among them stands out.
	Inputs map[*G.Node]bool
	Noise  *G.Node
}

// Styles of the diagram.
var (
	clusterColor = map[Part]string{
		PartEncoder:            "#4477AA",
		PartReparameterization: "#CC6677",
		PartDecoder:            "#228833",
		PartLoss:               "#AA7700",
		PartGradients:          "#888888",
	}
	styleInput  = `shape=box, style="filled", fillcolor="#FFF2CC"`
	styleNoise  = `shape=box, style="filled,bold", fillcolor="#F4CCCC", penwidth=2.5`
	styleWeight = `shape=box, style="rounded,filled", fillcolor="#E8E8E8"`
	styleConst  = `shape=plaintext, fontsize=9`
	styleNamed  = `shape=ellipse, style="filled", fillcolor="#D9EAD3"`
	styleOp     = `shape=ellipse, fontsize=9`
)

// Dot writes the graph in Graphviz's dot language.
func (g *Graph) Dot() []byte {
	var b bytes.Buffer
	nodes, ids := g.visible()
	fmt.Fprintf(&b, "digraph vae {\n")
	fmt.Fprintf(&b, "\tgraph [label=%s, labelloc=t, fontname=\"Helvetica\", rankdir=TB, newrank=true];\n", quote(g.Title))
	fmt.Fprintf(&b, "\tnode [fontname=\"Helvetica\", fontsize=11];\n\tedge [color=\"#555555\", arrowsize=0.7];\n")
	for _, part := range Parts {
		members := g.members(nodes, part)
		if len(members) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\tsubgraph cluster_%s {\n\t\tlabel=%s; color=%q; fontcolor=%q; style=rounded;\n",
			part, quote(string(part)), clusterColor[part], clusterColor[part])
		layer := ""
		for _, n := range members {
			if l := g.Layer(n); l != layer {
				if layer != "" {
					fmt.Fprintf(&b, "\t\t}\n")
				}
				if l != "" {
					fmt.Fprintf(&b, "\t\tsubgraph cluster_%s {\n\t\t\tlabel=%s; style=dashed; color=\"#999999\"; fontcolor=\"#555555\";\n", l, quote(l+": "+layerFormula(l)))
				}
				layer = l
			}
			indent := "\t\t"
			if layer != "" {
				indent += "\t"
			}
			fmt.Fprintf(&b, "%s%s [label=%s, %s];\n", indent, ids[n], quote(g.label(n)), g.style(n))
		}
		if layer != "" {
			fmt.Fprintf(&b, "\t\t}\n")
		}
		fmt.Fprintf(&b, "\t}\n")
	}
	for _, n := range nodes {
		for it := g.Graph.From(n.ID()); it.Next(); {
			child := it.Node().(*G.Node)
			if id, ok := ids[child]; ok {
				fmt.Fprintf(&b, "\t%s -> %s;\n", id, ids[n])
			}
		}
	}
	fmt.Fprintf(&b, "}\n")
	return b.Bytes()
}

// members are the nodes of one part, those of each layer together (in the
// order the layers were built), then the rest, each group in build order.
func (g *Graph) members(nodes []*G.Node, part Part) []*G.Node {
	var layers []string
	byLayer := map[string][]*G.Node{}
	for _, n := range nodes {
		if g.Part(n) != part {
			continue
		}
		l := g.Layer(n)
		if _, seen := byLayer[l]; !seen && l != "" {
			layers = append(layers, l)
		}
		byLayer[l] = append(byLayer[l], n)
	}
	var out []*G.Node
	for _, l := range layers {
		out = append(out, byLayer[l]...)
	}
	return append(out, byLayer[""]...)
}

// visible lists the nodes to draw, in the order they were built, with stable ids.
func (g *Graph) visible() ([]*G.Node, map[*G.Node]string) {
	var nodes []*G.Node
	ids := map[*G.Node]string{}
	// Gorgonia numbers nodes as they are built; a subgraph lists them in
	// the order of a walk, which varies.
	all := slices.SortedFunc(slices.Values(g.Graph.AllNodes()), func(a, b *G.Node) int { return cmp.Compare(a.ID(), b.ID()) })
	for _, n := range all {
		part := g.Part(n)
		if part == "" || g.Skip[part] {
			continue
		}
		ids[n] = fmt.Sprintf("n%d", len(nodes))
		nodes = append(nodes, n)
	}
	return nodes, ids
}

// label is a node's name (or operation) over its shape. A named node whose
// operation is one of the model's own fused ones also shows its formula.
func (g *Graph) label(n *G.Node) string {
	name := n.Name()
	switch {
	case isConstant(n):
		return name
	case n == g.Noise:
		return name + " ~ N(0, I)\n" + shape(n)
	case !isNamed(n):
		name = opLabel(n.Op().String())
	default:
		if f, ok := n.Op().(interface{ Formula() string }); ok {
			name += " = " + f.Formula()
		}
	}
	return name + "\n" + shape(n)
}

func (g *Graph) style(n *G.Node) string {
	switch {
	case n == g.Noise:
		return styleNoise
	case g.Inputs[n]:
		return styleInput
	case n.IsVar():
		return styleWeight
	case isConstant(n):
		return styleConst
	case isNamed(n):
		return styleNamed
	}
	return styleOp
}

// isNamed tells a node the model named from one Gorgonia named after its
// operation ("op(%a, %b)").
func isNamed(n *G.Node) bool {
	return !strings.Contains(n.Name(), "(%") && !strings.HasSuffix(n.Name(), "()")
}

// isConstant tells a constant: an operation node with no inputs.
func isConstant(n *G.Node) bool { return !n.IsVar() && n.Graph().From(n.ID()).Len() == 0 }

// shape formats a node's shape as [128×784], or "scalar".
func shape(n *G.Node) string {
	s := n.Shape()
	if s.IsScalar() || len(s) == 0 {
		return "scalar"
	}
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "[" + strings.Join(parts, "×") + "]"
}

// opLabel shortens Gorgonia's operation strings for the diagram: it drops the
// flags some carry ("+ false") and names the broadcast helpers.
func opLabel(op string) string {
	op = strings.TrimSuffix(strings.TrimSuffix(op, " false"), " true")
	switch {
	case op == "-":
		return "−"
	case op == "Repeat0":
		return "repeat rows"
	case strings.HasPrefix(op, "SizeOf="):
		return "rows = " + strings.TrimPrefix(op, "SizeOf=")
	case strings.HasPrefix(op, "Reshape"):
		return "reshape" + strings.TrimPrefix(op, "Reshape")
	case strings.HasPrefix(op, "Σ["): // Gorgonia's Sum names its axes: Σ[0 1]
		return "Σ"
	}
	return op
}

// quote makes a dot string literal.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// layerFormula is what a layer computes, for its cluster's label.
func layerFormula(layer string) string {
	switch {
	case strings.HasPrefix(layer, "deconv"):
		return "conv transpose(x, W) + b"
	case strings.HasPrefix(layer, "conv"):
		return "conv(x, W) + b"
	}
	return "x·W + b"
}
