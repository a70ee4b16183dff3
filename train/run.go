package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/logging"
	"github.com/govae/govae/internal/mpi"
	"github.com/govae/govae/progress"
	"github.com/sirupsen/logrus"
)

// CheckpointFile is the name of the checkpoint in the output folder,
// replaced atomically after every epoch.
const CheckpointFile = "checkpoint.ckpt"

// MetricsFile is the name of the per-epoch metrics in the output folder.
const MetricsFile = "metrics.csv"

// Options are how a run starts, beyond its Config.
type Options struct {
	Resume   *Checkpoint        // continue this run; nil starts afresh
	Log      logrus.FieldLogger // one line per epoch; nil logs nothing
	Progress bool               // draw a progress bar on stderr during each epoch

	// Group, if set, is the processes that train this model together (an
	// mpirun job): each trains on its share of every batch (see group.go).
	// Rank 0 alone writes the outputs, logs and draws progress; every rank
	// logs its weights' digest after each epoch, and all must match.
	Group mpi.Group
}

// Run trains for cfg.Epochs epochs in all (counting those a resumed
// checkpoint already did). After each epoch it writes the checkpoint, the
// pictures and a metrics row to cfg.OutDir, then logs the epoch's losses.
func Run(ctx context.Context, cfg config.Config, opts Options) error {
	r, err := startRun(cfg, opts)
	if err != nil {
		return err
	}
	for r.t.Epoch < r.s.Epochs {
		row, err := runEpoch(ctx, r.t)
		if errors.Is(err, ErrInterrupted) {
			return r.interrupted(err)
		}
		if err != nil {
			return err
		}
		if err := r.agree(); err != nil {
			return err
		}
		if err := r.write(row); err != nil {
			return err
		}
	}
	return nil
}

// run is a training run under way, and where its outputs go.
type run struct {
	t      *Trainer
	s      Settings
	log    logrus.FieldLogger // the run's log: rank 0's, or the only process's
	ranks  logrus.FieldLogger // the lines every process of a group logs
	writer bool               // this process writes the outputs
}

// startRun loads the data, makes the trainer and, in the process that
// writes, the output folder and the metrics file.
func startRun(cfg config.Config, opts Options) (*run, error) {
	r := &run{log: opts.Log, writer: opts.Group == nil || opts.Group.Rank() == 0}
	if r.log == nil {
		r.log = logging.New("text", io.Discard)
	}
	r.ranks = r.log
	if !r.writer {
		r.log = logging.New("text", io.Discard)
	}
	var loading, steps progress.Func
	if opts.Progress && r.writer {
		loading, steps = logging.Progress(os.Stderr, "images"), logging.Progress(os.Stderr, "steps")
	}
	cfg, d, err := LoadData(cfg, loading)
	if err != nil {
		return nil, err
	}
	logData(r.log, d)
	if r.s, err = Plan(cfg); err != nil {
		return nil, err
	}
	if r.t, err = newRunTrainer(r.s, opts.Resume, d.Train, d.Test); err != nil {
		return nil, err
	}
	r.t.Progress, r.t.Group = steps, opts.Group
	if _, err := r.t.agree("at the start"); err != nil {
		return nil, err
	}
	if r.writer {
		if err := os.MkdirAll(r.s.OutDir, 0o755); err != nil {
			return nil, fmt.Errorf("out_dir: %w", err)
		}
		if err := startMetrics(filepath.Join(r.s.OutDir, MetricsFile), r.t.Epoch); err != nil {
			return nil, err
		}
	}
	fields := logrus.Fields{"epoch": r.t.Epoch, "epochs": r.s.Epochs, "weights": r.t.Params.Count(), "out": r.s.OutDir}
	if opts.Group != nil {
		fields["processes"] = opts.Group.Size()
	}
	if obj := r.s.Objective; !obj.Plain() {
		fields["objective"] = obj.String()
	}
	r.log.WithFields(fields).Info("training")
	return r, nil
}

// agree checks, in a group, that every process ended the epoch with rank
// 0's weights, and logs this process's digest of them.
func (r *run) agree() error {
	g := r.t.Group
	if g == nil {
		return nil
	}
	digest, err := r.t.agree(fmt.Sprintf("after epoch %d", r.t.Epoch))
	if err != nil {
		return err
	}
	r.ranks.WithFields(logrus.Fields{"epoch": r.t.Epoch, "rank": g.Rank(), "weights": digest}).Info("weights agree")
	return nil
}

