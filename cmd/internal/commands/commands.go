// Package commands holds govae's subcommands, each a function of its
// arguments (the words after the command's name), and what they share in
// speaking to a person: reading flags and naming the flag behind a library's
// argument error. The one binary cmd/govae and the one-command mains
// cmd/train, cmd/sample, … call the same functions, so `govae train -epochs 1`
// and `go run ./cmd/train -epochs 1` are one program.
//
// A command translates: flags into a config or a package's options, a
// package's errors into the flag that caused them. The work is the packages'.
package commands

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// A Command is one of govae's subcommands.
type Command struct {
	Name    string
	Summary string                    // one line for govae help
	Run     func(args []string) error // the arguments after the name
}

// All returns govae's subcommands, in the order govae help lists them.
func All() []Command {
	return []Command{
		{"train", "train a VAE on MNIST, an IDX set or a folder of images", Train},
		{"sample", "decode samples, reconstructions, walks and plots from a checkpoint", Sample},
		{"eval", "score a checkpoint on its test set: -ELBO, NLL, bits/dim", Eval},
		{"graph", "draw the model's graph with Graphviz", Graph},
		{"serve", "serve a checkpoint over HTTP, with the latent explorer", Serve},
		{"export", "write a checkpoint's weights as safetensors, ONNX or npz", Export},
		{"import", "make a checkpoint from safetensors weights (from PyTorch)", Import},
		{"shapes", "write a small colour image folder to train on", Shapes},
	}
}

// Main runs one command with the process's arguments and exits non-zero
// with one line "name: error" if it fails: the main of a one-command binary.
func Main(name string, run func(args []string) error) {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Govae runs `govae COMMAND [flags]`: the command named by args[0] with the
// rest, or help. Errors name the command they came from.
func Govae(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		listCommands(stdout)
		return fmt.Errorf("no command given: govae COMMAND [flags]")
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return Govae([]string{args[1], "-h"}, stdout)
		}
		listCommands(stdout)
		return nil
	}
	for _, c := range All() {
		if c.Name == name {
			if err := c.Run(args[1:]); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		}
	}
	return fmt.Errorf("unknown command %q (the commands are %s; govae help lists them)", name, names())
}

func listCommands(w io.Writer) {
	fmt.Fprintln(w, "govae: a variational autoencoder in Go\n\nUsage: govae COMMAND [flags]   (govae help COMMAND shows a command's flags)\n\nCommands:")
	for _, c := range All() {
		fmt.Fprintf(w, "  %-8s %s\n", c.Name, c.Summary)
	}
}

func names() string {
	var n []string
	for _, c := range All() {
		n = append(n, c.Name)
	}
	return strings.Join(n, ", ")
}
