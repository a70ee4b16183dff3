package commands

import (
	"flag"
	"fmt"

	"github.com/govae/govae/config"
	"github.com/govae/govae/interop"
	"github.com/govae/govae/model"
)

// Import runs govae import with the arguments after the command's name (see cmd/import).
func Import(args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	weights := fs.String("weights", "", "`file` of weights, .safetensors (required)")
	configPath := fs.String("config", "", "YAML config `file` of the model and of a run continuing from it (required)")
	out := fs.String("out", "", "checkpoint `file` to write (required)")
	if help, err := parseFlags(fs, args); help || err != nil {
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
	p, err := interop.ReadWeights(*weights, cfg.Model())
	if err != nil {
		return err
	}
	ck := model.NewCheckpoint(p)
	ck.DataDir = cfg.DataDir
	if ck.RunConfig, err = cfg.Marshal(); err != nil {
		return err
	}
	return ck.Save(*out)
}
