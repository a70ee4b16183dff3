package commands

import (
	"flag"
	"fmt"

	"github.com/govae/govae/internal/shapes"
)

// Shapes runs govae shapes with the arguments after the command's name (see cmd/shapes).
func Shapes(args []string) error {
	fs := flag.NewFlagSet("shapes", flag.ContinueOnError)
	out := fs.String("out", "", "`folder` to write (one subfolder per shape; required)")
	n := fs.Int("n", 2000, "images per shape")
	size := fs.Int("size", 32, "side of the images in pixels")
	seed := fs.Uint64("seed", 1, "random seed")
	if help, err := parseFlags(fs, args); help || err != nil {
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
