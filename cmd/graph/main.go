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

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/govae/govae/config"
	"github.com/govae/govae/diagram"
	"github.com/govae/govae/internal/cli"
	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "graph:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	configPath := fs.String("config", "", "YAML config `file` (default: the built-in MNIST defaults)")
	out := fs.String("out", "", "output `file`: .dot, .gv, .svg or .png")
	format := fs.String("format", "", "dot, svg or png (default: from the extension of -out)")
	part := fs.String("part", diagram.ViewTraining, "which graph: vae (training) or decoder (sampling)")
	grad := fs.Bool("grad", false, "include the backward pass")
	batch := fs.Int("batch", 0, "batch size drawn (default: the config's batch_size)")
	if help, err := cli.Parse(fs, os.Args[1:]); help || err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("-out is required (for example -out vae.svg)")
	}
	cfg := config.Default()
	if *configPath != "" {
		var err error
		if cfg, err = config.Load(*configPath); err != nil {
			return err
		}
	}
	if *batch == 0 {
		*batch = cfg.BatchSize
	}
	if *format == "" {
		var err error
		if *format, err = diagram.FormatOf(*out); err != nil {
			return err
		}
	}
	params, err := model.NewParams(cfg.Sizes(), tensor.Float32, rand.New(rand.NewPCG(cfg.Seed, 0)))
	if err != nil {
		return err
	}
	g, err := diagram.New(*part, cfg.Sizes(), *batch, *grad, params)
	if err != nil {
		return err
	}
	return diagram.Write(context.Background(), *out, *format, g.Dot())
}
