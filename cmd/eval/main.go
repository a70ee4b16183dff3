// Command eval measures a trained VAE on the test set: the negative ELBO, its
// reconstruction and KL terms, and the importance-sampled negative
// log-likelihood (Burda et al. 2015), all in nats per image.
//
// Usage:
//
//	go run ./cmd/eval -checkpoint PATH [-k 5000] [-n IMAGES] [-seed 1] [-data DIR] [-recognise N] [-log text|json]
//
// It logs one line on stderr and prints one JSON line on stdout:
//
//	{"elbo":105.2,"recon":80.3,"kl":24.9,"nll":99.6,"k":5000,"n":1000,"seconds":62.1}
//
// where "elbo" is the negative ELBO (the training loss). The NLL estimate is a
// bound that tightens as -k grows, and always sits below the negative ELBO.
// With -recognise N, a conditional model's N samples per digit are read by a
// digit classifier trained on the spot (a few seconds), and the JSON gains
// "recognised" (the fraction read as the digit asked), "by_digit" and
// "classifier_accuracy".
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/govae/govae/internal/cli"
	"github.com/govae/govae/internal/logging"
	"github.com/govae/govae/internal/openblas"
	"github.com/govae/govae/likelihood"
	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
	"github.com/sirupsen/logrus"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	checkpoint := fs.String("checkpoint", "", "checkpoint `file` written by training (required)")
	k := fs.Int("k", 5000, "importance samples per image")
	n := fs.Int("n", 0, "evaluate the first N test images (0 = all 10,000)")
	seed := fs.Uint64("seed", 1, "seed of the importance samples")
	data := fs.String("data", "", "`folder` of the data (default: the checkpoint config's)")
	chunk := fs.Int("chunk", likelihood.DefaultChunk, "codes decoded at once")
	logFormat := fs.String("log", "text", "log format: text or json")
	recognise := fs.Int("recognise", 0, "conditional models: also train a digit classifier and read `N` samples per digit")
	if help, err := cli.Parse(fs, os.Args[1:]); help || err != nil {
		return err
	}
	switch {
	case *checkpoint == "":
		return fmt.Errorf("-checkpoint is required")
	case *k < 1:
		return fmt.Errorf("-k %d: need at least one importance sample", *k)
	case *n < 0:
		return fmt.Errorf("-n %d: must be 0 (all) or more", *n)
	case *chunk < 1:
		return fmt.Errorf("-chunk %d: must be at least 1", *chunk)
	case *logFormat != "text" && *logFormat != "json":
		return fmt.Errorf("-log %q: want text or json", *logFormat)
	}
	if _, err := openblas.Use(); err != nil {
		return err
	}
	m, err := model.Open(*checkpoint)
	if err != nil {
		return err
	}
	test, err := sample.TestSet(m, *data)
	if err != nil {
		return err
	}
	opts := likelihood.Options{K: *k, N: *n, Seed: *seed, Chunk: *chunk}
	if bar := logging.Progress(os.Stderr, "images"); bar != nil {
		images := *n
		if images <= 0 || images > test.Len() {
			images = test.Len()
		}
		opts.Tick = bar("test set", images)
	}
	r, err := likelihood.Evaluate(m, test, opts)
	if err != nil {
		return err
	}
	log := logging.New(*logFormat, os.Stderr)
	log.WithFields(logrus.Fields{
		"elbo": r.NegELBO, "recon": r.Recon, "kl": r.KL, "nll": r.NLL, "k": r.K, "n": r.N,
		"seconds": r.Seconds, "images_per_second": float64(r.N) / r.Seconds,
	}).Info("test set")
	out := struct {
		likelihood.Result
		*sample.Recognition
	}{Result: r}
	if *recognise > 0 {
		rec, err := sample.Recognise(m, *data, *recognise, *seed, logging.Progress(os.Stderr, "steps"))
		if err != nil {
			return cli.Flags(err, map[string]string{"model": "recognise", "per_digit": "recognise"})
		}
		log.WithFields(logrus.Fields{"recognised": rec.Overall, "by_digit": rec.ByDigit, "classifier_accuracy": rec.ClassifierAccuracy}).
			Info("conditional samples read by a digit classifier")
		out.Recognition = &rec
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