// write saves an epoch's outputs: the pictures when due, the checkpoint,
// the metrics row, a snapshot when due, and the epoch's log line.
func (r *run) write(row Row) error {
	if !r.writer {
		return nil
	}
	t, s := r.t, r.s
	if n := s.PicturesEvery; n > 0 && (t.Epoch%n == 0 || t.Epoch == s.Epochs) {
		if err := t.writePictures(s.OutDir); err != nil {
			return err
		}
	}
	if t.Epoch == s.Epochs {
		var err error
		if t.Prior, err = FitPrior(t.model, t.Train); err != nil {
			return err
		}
	}
	if err := t.Save(filepath.Join(s.OutDir, CheckpointFile)); err != nil {
		return err
	}
	if err := appendMetrics(filepath.Join(s.OutDir, MetricsFile), row); err != nil {
		return err
	}
	if err := t.snapshot(s.OutDir); err != nil {
		return err
	}
	entry := r.log.WithFields(logrus.Fields{
		"epoch": row.Epoch, "train_loss": round(row.Train.NegELBO()), "test_loss": round(row.Test.NegELBO()),
		"test_recon": round(row.Test.Recon), "test_kl": round(row.Test.KL), "seconds": round(row.Seconds),
	})
	if row.Skipped > 0 {
		entry = entry.WithField("skipped_batches", row.Skipped)
	}
	entry.Info("epoch done")
	return nil
}

// interrupted saves the mid-epoch checkpoint of a run that was asked to stop,
// so that -resume continues from the very next step.
func (r *run) interrupted(cause error) error {
	if !r.writer {
		return nil
	}
	path := filepath.Join(r.s.OutDir, CheckpointFile)
	if err := r.t.Save(path); err != nil {
		return fmt.Errorf("%v; saving its checkpoint failed: %w", cause, err)
	}
	r.log.WithFields(logrus.Fields{"checkpoint": path, "epoch": r.t.Epoch + 1, "step": r.t.Partial.Step}).
		Warn("interrupted: resume with -resume " + path)
	return nil
}

// runEpoch trains one epoch, then measures the test loss.
func runEpoch(ctx context.Context, t *Trainer) (Row, error) {
	result, err := t.TrainEpoch(ctx)
	if err != nil {
		return Row{}, err
	}
	testTerms, err := t.Evaluate(t.Test)
	if err != nil {
		return Row{}, err
	}
	return Row{Epoch: t.Epoch, Train: result.Train, Test: testTerms, Seconds: result.Seconds, LR: t.Adam.LR, Skipped: result.Skipped}, nil
}

func newRunTrainer(s Settings, resume *Checkpoint, trainSet, testSet *dataset.Set) (*Trainer, error) {
	if resume == nil {
		return NewTrainer(s, trainSet, testSet)
	}
	return ResumeTrainer(resume, s, trainSet, testSet)
}

// LoadData reads the training and test sets the config names (data_dir, or
// MNIST from its Go module), cut to train_limit and test_limit and binarised
// as binarize says, and returns the config with what it left to the data
// filled in (input_size, classes). progress, if not nil, is told the number
// of image files to decode, then ticked per file.
func LoadData(cfg config.Config, progress progress.Func) (config.Config, *dataset.Data, error) {
	spec := cfg.Data()
	spec.Progress = progress
	d, err := dataset.Load(spec)
	if err != nil {
		return cfg, nil, err
	}
	cfg, err = cfg.WithData(d)
	return cfg, d, err
}

// logData logs what was loaded, and the files left out.
func logData(log logrus.FieldLogger, d *dataset.Data) {
	s := d.Train
	fields := logrus.Fields{"data": d.Dir, "train": s.Len(), "test": d.Test.Len(), "size": fmt.Sprintf("%d×%d×%d", s.Channels, s.Rows, s.Cols), "classes": s.Classes}
	kind := "loaded IDX files"
	if d.Folder {
		kind = "loaded image folder"
	}
	if len(d.Skipped) > 0 {
		fields["skipped"] = len(d.Skipped)
		log.WithField("first", d.Skipped[0]).Warnf("left out %d unreadable image files (skip_unreadable)", len(d.Skipped))
	}
	log.WithFields(fields).Info(kind)
}

// round keeps three decimals for the log, leaving huge and non-finite values be.
func round(v float64) float64 { return math.Round(v*1000) / 1000 }

// snapshot keeps a copy of the checkpoint as checkpoint_<epoch>.ckpt when the
// epoch is a multiple of snapshot_every, for following a long run afterwards.
func (t *Trainer) snapshot(dir string) error {
	if n := t.Settings.SnapshotEvery; n <= 0 || t.Epoch%n != 0 {
		return nil
	}
	return t.Save(filepath.Join(dir, fmt.Sprintf("checkpoint_%d.ckpt", t.Epoch)))
}
