package commands

import (
	"flag"
	"fmt"

	"github.com/govae/govae/interop"
	"github.com/govae/govae/model"
)

// Export runs govae export with the arguments after the command's name (see cmd/export).
func Export(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	checkpoint := fs.String("checkpoint", "", "checkpoint `file` written by training (required)")
	out := fs.String("out", "", "output `file`: .safetensors, .onnx or .npz (required)")
	part := fs.String("part", interop.PartDecoder, "for .onnx: decoder or encoder")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	switch {
	case *checkpoint == "":
		return fmt.Errorf("-checkpoint is required")
	case *out == "":
		return fmt.Errorf("-out is required (for example -out vae.safetensors)")
	}
	m, err := model.Open(*checkpoint)
	if err != nil {
		return err
	}
	if err := interop.Export(*out, m, *part); err != nil {
		return fmt.Errorf("-out %s: %w", *out, err)
	}
	return nil
}
