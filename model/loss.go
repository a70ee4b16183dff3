package model

import (
	"github.com/govae/govae/model/nn"
	G "gorgonia.org/gorgonia"
)

// bce is the reconstruction term: the binary cross-entropy between the images x
// and the decoder's Bernoulli means recon = sigmoid(l), summed over pixels and
// batch. It is computed from the logits l, using
//
//	-[x·log σ(l) + (1-x)·log(1-σ(l))] = softplus(l) - x·l,
//
// which stays finite where σ(l) rounds to exactly 0 or 1 and log would not.
// The graph computes it as one fused operation (package nn) rather
// than as softplus, product, difference and sum nodes: same values and
// gradients, a fraction of the passes over memory.
func bce(o *ops, recon, logits, x *G.Node) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.name(o.keep(nn.BCE(recon, logits, x)), "bce")
}

// reconstruction is −log p(x|z) summed over pixels and batch: the BCE of a
// Bernoulli decoder, or the NLL of a Gaussian one of log-scales logScale.
func reconstruction(o *ops, recon, logits, x, logScale *G.Node) *G.Node {
	if logScale == nil {
		return bce(o, recon, logits, x)
	}
	return gaussianNLL(o, recon, logits, x, logScale)
}

// gaussianNLL is the reconstruction term of a Gaussian decoder with means
// recon = sigmoid(l) and a learned log standard deviation c per pixel:
//
//	−log N(x; recon, e^(2c)) = Σ ½·ln 2π + c + ½·(x − recon)²·e^(−2c)
//
// one fused operation (package nn), like bce.
func gaussianNLL(o *ops, recon, logits, x, logScale *G.Node) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.name(o.keep(nn.GaussianNLL(recon, logits, x, logScale)), "gaussian")
}

// kl is the KL divergence of q(z|x) = N(mu, diag(exp(logvar))) from the prior
// N(0, I), in closed form (Kingma & Welling 2013, Appendix B), summed over the
// batch:
//
//	KL = -½ · Σ (1 + logvar - mu² - exp(logvar))
func kl(o *ops, mu, logvar *G.Node) *G.Node {
	terms := o.add(o.scalar(1, logvar), logvar) // 1 + logvar
	terms = o.sub(terms, o.square(mu))          //   - mu²
	terms = o.sub(terms, o.exp(logvar))         //   - exp(logvar)
	return o.name(o.mul(o.scalar(-0.5, mu), o.sum(terms)), "kl")
}

// iwae is the negative importance-weighted bound of Burda et al. (2015),
// summed over the batch, from k codes an image (rows b·k … b·k+k−1 of the
// decoder's output are image b's) and each code's latent term log q − log p
// (latentOne, latentTwo):
//
//	log w_i = log p(x|z_i) − klWeight·(log q(z_i|x) − log p(z_i))
//	loss    = −Σ_b log (1/k) Σ_i w_i
//
// bce reports the reconstruction term averaged over the codes, as the
// ELBO's.
func iwae(o *ops, recon, logits, x, latent, klWeight *G.Node, k int) (bce, logw, loss *G.Node) {
	if o.err != nil {
		return nil, nil, nil
	}
	rows := o.name(o.keep(nn.BCERows(recon, logits, x)), "bce_rows") // −log p(x|z_i)
	bce = o.name(o.mul(o.scalar(1/float64(k), rows), o.sum(rows)), "bce")
	logw = o.name(o.neg(o.add(rows, o.mul(klWeight, latent))), "log_w")
	loss = o.name(o.neg(o.keep(nn.LogMeanExp(logw, k))), "loss")
	return bce, logw, loss
}
