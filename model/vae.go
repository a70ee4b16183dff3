package model

import (
	"fmt"

	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model/nn"
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
	Eps      *G.Node // injected noise, [batch·k × latent] (k codes an image, in a row), drawn from N(0, I) by the caller; nil for an autoencoder
	KLWeight *G.Node // scalar weight of the KL term (1 unless warming up); starts at 1; nil for an autoencoder
	Eps2     *G.Node // the second stochastic layer's noise, [batch·k × latent2]; nil for one layer

	// The diagram, in order. A plain autoencoder (Config.Autoencoder) has
	// no Logvar and no KL: its code Z is the point Mu, its Loss the BCE.
	Mu, Logvar *G.Node // q(z|x) = N(mu, exp(logvar))
	Z          *G.Node // samples of q(z|x), k an image

	// The second stochastic layer (Config.Stochastic 2), else nil: q(z2|z1)
	// = N(Mu2, exp(Logvar2)), its samples Z2, and the prior p(z1|z2) =
	// N(PriorMu, exp(PriorLogvar)) that replaces N(0, I) for Z.
	Mu2, Logvar2         *G.Node
	Z2                   *G.Node
	PriorMu, PriorLogvar *G.Node

	Logits *G.Node // fc4's output, before the sigmoid
	Recon  *G.Node // sigmoid(Logits): the decoder's means (Bernoulli or Gaussian)
	BCE    *G.Node // reconstruction term, −log p(x|z) summed over pixels and batch (BCE, or a Gaussian's NLL), averaged over the k codes
	KL     *G.Node // KL(q(z|x) ‖ N(0, I)), summed over the batch; with two stochastic layers, log q(z1, z2|x) − log p(z1, z2) sampled, averaged over the k codes
	LogW   *G.Node // IWAE only: each code's log p(x, z)/q(z|x), with the KL weight on log p(z)/q(z|x)
	Loss   *G.Node // the objective's negative bound of the batch: BCE + KLWeight·KL for the ELBO

	// Learnables are the weight nodes, in the order of Params.All; Grads
	// (training graphs only) the nodes of d Loss / d Learnables[i], which
	// every run computes anew.
	Learnables G.Nodes
	Grads      G.Nodes
}

// NewTraining builds the graph of one training step on the objective obj
// (its zero value is the ELBO of one code an image): forward, loss and the
// gradients of the loss with respect to every weight.
func NewTraining(p *Params, batch int, obj Objective) (*VAE, error) {
	return runner.Declare(func() (*VAE, error) {
		m, err := build(p, batch, obj)
		if err != nil {
			return nil, err
		}
		if m.Grads, err = G.Grad(m.Loss, m.Learnables...); err != nil {
			return nil, fmt.Errorf("differentiate VAE loss: %w", err)
		}
		// Gorgonia differentiates every input of an operation on the way,
		// including fc1's x·W with respect to the images x, which nothing
		// reads; the graph keeps only what the loss and the weights'
		// gradients need.
		// An IWAE loss does not read the BCE and KL nodes, which report the
		// ELBO's terms beside it: they are roots of their own.
		roots := G.Nodes{m.Loss, m.BCE}
		if m.KL != nil {
			roots = append(roots, m.KL)
		}
		m.Graph = m.Graph.SubgraphRoots(append(roots, m.Grads...)...)
		return m, nil
	})
}

// NewEvaluation builds the forward graph only, for the ELBO's terms and
// reconstructions without gradient work: one code an image.
func NewEvaluation(p *Params, batch int) (*VAE, error) {
	return runner.Declare(func() (*VAE, error) { return build(p, batch, Objective{}) })
}

