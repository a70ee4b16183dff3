// Package sample owns what can be done with a trained VAE from its checkpoint
// alone: draw samples from the prior, reconstruct test images, interpolate
// between two images' codes, traverse one latent dimension at a time, map a
// 2-D latent space, scatter the test set's codes, and plot a run's loss
// curves. Each mode returns images or writes a plot; Write saves images as a
// PNG grid, a NumPy .npy array or an MNIST-style IDX file, by extension.
// For a conditional model it can also read its samples with a digit
// classifier (Recognise, which trains package classifier's network on the
// model's labelled data).
package sample
