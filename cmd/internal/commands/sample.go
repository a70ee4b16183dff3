package commands

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/blas/openblas"
	"github.com/govae/govae/internal/logging"
	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
	"github.com/sirupsen/logrus"
)

// options are the command's flags.
type options struct {
	checkpoint, mode, out, pairs, metrics, data, z, prior string
	n, cols, steps, index, label                          int
	seed                                                  uint64
	slerp                                                 bool
}

// Sample runs govae sample with the arguments after the command's name (see cmd/sample).
func Sample(args []string) error {
	var o options
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	fs.StringVar(&o.checkpoint, "checkpoint", "", "checkpoint `file` written by training (required)")
	fs.StringVar(&o.mode, "mode", "samples", "samples, decode, digits, recon, interp, traverse, manifold, scatter or losses")
	fs.StringVar(&o.out, "out", "", "output `file`; its extension picks the format (required)")
	fs.IntVar(&o.n, "n", 0, "images (samples: 64, recon: 8), grid side (manifold: 20), or points (scatter: all)")
	fs.IntVar(&o.cols, "cols", 0, "tiles per row of a samples grid (default: square-ish)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the samples' codes")
	fs.IntVar(&o.label, "label", model.NoLabel, "digit 0–9 to draw (conditional models: samples, manifold)")
	fs.StringVar(&o.pairs, "pairs", "0:1", "interp: test image pairs `a:b,c:d`, one row each")
	fs.IntVar(&o.steps, "steps", 10, "interp and traverse: images per row")
	fs.BoolVar(&o.slerp, "slerp", false, "interp: spherical instead of linear")
	fs.IntVar(&o.index, "index", 0, "traverse: test image whose code is the base")
	fs.StringVar(&o.metrics, "metrics", "", "losses: metrics.csv `file` (default: beside the checkpoint)")
	fs.StringVar(&o.data, "data", "", "`folder` of the data (default: the checkpoint config's)")
	fs.StringVar(&o.z, "z", "", "decode: `file` of codes, a float32 .npy of shape [N, latent]")
	fs.StringVar(&o.prior, "prior", "standard", "samples: "+priorUsage)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	switch {
	case o.checkpoint == "":
		return fmt.Errorf("-checkpoint is required")
	case o.out == "":
		return fmt.Errorf("-out is required")
	}
	if _, err := openblas.Use(); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	if err := dispatch(ctx, o, fs); err != nil {
		return flagErrors(err, map[string]string{
			"n": "n", "label": "label", "steps": "steps", "pairs": "pairs", "z": "z",
		})
	}
	logging.New("text", os.Stderr).WithFields(logrus.Fields{"mode": o.mode, "seconds": time.Since(start).Seconds()}).Info("wrote " + o.out)
	return nil
}

const usage = `usage: go run ./cmd/sample -checkpoint PATH [-mode MODE] -out FILE [flags]

modes (the format follows the extension of -out: .png .npy .idx .idx.gz; plots .png .svg):
  samples   go run ./cmd/sample -checkpoint out/mnist/checkpoint.ckpt -n 64 -out samples.png
  decode    go run ./cmd/sample -checkpoint out/mnist/checkpoint.ckpt -mode decode -z codes.npy -out images.npy
  digits    go run ./cmd/sample -checkpoint out/mnist-cvae/checkpoint.ckpt -mode digits -n 10 -out digits.png
  recon     go run ./cmd/sample -checkpoint out/mnist/checkpoint.ckpt -mode recon -n 10 -out recon.png
  interp    go run ./cmd/sample -checkpoint out/mnist/checkpoint.ckpt -mode interp -pairs 0:1,2:3 -out interp.png
  traverse  go run ./cmd/sample -checkpoint out/mnist/checkpoint.ckpt -mode traverse -index 0 -out traverse.png
  manifold  go run ./cmd/sample -checkpoint out/mnist-2d/checkpoint.ckpt -mode manifold -n 20 -out manifold.png
  scatter   go run ./cmd/sample -checkpoint out/mnist/checkpoint.ckpt -mode scatter -out scatter.png
  losses    go run ./cmd/sample -checkpoint out/mnist/checkpoint.ckpt -mode losses -out losses.png

flags:`

func dispatch(ctx context.Context, o options, fs *flag.FlagSet) error {
	if o.mode == "losses" {
		metrics := o.metrics
		if metrics == "" {
			metrics = filepath.Join(filepath.Dir(o.checkpoint), "metrics.csv")
		}
		return sample.LossCurves(o.out, metrics)
	}
	m, err := model.Open(o.checkpoint)
	if err != nil {
		return err
	}
	n := func(def int) int {
		if isSet(fs, "n") {
			return o.n
		}
		return def
	}
	var test *dataset.Set
	if isSet(fs, "prior") && o.mode != "samples" {
		return fmt.Errorf("-prior: only -mode samples draws codes from a prior")
	}
	if o.mode != "samples" && o.mode != "digits" && o.mode != "manifold" && o.mode != "decode" {
		if test, err = sample.TestSet(m, o.data); err != nil {
			return err
		}
	}
	switch o.mode {
	case "samples":
		prior, err := priorFor(m, o.prior, o.data, logging.New("text", os.Stderr))
		if err != nil {
			return err
		}
		return sample.WriteSamples(ctx, o.out, m, prior, n(64), o.seed, o.label, o.cols, logging.Progress(os.Stderr, "images"))
	case "decode":
		if o.z == "" {
			return fmt.Errorf("-mode decode needs -z codes.npy")
		}
		z, err := sample.ReadCodes(o.z, m)
		if err != nil {
			return err
		}
		return sample.WriteDecoded(ctx, o.out, m, z, o.label, logging.Progress(os.Stderr, "images"))
	case "scatter":
		return sample.Scatter(m, o.out, test, n(0))
	}
	im, err := grid(m, test, o, n)
	if err != nil {
		return err
	}
	return sample.Write(o.out, im)
}

// grid makes the picture of one of the grid modes: digits, recon, interp,
// traverse or manifold; n is -n, or the mode's default when it is not set.
func grid(m *model.Model, test *dataset.Set, o options, n func(def int) int) (sample.Images, error) {
	switch o.mode {
	case "digits":
		return sample.Digits(m, n(10), o.seed)
	case "recon":
		if n(8) < 1 {
			return sample.Images{}, fmt.Errorf("-n %d: need at least one image", o.n)
		}
		return sample.Reconstructions(m, test, dataset.Sequential(n(8)))
	case "interp":
		pairs, err := parsePairs(o.pairs)
		if err != nil {
			return sample.Images{}, err
		}
		return sample.Interpolate(m, test, pairs, o.steps, o.slerp)
	case "traverse":
		return sample.Traverse(m, test, o.index, o.steps)
	case "manifold":
		return sample.Manifold(m, n(20), o.label)
	}
	return sample.Images{}, fmt.Errorf("unknown -mode %q: want samples, decode, digits, recon, interp, traverse, manifold, scatter or losses", o.mode)
}

// parsePairs reads "a:b,c:d".
func parsePairs(s string) ([][2]int, error) {
	var pairs [][2]int
	for _, p := range strings.Split(s, ",") {
		a, b, ok := strings.Cut(strings.TrimSpace(p), ":")
		i, err1 := strconv.Atoi(a)
		j, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("-pairs %q: want test image indices like 0:1,2:3", s)
		}
		pairs = append(pairs, [2]int{i, j})
	}
	return pairs, nil
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
