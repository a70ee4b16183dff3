// Package model owns the variational autoencoder: its graph, its weights,
// its checkpoint file, and the API of a trained model.
//
// The graph reads like the classic VAE diagram (Kingma & Welling 2013, and the
// PyTorch example's vae/main.py):
//
//	x ─fc1─ReLU─┬─fc21→ mu ─────┐
//	            └─fc22→ logvar ─┤ z = mu + eps ⊙ exp(½·logvar)   (eps: injected input)
//	                            ▼
//	                z ─fc3─ReLU─fc4→ logits → sigmoid → recon
//	loss = BCE(logits, x) + klWeight·KL(mu, logvar)           (both summed over the batch)
//
// Three options of Config change a part of it, and nothing else: a Gaussian
// decoder (Likelihood) replaces the BCE by the NLL of N(x; sigmoid(logits),
// e^(2c)) with learned per-pixel log-scales c; the conv architecture (Arch)
// puts two strided convolutions before fc1 and two transposed ones after fc4;
// a plain autoencoder (Autoencoder) drops fc22, eps and KL: z = mu, and the
// loss is the reconstruction alone. A Prior fitted to training codes gives
// any model, and an autoencoder above all, codes to sample from.
//
// The training graph's Objective draws k codes an image: mu and logvar are
// repeated k times, the decoder runs on batch·k rows, and the loss is the
// ELBO with its reconstruction averaged over the codes, or the
// importance-weighted bound −Σ log (1/k) Σ_i p(x, z_i)/q(z_i|x) (Burda et
// al. 2015). With k = 1 both are the diagram above.
//
// A second stochastic layer (Config.Stochastic 2, Burda et al.'s two-layer
// model) stacks z2 above z: q(z2|z) after the encoder, and a learned prior
// p(z|z2) with p(z2) = N(0, I) in place of N(0, I); the decoder still reads
// z, and the KL term is sampled (log q − log p of the codes drawn). The
// codes a Model speaks are then z2's: Encode gives q(z2|mu) (and q(z|x)
// beside it), Decode and Sample start from z2 and decode the mean of p(z|z2).
//
// The layers, activations and losses are operations of package nn, below
// this one; this package declares the graph from them.
//
// The weights live in Params, outside any graph, so that several graphs share
// them: the training graph (with gradients), an evaluation graph for other
// batch sizes, and the encoder and decoder graphs of a Model. Whatever
// updates the weight tensors in place therefore updates every graph at once.
//
// A Checkpoint is the file that carries a model: its sizes, its weights, how
// long it trained, and (opaque here) whatever the trainer needs to continue.
// Open reads one into a Model, which encodes, decodes, samples and
// reconstructs, safely from many goroutines:
//
//	m, err := model.Open("out/mnist/checkpoint.ckpt")
//	images, err := m.Sample(64, 1, model.NoLabel)
//
// The package knows nothing of data files or optimizers: package train ties
// the graph to data and an optimizer. A checkpoint records how far training
// went (Checkpoint.Epoch, the run's configuration) and carries the trainer's
// state as opaque bytes, so that a run resumes from the file alone.
package model