// build declares the diagram: encode, reparameterize, decode, loss — or,
// for a plain autoencoder, encode, decode, reconstruction loss. With k codes
// an image, mu and logvar are repeated k times before the reparameterization
// and the images (and labels) before the decoder meets them.
func build(p *Params, batch int, obj Objective) (*VAE, error) {
	if batch < 1 {
		return nil, fmt.Errorf("batch size %d: must be at least 1", batch)
	}
	if err := obj.Check(p.Config); err != nil {
		return nil, err
	}
	s, k := p.Config, obj.K()
	m := declareInputs(p, batch, k)
	w := bindAll(m.Graph, p)
	m.Learnables = w.learnables()

	o := &ops{}
	m.Mu, m.Logvar = encode(o, m.X, m.Y, w)
	mu, logvar, x, y := o.repeat(m.Mu, k), o.repeat(m.Logvar, k), o.repeat(m.X, k), o.repeat(m.Y, k)
	if s.Variational() {
		m.Z = reparameterize(o, mu, logvar, m.Eps, "")
	} else {
		m.Z = m.Mu // an autoencoder's code is the point the encoder gives
	}
	var logw nn.LogWeights // DReG's: the log-weights its codes' gradient is scaled by
	zDecoded := m.Z
	if obj.DReG {
		zDecoded = o.keep(nn.ImportancePath(m.Z, k, &logw))
	}
	m.Logits = decode(o, zDecoded, y, w)
	m.Recon = o.name(o.sigmoid(m.Logits), "recon")
	m.bound(o, w, obj, x, m.sampledLatent(o, w, obj, zDecoded, mu, logvar, &logw))
	logw.Node = m.LogW
	if o.err != nil {
		return nil, fmt.Errorf("build VAE graph: %w", o.err)
	}
	return m, nil
}

// declareInputs makes the graph of a batch of images with k codes each, and
// its inputs: the images, the noise and KL weight of a VAE, the second
// layer's noise, the labels of a conditional model.
func declareInputs(p *Params, batch, k int) *VAE {
	g, dt, s := G.NewGraph(), p.Dtype(), p.Config
	m := &VAE{Graph: g, Batch: batch}
	m.X = G.NewMatrix(g, dt, G.WithShape(batch, s.Input), G.WithName("x"))
	if s.Variational() {
		m.Eps = G.NewMatrix(g, dt, G.WithShape(batch*k, s.Latent), G.WithName("eps"))
		m.KLWeight = G.NewScalar(g, dt, G.WithName("kl_weight"), G.WithValue(one(dt)))
	}
	if s.TwoLayers() {
		m.Eps2 = G.NewMatrix(g, dt, G.WithShape(batch*k, s.Latent2), G.WithName("eps2"))
	}
	m.Y = labelInput(g, p, batch)
	return m
}

// sampledLatent is each code's log q − log p for the bounds that sample it:
// every bound of two stochastic layers (after drawing z2 and p(z1|z2)), and
// the IWAE bound's of one, DReG's with q behind a stopped gradient; nil for
// the ELBO's closed-form KL. z is the codes as the decoder reads them, mu and
// logvar repeated k times; DReG's second layer reads z2 through its own
// ImportancePath of logw.
func (m *VAE) sampledLatent(o *ops, w weights, obj Objective, z, mu, logvar *G.Node, logw *nn.LogWeights) *G.Node {
	switch {
	case w.config.TwoLayers():
		m.Mu2, m.Logvar2 = encodeTop(o, m.Z, w)
		m.Z2 = reparameterize(o, m.Mu2, m.Logvar2, m.Eps2, "2")
		if obj.DReG {
			z2 := o.keep(nn.ImportancePath(m.Z2, obj.K(), logw))
			m.PriorMu, m.PriorLogvar = priorOf(o, z2, w)
			return latentTwoStopped(o, z, z2, mu, logvar, m.PriorMu, m.PriorLogvar, w)
		}
		m.PriorMu, m.PriorLogvar = priorOf(o, m.Z2, w)
		return latentTwo(o, m.Eps, logvar, topLatent(o, m.Z, m.Z2, m.Eps2, m.Logvar2, m.PriorMu, m.PriorLogvar))
	case obj.DReG:
		return latentStopped(o, z, mu, logvar)
	case obj.importanceWeighted():
		return latentOne(o, m.Z, m.Eps, logvar)
	}
	return nil
}

// bound declares the loss: the reconstruction alone (an autoencoder), the
// IWAE bound from each code's log-weight, or the ELBO; x is the images
// repeated k times.
func (m *VAE) bound(o *ops, w weights, obj Objective, x, latent *G.Node) {
	k := obj.K()
	switch {
	case !w.config.Variational():
		m.BCE = reconstruction(o, m.Recon, m.Logits, x, w.logScale)
		m.Loss = m.BCE // the reconstruction alone
	case obj.importanceWeighted():
		m.KL = m.klTerm(o, w, latent, k)
		m.BCE, m.LogW, m.Loss = iwae(o, m.Recon, m.Logits, x, latent, m.KLWeight, k)
	default:
		m.BCE = o.perCode(reconstruction(o, m.Recon, m.Logits, x, w.logScale), k)
		m.KL = m.klTerm(o, w, latent, k)
		m.Loss = o.name(o.add(m.BCE, o.mul(m.KLWeight, m.KL)), "loss")
	}
}

