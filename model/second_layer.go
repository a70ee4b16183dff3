package model

import (
	"fmt"

	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model/nn"
	G "gorgonia.org/gorgonia"
)

// The second stochastic layer of Burda et al. (2015), Config.Stochastic 2:
//
//	x ─q(z1|x)→ z1 ─q(z2|z1)→ z2          (the encoder, as the diagram's, then fc5…fc62)
//	z2 ~ N(0, I) ─p(z1|z2)→ z1 ─p(x|z1)→ x  (the generative model: fc7…fc82, then the decoder)
//
// Each arrow is a network of Depth hidden layers (Hidden wide for the first
// layer's, Hidden2 for the second's) giving the mean and log-variance of a
// diagonal Gaussian, z2 is drawn by the same reparameterization as z1, and
// the latent term of each code is sampled, not in closed form:
//
//	log q(z1|x) + log q(z2|z1) − log p(z1|z2) − log p(z2)
//	  = ½ Σ [(z1 − m)²·e^(−v) + v − eps1² − logvar1] + ½ Σ [z2² − eps2² − logvar2]
//
// for the prior's mean m and log-variance v of z1, the normalising constants
// cancelling.

// encodeTop maps z1 to the parameters of q(z2|z1): mu2 = fc61(h), logvar2 =
// fc62(h) for h = act(fc5(z1)) (then act(fc5b(h)) with Depth 2).
func encodeTop(o *ops, z1 *G.Node, w weights) (mu2, logvar2 *G.Node) {
	h := hidden(o, z1, w.Fc5, w.Fc5b, w.config, "h5")
	return o.name(o.linear(h, w.Fc61), "mu2"), o.name(o.linear(h, w.Fc62), "logvar2")
}

// priorOf maps z2 to the parameters of p(z1|z2): its mean fc81(h) and
// log-variance fc82(h) for h = act(fc7(z2)) (then act(fc7b(h)) with Depth 2).
func priorOf(o *ops, z2 *G.Node, w weights) (mu, logvar *G.Node) {
	h := hidden(o, z2, w.Fc7, w.Fc7b, w.config, "h7")
	return o.name(o.linear(h, w.Fc81), "prior_mu"), o.name(o.linear(h, w.Fc82), "prior_logvar")
}

// hidden is a network's hidden layers: act(first(a)), then act(second(·))
// for a model of Depth 2, named name and name+"b".
func hidden(o *ops, a *G.Node, first, second layerNodes, s Config, name string) *G.Node {
	h := o.name(o.activate(s, o.linear(a, first)), name)
	if s.deep() {
		h = o.name(o.activate(s, o.linear(h, second)), name+"b")
	}
	return h
}

// latentTwo is each code's log q(z1|x) + log q(z2|z1) − log p(z1|z2) −
// log p(z2), one value a row: topLatent less ½ Σ (eps1² + logvar1), from
// z1's noise and log-variance.
func latentTwo(o *ops, eps1, logvar1, top *G.Node) *G.Node {
	rows := o.sumRows(o.add(o.square(eps1), logvar1))
	return o.name(o.sub(top, o.mul(o.scalar(0.5, rows), rows)), "latent_rows")
}

// topLatent is each code's log q(z2|z1) − log p(z1|z2) − log p(z2), one
// value a row, the normalising constants left out (they cancel against
// log q(z1|x)'s): ½ Σ [(z1 − m)²·e^(−v) + v] + ½ Σ [z2² − eps2² − logvar2].
func topLatent(o *ops, z1, z2, eps2, logvar2, priorMu, priorLogvar *G.Node) *G.Node {
	first := o.add(scaledSquare(o, z1, priorMu, priorLogvar), priorLogvar)
	second := o.sub(o.sub(o.square(z2), o.square(eps2)), logvar2)
	sum := o.add(o.sumRows(first), o.sumRows(second))
	return o.name(o.mul(o.scalar(0.5, sum), sum), "top_latent")
}

// latentOne is latentTwo's one-layer counterpart, log q(z|x) − log p(z) =
// ½ Σ (z² − eps² − logvar) for each code of the diagram.
func latentOne(o *ops, z, eps, logvar *G.Node) *G.Node {
	rows := o.sumRows(o.sub(o.sub(o.square(z), o.square(eps)), logvar))
	return o.name(o.mul(o.scalar(0.5, rows), rows), "latent_rows")
}

// latentStopped is latentOne for DReG: log q(z|x) − log p(z) =
// ½ Σ (z² − (z − mu)²·e^(−logvar) − logvar), the same values, with mu and
// logvar behind a stopped gradient, so that q reaches the encoder only
// through the codes z.
func latentStopped(o *ops, z, mu, logvar *G.Node) *G.Node {
	mu, logvar = o.unary(nn.StopGradient, mu), o.unary(nn.StopGradient, logvar)
	q := scaledSquare(o, z, mu, logvar)
	rows := o.sumRows(o.sub(o.sub(o.square(z), q), logvar))
	return o.name(o.mul(o.scalar(0.5, rows), rows), "latent_rows")
}

