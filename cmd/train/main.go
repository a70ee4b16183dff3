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
// time, no cgo needed), else in pure Go (vek's AVX2 kernels, or gonum on a
// CPU without AVX2); GOVAE_BLAS=openblas, go or gonum forces the choice.
//
// Each epoch logs one line and writes metrics.csv, reconstruction_<epoch>.png,
// sample_<epoch>.png and checkpoint.ckpt into the output folder.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/cli"
	"github.com/govae/govae/internal/logging"
	"github.com/govae/govae/internal/openblas"
	"github.com/govae/govae/train"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	configPath := fs.String("config", "", "YAML config `file` (default: the built-in MNIST defaults)")
	resume := fs.String("resume", "", "continue from this `checkpoint`")
	epochs := fs.Int("epochs", 0, "total number of epochs")
	out := fs.String("out", "", "output `folder`")
	seed := fs.Uint64("seed", 0, "random seed")
	data := fs.String("data", "", "`folder` of IDX files or of images (default: MNIST)")
	logFormat := fs.String("log", "", "log format: text or json")
	if help, err := cli.Parse(fs, os.Args[1:]); help || err != nil {
		return err
	}

	cfg, ck, err := loadConfig(*configPath, *resume)
	if err != nil {
		return err
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "epochs":
			cfg.Epochs = *epochs
		case "out":
			cfg.OutDir = *out
		case "seed":
			cfg.Seed = *seed
		case "data":
			cfg.DataDir = *data
		case "log":
			cfg.LogFormat = *logFormat
		}
	})
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("flags: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := logging.New(cfg.LogFormat, os.Stderr)
	blas, err := openblas.Use()
	if err != nil {
		return err
	}
	log.WithField("blas", blas).Info("matrix products")
	return train.Run(ctx, cfg, train.Options{Resume: ck, Log: log, Progress: true})
}

// loadConfig reads the config from a file, from a checkpoint being resumed, or
// takes the defaults.
func loadConfig(path, resume string) (config.Config, *train.Checkpoint, error) {
	switch {
	case path != "" && resume != "":
		return config.Config{}, nil, fmt.Errorf("give -config or -resume, not both: a checkpoint carries its own config")
	case resume != "":
		ck, err := train.LoadCheckpoint(resume)
		if err != nil {
			return config.Config{}, nil, err
		}
		return ck.Config, ck, nil
	case path != "":
		cfg, err := config.Load(path)
		return cfg, nil, err
	}
	return config.Default(), nil, nil
}
