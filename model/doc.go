// Package model owns the variational autoencoder as a symbolic Gorgonia graph.
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
// The weights live in Params, outside any graph, so that several graphs share
// them: the training graph (with gradients), an evaluation graph for other
// batch sizes, and a decoder-only graph for sampling. An optimizer that updates
// the weight tensors in place therefore updates every graph at once.
//
// The package knows nothing of files, epochs or optimizers; package train ties
// it to data.
package model
