// Package likelihood owns the honest measure of a trained VAE: the
// importance-sampled estimate of the test log-likelihood (Burda, Grosse &
// Salakhutdinov 2015, "Importance Weighted Autoencoders"),
//
//	log p(x) ≈ log (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x),   z_k ~ q(z|x),
//
// next to the negative ELBO and its two terms, and bits per dimension. The
// decoder term is the likelihood the model trained with: Bernoulli (BCE from
// the logits) or Gaussian (learned per-pixel log-scales), computed by package
// model/nn's kernels one image at a time. The estimate is a
// lower bound on log p(x) that tightens as K grows; K = 1 gives the ELBO in
// expectation. For a conditional model everything is conditioned on the label:
// log p(x | y). The test images can be shared across a group of processes
// (Options.Group), each image drawing from its own stream, so the answer does
// not depend on how many there are.
package likelihood