// klTerm is the KL term the graph reports (and the ELBO adds): in closed
// form for one stochastic layer, or for two the sampled latent term of the
// codes averaged over the k of each image.
func (m *VAE) klTerm(o *ops, w weights, latent *G.Node, k int) *G.Node {
	if w.config.TwoLayers() {
		return o.name(o.perCode(o.sum(latent), k), "kl")
	}
	return kl(o, m.Mu, m.Logvar)
}

// encode maps x to the parameters of q(z|x): h1 = relu(fc1(x)) (with
// Depth 2, then h1b = relu(fc1b(h1)); tanh for the Tanh activation),
// mu = fc21(h1), logvar = fc22(h1) — or, for a plain autoencoder, which has
// no fc22, to the point mu alone (logvar nil). A conditional model reads
// [x, y]; the conv model reads its convolutions' features instead of x.
func encode(o *ops, x, y *G.Node, w weights) (mu, logvar *G.Node) {
	h1 := hidden(o, withLabel(o, features(o, x, w), y), w.Fc1, w.Fc1b, w.config, "h1")
	mu = o.name(o.linear(h1, w.Fc21), "mu")
	if w.config.Autoencoder {
		return mu, nil
	}
	logvar = o.name(o.linear(h1, w.Fc22), "logvar")
	return mu, logvar
}

// reparameterize draws z = mu + eps ⊙ std with std = exp(½·logvar). The noise
// eps is an input, so the gradient flows through mu and logvar only. The
// nodes are named std and z, with layer's suffix ("2" for z2).
func reparameterize(o *ops, mu, logvar, eps *G.Node, layer string) *G.Node {
	std := o.name(o.exp(o.mul(o.scalar(0.5, logvar), logvar)), "std"+layer)
	return o.name(o.add(mu, o.mul(eps, std)), "z"+layer)
}

// decode maps z to the logits of the pixels' means: h3 = relu(fc3(z))
// (with Depth 2, then h3b = relu(fc3b(h3)); tanh for Tanh), logits = fc4(h3); recon = sigmoid(logits). A conditional model reads
// [z, y]; the conv model passes fc4's output through its transposed
// convolutions.
func decode(o *ops, z, y *G.Node, w weights) *G.Node {
	h3 := hidden(o, withLabel(o, z, y), w.Fc3, w.Fc3b, w.config, "h3")
	return o.name(upsample(o, o.linear(h3, w.Fc4), w), "logits")
}

// features is what fc1 reads: the images x, or for the conv model
// relu(conv2(relu(conv1(x)))) flattened, 64·7·7 values for MNIST.
func features(o *ops, x *G.Node, w weights) *G.Node {
	if w.Conv1.W == nil {
		return x
	}
	c1, c2, _, _ := w.config.ConvSpecs()
	n := x.Shape()[0]
	img := o.reshape(x, n, c1.In, c1.Height, c1.Width)
	h := o.name(o.relu(o.conv(c1, img, w.Conv1)), "e1")
	h = o.name(o.relu(o.conv(c2, h, w.Conv2)), "e2")
	return o.reshape(h, n, w.config.features())
}

// upsample turns fc4's output into logits: itself, or for the conv model
// deconv2(relu(deconv1(relu(fc4's output) as 64 channels of 7×7))), flattened.
func upsample(o *ops, h *G.Node, w weights) *G.Node {
	if w.Deconv1.W == nil {
		return h
	}
	_, _, d1, d2 := w.config.ConvSpecs()
	n := h.Shape()[0]
	h = o.reshape(o.name(o.relu(h), "d0"), n, d1.In, d1.Height, d1.Width)
	h = o.name(o.relu(o.conv(d1, h, w.Deconv1)), "d1")
	return o.reshape(o.conv(d2, h, w.Deconv2), n, w.config.Input)
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
	if !p.Config.Conditional() {
		return nil
	}
	return G.NewMatrix(g, p.Dtype(), G.WithShape(batch, p.Config.Classes), G.WithName("y"))
}

func one(dt tensor.Dtype) interface{} {
	if dt == tensor.Float32 {
		return float32(1)
	}
	return float64(1)
}
