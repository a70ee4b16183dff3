// Package sample owns what can be done with a trained VAE from its checkpoint
// alone: draw samples from the prior, reconstruct test images, interpolate
// between two images' codes, traverse one latent dimension at a time, map a
// 2-D latent space, scatter the test set's codes, and plot a run's loss
// curves. Each mode returns images or writes a plot; Write saves images as a
// PNG grid, a NumPy .npy array or an MNIST-style IDX file, by extension.
// TestSet and Data load the data a model trained on, prepared as its run
// prepared it.
package sample
