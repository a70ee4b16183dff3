package train

import (
	"context"
	"errors"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
)

// A non-finite loss stops training before any weight changes, naming the
// epoch and step; with skip_nonfinite the batch is skipped instead.
func TestNonFiniteLoss(t *testing.T) {
	for _, skip := range []bool{false, true} {
		cfg := tinyConfig(t)
		cfg.SkipNonFinite = skip
		tr := newTinyTrainer(t, cfg)
		tr.Params.Fc4.B.Float32s()[0] = float32(math.Inf(1)) // pixel 0: softplus(+Inf) - 0·Inf is NaN
		before := tr.Checkpoint().Weights
		_, err := tr.TrainEpoch(t.Context())
		want := "epoch 1 step 1: loss is NaN: not finite: training diverged"
		if skip {
			want = "epoch 1: every one of its 11 batches had a non-finite loss or gradient"
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("skip=%v: error %v, want %q", skip, err, want)
		}
		if !reflect.DeepEqual(before, tr.Checkpoint().Weights) || tr.Adam.Iter != 0 {
			t.Errorf("skip=%v: the weights changed on a non-finite loss", skip)
		}
	}
}

// A gradient that is not finite is refused by Adam before it changes anything.
func TestAdamRefusesNonFiniteGradient(t *testing.T) {
	w := weightGrad{dense([]float32{1, 2}, 1, 2), dense([]float32{0.5, float32(math.NaN())}, 1, 2)}
	err := NewAdam(0.1, 0.9, 0.999, 1e-8).Step([]G.ValueGrad{w})
	if !errors.Is(err, ErrNonFinite) || !slices.Equal(w.w.Float32s(), []float32{1, 2}) {
		t.Errorf("error %v, weights %v: want ErrNonFinite and no change", err, w.w.Float32s())
	}
}

// Stopping mid-epoch, saving, loading and resuming ends exactly where an
// uninterrupted run does: weights, optimizer and the epoch's train loss.
func TestInterruptMidEpochThenResume(t *testing.T) {
	cfg := tinyConfig(t)
	straight := newTinyTrainer(t, cfg)
	var want []EpochResult
	for range 2 {
		r, err := straight.TrainEpoch(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}

	first := newTinyTrainer(t, cfg)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := 0
	first.Progress = func(epoch, steps int) func() {
		return func() {
			if done++; done == 5 { // stop after the 5th step of epoch 1
				cancel()
			}
		}
	}
	if _, err := first.TrainEpoch(ctx); !errors.Is(err, ErrInterrupted) || first.Partial == nil || first.Partial.Step != 5 {
		t.Fatalf("error %v, progress %+v: want an interruption after step 5", err, first.Partial)
	}
	path := filepath.Join(t.TempDir(), "mid.ckpt")
	if err := first.Checkpoint().Save(path); err != nil {
		t.Fatal(err)
	}
	ck, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := ResumeTrainer(ck, ck.Config, first.Train, first.Test)
	if err != nil {
		t.Fatal(err)
	}
	var got []EpochResult
	for range 2 {
		r, err := resumed.TrainEpoch(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if !reflect.DeepEqual(straight.Checkpoint().Weights, resumed.Checkpoint().Weights) ||
		!reflect.DeepEqual(straight.Adam, resumed.Adam) {
		t.Error("the interrupted and resumed run ends with other weights than the uninterrupted one")
	}
	for i := range 2 {
		if got[i].Train != want[i].Train {
			t.Errorf("epoch %d train terms %+v, uninterrupted %+v", i+1, got[i].Train, want[i].Train)
		}
	}
}

// A checkpoint write that fails half-way leaves the previous one loadable.
func TestFailedSaveKeepsPreviousCheckpoint(t *testing.T) {
	tr := newTinyTrainer(t, tinyConfig(t))
	path := filepath.Join(t.TempDir(), "c.ckpt")
	if err := tr.Checkpoint().Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.TrainEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	diskFull := errors.New("no space left on device")
	err := tr.Checkpoint().save(path, func(w io.Writer) io.Writer { return &failingWriter{w: w, left: 1000, err: diskFull} })
	if !errors.Is(err, diskFull) {
		t.Fatalf("error %v, want %v", err, diskFull)
	}
	ck, err := LoadCheckpoint(path)
	if err != nil || ck.Epoch != 0 {
		t.Fatalf("after a failed save: %v, epoch %v; want the previous checkpoint (epoch 0)", err, ck)
	}
}

// failingWriter accepts left bytes, then fails.
type failingWriter struct {
	w    io.Writer
	left int
	err  error
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n, _ := f.w.Write(p[:f.left])
		f.left = 0
		return n, f.err
	}
	f.left -= len(p)
	return f.w.Write(p)
}
