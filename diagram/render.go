package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/goccy/go-graphviz"
	"github.com/govae/govae/internal/atomicfile"
)

// Formats lists the output formats Write accepts.
var Formats = []string{"dot", "svg", "png"}

// FormatOf picks the format from a file name's extension (.dot/.gv, .svg, .png).
func FormatOf(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".dot", ".gv":
		return "dot", nil
	case ".svg":
		return "svg", nil
	case ".png":
		return "png", nil
	default:
		return "", fmt.Errorf("%s: unknown extension %q: want .dot, .gv, .svg or .png (or give -format)", path, ext)
	}
}

// Write saves a dot source to path in a format: "dot" as it is, "svg"
// rendered in pure Go by go-graphviz, "png" by Graphviz's dot command, which
// must be on the PATH (go-graphviz's PNG output is broken). The file appears
// whole or not at all.
func Write(ctx context.Context, path, format string, dot []byte) error {
	var render func(io.Writer) error
	switch format {
	case "dot":
		render = func(w io.Writer) error { _, err := w.Write(dot); return err }
	case "svg":
		render = func(w io.Writer) error { return SVG(ctx, dot, w) }
	case "png":
		render = func(w io.Writer) error { return dotCommand(ctx, "png", dot, w) }
	default:
		return fmt.Errorf("unknown format %q: want one of %s", format, strings.Join(Formats, ", "))
	}
	return atomicfile.Write(path, render)
}

// SVG renders dot source as SVG without any Graphviz installation.
func SVG(ctx context.Context, dot []byte, w io.Writer) error {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("start graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("parse dot: %w", err)
	}
	defer g.Close()
	if err := gv.Render(ctx, g, graphviz.SVG, w); err != nil {
		return fmt.Errorf("render svg: %w", err)
	}
	return nil
}

// dotCommand renders with Graphviz's own dot program.
func dotCommand(ctx context.Context, format string, dot []byte, w io.Writer) error {
	bin, err := exec.LookPath("dot")
	if err != nil {
		return fmt.Errorf("%s output needs Graphviz's dot command on the PATH (apt-get install graphviz); .svg works without it", format)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-T"+format)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(dot), w, &stderr
	if err := cmd.Run(); err != nil {
		return errors.New("dot: " + strings.TrimSpace(stderr.String()) + ": " + err.Error())
	}
	return nil
}