// latentTwoStopped is latentTwo for DReG: the same values, with both of q's
// Gaussians written in their codes and their parameters behind a stopped
// gradient, so that q reaches the encoder only through the codes:
//
//	½ Σ [(z1 − m)²·e^(−v) + v − (z1 − mu1)²·e^(−logvar1) − logvar1]
//	  + ½ Σ [z2² − (z2 − mu2)²·e^(−logvar2) − logvar2]
//
// mu1 and logvar1 stopped, and mu2 and logvar2 from q(z2|z1)'s network with
// its weights stopped but z1 live: the codes' path through q(z2|z1) is
// part of ∂log w/∂z1. z1 and z2 are the codes behind ImportancePath;
// priorMu and priorLogvar, p(z1|z2)'s.
func latentTwoStopped(o *ops, z1, z2, mu1, logvar1, priorMu, priorLogvar *G.Node, w weights) *G.Node {
	held := w
	held.Fc5, held.Fc5b, held.Fc61, held.Fc62 = stopped(o, w.Fc5), stopped(o, w.Fc5b), stopped(o, w.Fc61), stopped(o, w.Fc62)
	mu2, logvar2 := encodeTop(o, z1, held)
	mu1, logvar1 = o.unary(nn.StopGradient, mu1), o.unary(nn.StopGradient, logvar1)
	gauss := func(z, mean, logvar *G.Node) *G.Node { return o.add(scaledSquare(o, z, mean, logvar), logvar) }
	first := o.sub(gauss(z1, priorMu, priorLogvar), gauss(z1, mu1, logvar1))
	second := o.sub(o.square(z2), gauss(z2, mu2, logvar2))
	sum := o.add(o.sumRows(first), o.sumRows(second))
	return o.name(o.mul(o.scalar(0.5, sum), sum), "latent_rows")
}

// scaledSquare is (z − mean)²·e^(−logvar), a diagonal Gaussian's squared
// distance in each coordinate, which every sampled latent term reads.
func scaledSquare(o *ops, z, mean, logvar *G.Node) *G.Node {
	return o.mul(o.square(o.sub(z, mean)), o.exp(o.neg(logvar)))
}

// stopped is a layer whose weight and bias are behind a stopped gradient
// (a layer the model does not have stays absent).
func stopped(o *ops, l layerNodes) layerNodes {
	if l.W == nil {
		return l
	}
	return layerNodes{W: o.unary(nn.StopGradient, l.W), B: o.unary(nn.StopGradient, l.B)}
}

// TopLayer is the second stochastic layer on its own, for work that draws
// z1 itself (the likelihood estimator): from codes z1 and noise eps2 it
// draws z2 = mu2 + eps2 ⊙ std2 from q(z2|z1) and gives each row's Latent,
// log q(z2|z1) − log p(z1|z2) − log p(z2) without the normalising
// constants, which cancel against log q(z1|x)'s. It shares its weights with
// every graph built from the same Params.
type TopLayer struct {
	Graph    *G.ExprGraph
	Batch    int
	Z1, Eps2 *G.Node // inputs, [batch × latent] and [batch × latent2]
	Latent   *G.Node // [batch]
}

// NewTopLayer builds the second stochastic layer's graph for batches of the
// given size, for a model of two stochastic layers.
func NewTopLayer(p *Params, batch int) (*TopLayer, error) {
	return runner.Declare(func() (*TopLayer, error) {
		s := p.Config
		switch {
		case batch < 1:
			return nil, fmt.Errorf("batch size %d: must be at least 1", batch)
		case !s.TwoLayers():
			return nil, fmt.Errorf("model %v has one stochastic layer", s)
		}
		g := G.NewGraph()
		t := &TopLayer{Graph: g, Batch: batch}
		t.Z1 = G.NewMatrix(g, p.Dtype(), G.WithShape(batch, s.Latent), G.WithName("z"))
		t.Eps2 = G.NewMatrix(g, p.Dtype(), G.WithShape(batch, s.Latent2), G.WithName("eps2"))
		o, w := &ops{}, bindAll(g, p)
		mu2, logvar2 := encodeTop(o, t.Z1, w)
		z2 := reparameterize(o, mu2, logvar2, t.Eps2, "2")
		priorMu, priorLogvar := priorOf(o, z2, w)
		t.Latent = topLatent(o, t.Z1, z2, t.Eps2, logvar2, priorMu, priorLogvar)
		if o.err != nil {
			return nil, fmt.Errorf("build second stochastic layer's graph: %w", o.err)
		}
		return t, nil
	})
}
