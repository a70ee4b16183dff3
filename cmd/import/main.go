// Command import turns weights trained elsewhere (a .safetensors file under
// the PyTorch example's names and layouts, as cmd/export writes them or
// PyTorch's state_dict saved as safetensors) and a config into a checkpoint
// that every command accepts: cmd/sample, cmd/eval, cmd/serve, and cmd/train
// -resume, which continues from those weights with a fresh optimizer.
//
// Usage:
//
//	go run ./cmd/import -weights model.safetensors -config configs/mnist.yaml -out model.ckpt
//
// The tensors' names, shapes and dtype are checked against the config's
// model: a missing, extra or mis-shaped tensor is one line naming it, and
// nothing is written.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/cli"
	"github.com/govae/govae/interop"
	"github.com/govae/govae/model"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "import:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	weights := fs.String("weights", "", "`file` of weights, .safetensors (required)")
	configPath := fs.String("config", "", "YAML config `file` of the model and of a run continuing from it (required)")
	out := fs.String("out", "", "checkpoint `file` to write (required)")
	if help, err := cli.Parse(fs, os.Args[1:]); help || err != nil {
		return err
	}
	switch {
	case *weights == "":
		return fmt.Errorf("-weights is required")
	case *configPath == "":
		return fmt.Errorf("-config is required: it says the model's sizes and how a run continues")
	case *out == "":
		return fmt.Errorf("-out is required (for example -out model.ckpt)")
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		return err
	}
	p, err := interop.ReadWeights(*weights, cfg.Sizes())
	if err != nil {
		return err
	}
	ck := model.NewCheckpoint(p)
	ck.DataDir = cfg.DataDir
	if ck.Config, err = cfg.Marshal(); err != nil {
		return err
	}
	return ck.Save(*out)
}
