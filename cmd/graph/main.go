// Command graph exports the VAE's computation graph as a Graphviz diagram.
//
// Usage:
//
//	go run ./cmd/graph [-config FILE] -out FILE [-format dot|svg|png] [-part vae|decoder] [-grad] [-batch N]
//
// The diagram is the graph the training TapeMachine runs, built from the
// config's sizes and batch size: nodes named by their role and shape, in
// clusters for the encoder, the reparameterization, the decoder and the loss.
// -grad adds the backward pass; -part decoder draws the sampling path alone.
// The format follows the extension of -out: .dot writes the dot source
// (byte-identical for the same config), .svg renders it in pure Go, .png
// needs Graphviz's dot command on the PATH.
//
// Examples:
//
//	go run ./cmd/graph -config configs/mnist.yaml -out vae.dot
//	go run ./cmd/graph -config configs/mnist.yaml -out vae.svg
//	go run ./cmd/graph -part decoder -batch 64 -out decoder.svg
package main

import "github.com/govae/govae/cmd/internal/commands"

func main() { commands.Main("graph", commands.Graph) }
