// Command shapes writes a small colour image folder to train on: circles,
// squares and triangles of random colours (README, "Your own images").
//
// Usage:
//
//	go run ./cmd/shapes -out data/shapes [-n 2000] [-size 32] [-seed 1]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/govae/govae/internal/cli"
	"github.com/govae/govae/internal/shapes"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "shapes:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("shapes", flag.ContinueOnError)
	out := fs.String("out", "", "`folder` to write (one subfolder per shape; required)")
	n := fs.Int("n", 2000, "images per shape")
	size := fs.Int("size", 32, "side of the images in pixels")
	seed := fs.Uint64("seed", 1, "random seed")
	if help, err := cli.Parse(fs, os.Args[1:]); help || err != nil {
		return err
	}
	switch {
	case *out == "":
		return fmt.Errorf("-out is required")
	case *n < 1 || *n > 100000:
		return fmt.Errorf("-n %d: want 1 to 100000 images per shape", *n)
	case *size < 4 || *size > 512:
		return fmt.Errorf("-size %d: want 4 to 512 pixels", *size)
	}
	if err := shapes.WriteFolder(*out, *n, *size, *seed); err != nil {
		return err
	}
	fmt.Printf("wrote %d images of %d×%d to %s\n", *n*len(shapes.Classes), *size, *size, *out)
	return nil
}
