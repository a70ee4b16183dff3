// Command govae is every govae command in one binary:
//
//	govae train -config configs/mnist.yaml
//	govae sample -checkpoint out/mnist/checkpoint.ckpt -out samples.png
//	govae help
//
// Install it with
//
//	go install github.com/govae/govae/cmd/govae@latest
//
// Each subcommand is the same code as its one-command main (cmd/train,
// cmd/sample, …), with the same flags.
package main

import (
	"fmt"
	"os"

	"github.com/govae/govae/cmd/internal/commands"
)

func main() {
	if err := commands.Govae(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "govae:", err)
		os.Exit(1)
	}
}
