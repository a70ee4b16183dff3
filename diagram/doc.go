// Package diagram draws the model's Gorgonia graphs as Graphviz diagrams that
// read like the VAE figure: nodes named by their role and shape (x [128×784],
// fc1.W, mu, eps, z, recon, bce, kl, loss), inputs, weights and operations
// drawn differently, and the encoder, reparameterization, decoder and loss in
// clusters of their own.
//
// The output is deterministic: node ids follow the order the model built the
// graph, never memory addresses (which Gorgonia's own ToDot uses), so the same
// config gives the same bytes.
package diagram
