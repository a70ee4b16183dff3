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

// evalFlags are govae eval's flags.
type evalFlags struct {
	checkpoint, data, logFormat, mpi, prior string
	k, n, chunk, recognise, samples         int
	seed                                    uint64
	kSet                                    bool // -k was given
}

// report is what govae eval prints: the test set's figures, and those of
// the samples it was asked to judge.
type report struct {
	likelihood.Result
	*classifier.Recognition
	Quality *classifier.Quality `json:"quality,omitempty"`
}

// Eval runs govae eval with the arguments after the command's name (see cmd/eval).
func Eval(args []string) error {
	o, help, err := parseEval(args)
	if help || err != nil {
		return err
	}
	world, err := joinMPI(o.mpi)
	if err != nil {
		return err
	}
	if _, err := openblas.Use(); err != nil {
		return err
	}
	m, err := model.Open(o.checkpoint)
	if err != nil {
		return err
	}
	test, err := sample.TestSet(m, o.data)
	if err != nil {
		return err
	}
	opts := likelihood.Options{K: o.k, N: o.n, Seed: o.seed, Chunk: o.chunk, Progress: logging.Progress(os.Stderr, "images")}
	if !m.Config().Variational() && !o.kSet {
		opts.K = 0 // a plain autoencoder: its reconstruction alone, unless -k asks for an NLL
	}
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
		return flagErrors(err, map[string]string{"k": "k"})
	}
	log := logging.New(o.logFormat, os.Stderr)
	fields := logrus.Fields{"reconstruction": r.Reconstruction, "n": r.N, "seconds": r.Seconds, "images_per_second": float64(r.N) / r.Seconds}
	if r.K > 0 {
		fields["elbo"], fields["recon"], fields["kl"], fields["nll"], fields["k"] = r.NegELBO, r.Recon, r.KL, r.NLL, r.K
		for _, b := range r.Bounds {
			fields[fmt.Sprintf("bound_k%d", b.K)] = b.NLL
		}
	}
	log.WithFields(fields).Info("test set")
	out, err := judge(m, o, report{Result: r}, log)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		return err
	}
	return closeWorld(world)
}

func parseEval(args []string) (evalFlags, bool, error) {
	var o evalFlags
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.StringVar(&o.checkpoint, "checkpoint", "", "checkpoint `file` written by training (required)")
	fs.IntVar(&o.k, "k", 5000, "importance samples per image (a plain autoencoder has no likelihood: its reconstruction alone)")
	fs.IntVar(&o.n, "n", 0, "evaluate the first N test images (0 = all 10,000)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the importance samples")
	fs.StringVar(&o.data, "data", "", "`folder` of the data (default: the checkpoint config's)")
	fs.IntVar(&o.chunk, "chunk", likelihood.DefaultChunk, "codes decoded at once")
	fs.StringVar(&o.logFormat, "log", "text", "log format: text or json")
	fs.IntVar(&o.recognise, "recognise", 0, "conditional models: also train a digit classifier and read `N` samples per digit")
	fs.IntVar(&o.samples, "samples", 0, "also judge `N` samples of the prior with a digit classifier (data with labels)")
	fs.StringVar(&o.prior, "prior", "standard", "-samples: "+priorUsage)
	fs.StringVar(&o.mpi, "mpi", "auto", mpiUsage)
	if help, err := parseFlags(fs, args); help || err != nil {
		return o, help, err
	}
	o.kSet = isSet(fs, "k")
	switch {
	case o.checkpoint == "":
		return o, false, fmt.Errorf("-checkpoint is required")
	case o.k < 1:
		return o, false, fmt.Errorf("-k %d: need at least one importance sample", o.k)
	case o.n < 0:
		return o, false, fmt.Errorf("-n %d: must be 0 (all) or more", o.n)
	case o.chunk < 1:
		return o, false, fmt.Errorf("-chunk %d: must be at least 1", o.chunk)
	case o.logFormat != "text" && o.logFormat != "json":
		return o, false, fmt.Errorf("-log %q: want text or json", o.logFormat)
	case o.samples < 0:
		return o, false, fmt.Errorf("-samples %d: must be 0 (none) or more", o.samples)
	}
	return o, false, nil
}

// judge adds to the report what a digit classifier makes of the model's
// samples, if the flags ask: a conditional model's digits (-recognise), the
// prior's samples (-samples).
func judge(m *model.Model, o evalFlags, out report, log logrus.FieldLogger) (report, error) {
	if o.recognise == 0 && o.samples == 0 {
		return out, nil
	}
	d, err := sample.Data(m, o.data)
	if err != nil {
		return out, err
	}
	if o.recognise > 0 {
		rec, err := classifier.Recognise(m, d, o.recognise, o.seed, logging.Progress(os.Stderr, "steps"))
		if err != nil {
			return out, flagErrors(err, map[string]string{"model": "recognise", "per_digit": "recognise"})
		}
		log.WithFields(logrus.Fields{"recognised": rec.Overall, "by_digit": rec.ByDigit, "classifier_accuracy": rec.ClassifierAccuracy}).
			Info("conditional samples read by a digit classifier")
		out.Recognition = &rec
	}
	if o.samples > 0 {
		prior, err := priorFor(m, o.prior, o.data, log)
		if err != nil {
			return out, err
		}
		q, err := classifier.Judge(m, d, prior, o.prior, o.samples, o.seed, logging.Progress(os.Stderr, "steps"))
		if err != nil {
			return out, flagErrors(err, map[string]string{"samples": "samples"})
		}
		log.WithFields(logrus.Fields{"prior": q.Prior, "samples": q.Samples, "confident": q.Confident, "score": q.Score, "classifier_accuracy": q.ClassifierAccuracy}).
			Info("prior samples read by a digit classifier")
		out.Quality = &q
	}
	return out, nil
}
