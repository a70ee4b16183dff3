package commands

import (
	"context"
	"flag"
	"fmt"

	"github.com/govae/govae/config"
	"github.com/govae/govae/diagram"
	"github.com/govae/govae/internal/streams"
	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// Graph runs govae graph with the arguments after the command's name (see cmd/graph).
func Graph(args []string) error {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	configPath := fs.String("config", "", "YAML config `file` (default: the built-in MNIST defaults)")
	out := fs.String("out", "", "output `file`: .dot, .gv, .svg or .png")
	format := fs.String("format", "", "dot, svg or png (default: from the extension of -out)")
	part := fs.String("part", diagram.ViewTraining, "which graph: vae (training) or decoder (sampling)")
	grad := fs.Bool("grad", false, "include the backward pass")
	batch := fs.Int("batch", 0, "batch size drawn (default: the config's batch_size)")
	if help, err := parseFlags(fs, args); help || err != nil {
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
	params, err := model.NewParams(cfg.Model(), tensor.Float32, streams.New(cfg.Seed, streams.Init, 0))
	if err != nil {
		return err
	}
	g, err := diagram.New(*part, cfg.Model(), *batch, cfg.TrainingObjective(), *grad, params)
	if err != nil {
		return err
	}
	return diagram.Write(context.Background(), *out, *format, g.Dot())
}
