package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// VAE is the model's graph for one batch size: inputs, the named nodes of the
// diagram, and (for a training graph) the gradients of Loss.
type VAE struct {
	Graph *G.ExprGraph
	Batch int

	// Inputs, fed with G.Let before each run.
	X        *G.Node // images, [batch × input], pixels in [0, 1]
	Y        *G.Node // one-hot labels, [batch × classes]; nil unless conditional
	Eps      *G.Node // injected noise, [batch × latent], drawn from N(0, I) by the caller
	KLWeight *G.Node // scalar weight of the KL term (1 unless warming up); starts at 1

	// The diagram, in order.
	Mu, Logvar *G.Node // q(z|x) = N(mu, exp(logvar))
	Z          *G.Node // a sample of q(z|x)
	Logits     *G.Node // fc4's output, before the sigmoid
	Recon      *G.Node // sigmoid(Logits): the decoder's Bernoulli means
	BCE        *G.Node // reconstruction term, summed over pixels and batch
	KL         *G.Node // KL(q(z|x) ‖ N(0, I)), summed over the batch
	Loss       *G.Node // BCE + KLWeight·KL: the negative ELBO of the batch

	learnables G.Nodes
	grads      G.Nodes // d Loss / d learnables[i]; nil unless a training graph
	parts      *partMap
}

// NewTraining builds the graph of one training step: forward, loss and the
// gradients of the loss with respect to every weight.
func NewTraining(p *Params, batch int) (*VAE, error) {
	return build(p, batch, true)
}

// NewEvaluation builds the forward graph only, for losses and reconstructions
// without gradient work.
func NewEvaluation(p *Params, batch int) (*VAE, error) {
	return build(p, batch, false)
}

func build(p *Params, batch int, withGrad bool) (*VAE, error) {
	if batch < 1 {
		return nil, fmt.Errorf("batch size %d: must be at least 1", batch)
	}
	g := G.NewGraph()
	dt := p.Dtype()
	s := p.Sizes
	m := &VAE{Graph: g, Batch: batch}
	m.X = G.NewMatrix(g, dt, G.WithShape(batch, s.Input), G.WithName("x"))
	m.Eps = G.NewMatrix(g, dt, G.WithShape(batch, s.Latent), G.WithName("eps"))
	m.KLWeight = G.NewScalar(g, dt, G.WithName("kl_weight"), G.WithValue(one(dt)))
	m.Y = labelInput(g, p, batch)

	w := bindAll(g, p)
	m.learnables = w.learnables()
	m.parts = newPartMap(g)
	m.parts.set(m.X, PartEncoder)
	m.parts.set(m.Y, PartEncoder)
	m.parts.set(m.Eps, PartReparameterization)
	m.parts.set(m.KLWeight, PartLoss)
	m.parts.weights(w)

	o := m.parts.ops()
	m.Mu, m.Logvar = encode(o, m.X, m.Y, w)
	m.parts.mark(PartEncoder)
	m.Z = reparameterize(o, m.Mu, m.Logvar, m.Eps)
	m.parts.mark(PartReparameterization)
	m.Logits = decode(o, m.Z, m.Y, w)
	m.Recon = o.name(o.sigmoid(m.Logits), "recon")
	m.parts.mark(PartDecoder)
	m.BCE = bce(o, m.Recon, m.Logits, m.X)
	m.KL = kl(o, m.Mu, m.Logvar)
	m.Loss = o.name(o.add(m.BCE, o.mul(m.KLWeight, m.KL)), "loss")
	m.parts.mark(PartLoss)
	if o.err != nil {
		return nil, fmt.Errorf("build VAE graph: %w", o.err)
	}
	if withGrad {
		grads, err := G.Grad(m.Loss, m.learnables...)
		m.grads = grads
		if err != nil {
			return nil, fmt.Errorf("differentiate VAE loss: %w", err)
		}
		m.parts.mark(PartGradients)
		// Gorgonia differentiates every input of an operation on the way,
		// including fc1's x·W with respect to the images x, which nothing
		// reads; the graph keeps only what the loss and the weights'
		// gradients need.
		m.Graph = g.SubgraphRoots(append(G.Nodes{m.Loss}, grads...)...)
	}
	return m, nil
}

