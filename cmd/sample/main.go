// Command sample generates from, and looks inside, a trained VAE using only
// its checkpoint (which carries the model's sizes and where its data came
// from).
//
// Usage:
//
//	go run ./cmd/sample -checkpoint PATH [-mode MODE] -out FILE [flags]
//
// The output format follows the extension of -out: images go to .png (a grid),
// .npy (float32, n×784, for numpy.load) or .idx / .idx.gz (MNIST's format);
// plots (scatter, losses) go to .png or .svg. Samples stream to .npy and .idx
// whatever their number; a picture holds at most 10,000 images. -h lists the
// modes, each with an example.
package main

import "github.com/govae/govae/cmd/internal/commands"

func main() { commands.Main("sample", commands.Sample) }
