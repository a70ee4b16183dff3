package commands

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/blas/openblas"
	"github.com/govae/govae/internal/logging"
	"github.com/govae/govae/train"
	"github.com/sirupsen/logrus"
)

// trainGCPercent is the garbage collector's headroom while training, unless
// GOGC sets it: a run's heap is mostly its weights, optimizer state and
// activations, alive from start to end, and the runtime's default (100) lets
// the heap grow to twice that before it collects. Most of it is float arrays
// the collector does not scan, so collecting more often costs little.
const trainGCPercent = 25

// Train runs govae train with the arguments after the command's name (see cmd/train).
func Train(args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	configPath := fs.String("config", "", "YAML config `file` (default: the built-in MNIST defaults)")
	resume := fs.String("resume", "", "continue from this `checkpoint`")
	epochs := fs.Int("epochs", 0, "total number of epochs")
	out := fs.String("out", "", "output `folder`")
	seed := fs.Uint64("seed", 0, "random seed")
	data := fs.String("data", "", "`folder` of IDX files or of images (default: MNIST)")
	logFormat := fs.String("log", "", "log format: text or json")
	mpiMode := fs.String("mpi", "auto", mpiUsage)
	if help, err := parseFlags(fs, args); help || err != nil {
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

	world, err := joinMPI(*mpiMode)
	if err != nil {
		return err
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(trainGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := logging.New(cfg.LogFormat, os.Stderr)
	blas, err := openblas.Use()
	if err != nil {
		return err
	}
	opts := train.Options{Resume: ck, Log: log, Progress: true}
	if world != nil {
		opts.Group = world
	}
	if world == nil || world.Rank() == 0 {
		log.WithFields(logrus.Fields{"blas": blas, "cpus": runtime.GOMAXPROCS(0)}).Info("matrix products")
	}
	if err := train.Run(ctx, cfg, opts); err != nil {
		return err // without MPI_Finalize, which would wait for the others: mpirun ends the job
	}
	return closeWorld(world)
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
