// Command train trains the variational autoencoder on MNIST, another IDX
// data set, or a folder of images.
//
// Usage:
//
//	go run ./cmd/train [-config FILE] [-resume CHECKPOINT] [flags]
//
// Without -config it uses the defaults of the PyTorch reference run (the same
// values as configs/mnist.yaml). With -resume it continues the run a
// checkpoint saved, under that checkpoint's config. Flags given explicitly
// override the config:
//
//	-epochs N    total epochs (a resumed run trains until it has done N)
//	-out DIR     output folder (metrics.csv, checkpoint.ckpt, PNGs)
//	-seed N      seed of the weights, shuffles and noise
//	-data DIR    folder of IDX files or of images instead of the Go module's MNIST
//	-log FORMAT  text or json
//
// Matrix products run on OpenBLAS when libopenblas is installed (found at run
// time, no cgo needed), else in pure Go (the project's own AVX2 matrix
// kernel, or gonum on a CPU without AVX2); GOVAE_BLAS=openblas, go or gonum
// forces the choice.
//
// Each epoch logs one line and writes metrics.csv, reconstruction_<epoch>.png,
// sample_<epoch>.png and checkpoint.ckpt into the output folder.
package main

import "github.com/govae/govae/cmd/internal/commands"

func main() { commands.Main("train", commands.Train) }
