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
}

// Run trains for cfg.Epochs epochs in all (counting those a resumed
// checkpoint already did). After each epoch it writes the checkpoint, the
// pictures and a metrics row to cfg.OutDir, then logs the epoch's losses.
func Run(ctx context.Context, cfg config.Config, opts Options) error {
	log := opts.Log
	if log == nil {
		log = logging.New("text", io.Discard)
	}
	var loading, steps progress.Func
	if opts.Progress {
		loading, steps = logging.Progress(os.Stderr, "images"), logging.Progress(os.Stderr, "steps")
	}
	cfg, d, err := LoadData(cfg, loading)
	if err != nil {
		return err
	}
	logData(log, d)
	s, err := Plan(cfg)
	if err != nil {
		return err
	}

	t, err := newRunTrainer(s, opts.Resume, d.Train, d.Test)
	if err != nil {
		return err
	}
	t.Progress = steps
	if err := os.MkdirAll(s.OutDir, 0o755); err != nil {
		return fmt.Errorf("out_dir: %w", err)
	}
	metrics := filepath.Join(s.OutDir, MetricsFile)
	if err := startMetrics(metrics, t.Epoch); err != nil {
		return err
	}
	log.WithFields(logrus.Fields{"epoch": t.Epoch, "epochs": s.Epochs, "weights": t.Params.Count(), "out": s.OutDir}).Info("training")
	checkpoint := filepath.Join(s.OutDir, CheckpointFile)
	for t.Epoch < s.Epochs {
		row, err := runEpoch(ctx, t)
		if errors.Is(err, ErrInterrupted) {
			return interrupted(t, checkpoint, log, err)
		}
		if err != nil {
			return err
		}
		if n := s.PicturesEvery; n > 0 && (t.Epoch%n == 0 || t.Epoch == s.Epochs) {
			if err := t.writePictures(s.OutDir); err != nil {
				return err
			}
		}
		if err := t.Checkpoint().Save(checkpoint); err != nil {
			return err
		}
		if err := appendMetrics(metrics, row); err != nil {
			return err
		}
		if err := t.snapshot(s.OutDir); err != nil {
			return err
		}
		entry := log.WithFields(logrus.Fields{
			"epoch": row.Epoch, "train_loss": round(row.Train.NegELBO()), "test_loss": round(row.Test.NegELBO()),
			"test_recon": round(row.Test.Recon), "test_kl": round(row.Test.KL), "seconds": round(row.Seconds),
		})
		if row.Skipped > 0 {
			entry = entry.WithField("skipped_batches", row.Skipped)
		}
		entry.Info("epoch done")
	}
	return nil
}

// interrupted saves the mid-epoch checkpoint of a run that was asked to stop,
// so that -resume continues from the very next step.
func interrupted(t *Trainer, path string, log logrus.FieldLogger, cause error) error {
	if err := t.Checkpoint().Save(path); err != nil {
		return fmt.Errorf("%v; saving its checkpoint failed: %w", cause, err)
	}
	log.WithFields(logrus.Fields{"checkpoint": path, "epoch": t.Epoch + 1, "step": t.Partial.Step}).
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
	return t.Checkpoint().Save(filepath.Join(dir, fmt.Sprintf("checkpoint_%d.ckpt", t.Epoch)))
}