// encode maps x to the parameters of q(z|x): h1 = relu(fc1(x)),
// mu = fc21(h1), logvar = fc22(h1). A conditional model reads [x, y].
func encode(o *ops, x, y *G.Node, w weights) (mu, logvar *G.Node) {
	h1 := o.name(o.relu(o.linear(withLabel(o, x, y), w.fc1)), "h1")
	mu = o.name(o.linear(h1, w.fc21), "mu")
	logvar = o.name(o.linear(h1, w.fc22), "logvar")
	return mu, logvar
}

// reparameterize draws z = mu + eps ⊙ std with std = exp(½·logvar). The noise
// eps is an input, so the gradient flows through mu and logvar only.
func reparameterize(o *ops, mu, logvar, eps *G.Node) *G.Node {
	std := o.name(o.exp(o.mul(o.scalar(0.5, logvar), logvar)), "std")
	return o.name(o.add(mu, o.mul(eps, std)), "z")
}

// decode maps z to the logits of the pixels' Bernoulli means:
// h3 = relu(fc3(z)), logits = fc4(h3). recon = sigmoid(logits). A
// conditional model reads [z, y].
func decode(o *ops, z, y *G.Node, w weights) *G.Node {
	h3 := o.name(o.relu(o.linear(withLabel(o, z, y), w.fc3)), "h3")
	return o.name(o.linear(h3, w.fc4), "logits")
}

// withLabel appends the one-hot label y to each row of a, if there is one.
func withLabel(o *ops, a, y *G.Node) *G.Node {
	if y == nil {
		return a
	}
	return o.concat(a, y)
}

// labelInput is the one-hot label input of a conditional model, else nil.
func labelInput(g *G.ExprGraph, p *Params, batch int) *G.Node {
	if !p.Sizes.Conditional() {
		return nil
	}
	return G.NewMatrix(g, p.Dtype(), G.WithShape(batch, p.Sizes.Classes), G.WithName("y"))
}

// Part tells which part of the diagram a node of the graph belongs to.
func (m *VAE) Part(n *G.Node) Part { return m.parts.of(n) }

// Layer names the fully connected layer ("fc1", ...) whose weights or
// x·W + b a node is, or "" for any other node.
func (m *VAE) Layer(n *G.Node) string { return m.parts.layer(n) }

// Learnables are the graph's weight nodes in the order of Params.All.
func (m *VAE) Learnables() G.Nodes { return m.learnables }

// WeightGrads pairs each weight with the node of its gradient, in the order
// of Params.All, for an optimizer: after a run of a training graph, Grad
// reads the gradient the graph computed. (Gorgonia's BindDualValues would
// instead add each gradient into a second copy that the optimizer must zero,
// two more passes over every weight's worth of memory a step.) Nil for a
// graph without gradients.
func (m *VAE) WeightGrads() []G.ValueGrad {
	if m.grads == nil {
		return nil
	}
	out := make([]G.ValueGrad, len(m.learnables))
	for i, w := range m.learnables {
		out[i] = weightGrad{w, m.grads[i]}
	}
	return out
}

// weightGrad is a weight node and its gradient node as a G.ValueGrad.
type weightGrad struct{ w, g *G.Node }

func (p weightGrad) Value() G.Value { return p.w.Value() }
func (p weightGrad) Name() string   { return p.w.Name() }

func (p weightGrad) Grad() (G.Value, error) {
	if v := p.g.Value(); v != nil {
		return v, nil
	}
	return nil, fmt.Errorf("gradient of %s: not computed yet", p.w.Name())
}

func one(dt tensor.Dtype) interface{} {
	if dt == tensor.Float32 {
		return float32(1)
	}
	return float64(1)
}
