// Command export writes a trained model's weights for other tools, in the
// format of the extension of -out:
//
//	.safetensors  every weight under the PyTorch example's names and layouts
//	              (fc1.weight [400, 784], fc1.bias [400], …), float32, with the
//	              model's sizes in __metadata__
//	.onnx         the decoder (z [N, 20] → x [N, 784]), or with -part encoder
//	              the encoder (x → mu, logvar); a conditional model also takes y
//	.npz          the same weights as .safetensors, for numpy.load
//
// Usage:
//
//	go run ./cmd/export -checkpoint out/mnist/checkpoint.ckpt -out vae.safetensors
//	go run ./cmd/export -checkpoint out/mnist/checkpoint.ckpt -out decoder.onnx
//	go run ./cmd/export -checkpoint out/mnist/checkpoint.ckpt -part encoder -out encoder.onnx
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/govae/govae/internal/cli"
	"github.com/govae/govae/interop"
	"github.com/govae/govae/model"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	checkpoint := fs.String("checkpoint", "", "checkpoint `file` written by training (required)")
	out := fs.String("out", "", "output `file`: .safetensors, .onnx or .npz (required)")
	part := fs.String("part", interop.PartDecoder, "for .onnx: decoder or encoder")
	if help, err := cli.Parse(fs, os.Args[1:]); help || err != nil {
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
