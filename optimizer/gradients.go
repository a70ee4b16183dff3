package optimizer

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Gradients pairs each weight node with the node of its gradient, as G.Grad
// returned them, for Step: after a run of the graph, each pair reads the
// weight's value and the gradient the run computed.
func Gradients(weights, grads G.Nodes) ([]G.ValueGrad, error) {
	if len(weights) != len(grads) {
		return nil, fmt.Errorf("%d weights but %d gradients", len(weights), len(grads))
	}
	out := make([]G.ValueGrad, len(weights))
	for i, w := range weights {
		out[i] = nodeGrad{w, grads[i]}
	}
	return out, nil
}

// nodeGrad is a weight node and its gradient node as a G.ValueGrad.
type nodeGrad struct{ w, g *G.Node }

func (p nodeGrad) Value() G.Value { return p.w.Value() }
func (p nodeGrad) Name() string   { return p.w.Name() }

func (p nodeGrad) Grad() (G.Value, error) {
	if v := p.g.Value(); v != nil {
		return v, nil
	}
	return nil, fmt.Errorf("gradient of %s: not computed yet (run the graph first)", p.w.Name())
}
