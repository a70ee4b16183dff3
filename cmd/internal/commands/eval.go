package commands

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/govae/govae/classifier"
	"github.com/govae/govae/internal/blas/openblas"
	"github.com/govae/govae/internal/logging"
	"github.com/govae/govae/likelihood"
	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
	"github.com/sirupsen/logrus"
)

// Eval runs govae eval with the arguments after the command's name (see cmd/eval).
func Eval(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	checkpoint := fs.String("checkpoint", "", "checkpoint `file` written by training (required)")
	k := fs.Int("k", 5000, "importance samples per image")
	n := fs.Int("n", 0, "evaluate the first N test images (0 = all 10,000)")
	seed := fs.Uint64("seed", 1, "seed of the importance samples")
	data := fs.String("data", "", "`folder` of the data (default: the checkpoint config's)")
	chunk := fs.Int("chunk", likelihood.DefaultChunk, "codes decoded at once")
	logFormat := fs.String("log", "text", "log format: text or json")
	recognise := fs.Int("recognise", 0, "conditional models: also train a digit classifier and read `N` samples per digit")
	mpiMode := fs.String("mpi", "auto", mpiUsage)
	if help, err := parseFlags(fs, args); help || err != nil {
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
	world, err := joinMPI(*mpiMode)
	if err != nil {
		return err
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
	opts := likelihood.Options{K: *k, N: *n, Seed: *seed, Chunk: *chunk, Progress: logging.Progress(os.Stderr, "images")}
	if world != nil {
		opts.Group = world
		if world.Rank() != 0 { // rank 0 alone speaks
			opts.Progress = nil
			if _, err := likelihood.Evaluate(m, test, opts); err != nil {
				return err // without MPI_Finalize, which would wait for rank 0: mpirun ends the job
			}
			return world.Close()
		}
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
		*classifier.Recognition
	}{Result: r}
	if *recognise > 0 {
		d, err := sample.Data(m, *data)
		if err != nil {
			return err
		}
		rec, err := classifier.Recognise(m, d, *recognise, *seed, logging.Progress(os.Stderr, "steps"))
		if err != nil {
			return flagErrors(err, map[string]string{"model": "recognise", "per_digit": "recognise"})
		}
		log.WithFields(logrus.Fields{"recognised": rec.Overall, "by_digit": rec.ByDigit, "classifier_accuracy": rec.ClassifierAccuracy}).
			Info("conditional samples read by a digit classifier")
		out.Recognition = &rec
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		return err
	}
	if world != nil {
		return world.Close()
	}
	return nil
}
