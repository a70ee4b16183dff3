package train

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A non-finite loss stops training before any weight changes, naming the
// epoch and step; with skip_nonfinite the batch is skipped instead.
func TestNonFiniteLoss(t *testing.T) {
	for _, skip := range []bool{false, true} {
		cfg := tinyConfig(t)
		cfg.SkipNonFinite = skip
		tr := newTinyTrainer(t, cfg)
		tr.Params.Fc4.B.Float32s()[0] = float32(math.Inf(1)) // pixel 0: softplus(+Inf) - 0·Inf is NaN
		before := tr.Checkpoint().Model.Weights
		_, err := tr.TrainEpoch(t.Context())
		want := "epoch 1 step 1: loss is NaN: not finite: training diverged"
		if skip {
			want = "epoch 1: every one of its 11 batches had a non-finite loss or gradient"
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("skip=%v: error %v, want %q", skip, err, want)
		}
		if !reflect.DeepEqual(before, tr.Checkpoint().Model.Weights) || tr.Adam.Iter != 0 {
			t.Errorf("skip=%v: the weights changed on a non-finite loss", skip)
		}
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
	first.Progress = func(string, int) func() {
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
	resumed, err := ResumeTrainer(ck, plan(t, ck.Config), first.Train, first.Test)
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
	if !reflect.DeepEqual(straight.Checkpoint().Model.Weights, resumed.Checkpoint().Model.Weights) ||
		!reflect.DeepEqual(straight.Adam, resumed.Adam) {
		t.Error("the interrupted and resumed run ends with other weights than the uninterrupted one")
	}
	for i := range 2 {
		if got[i].Train != want[i].Train {
			t.Errorf("epoch %d train terms %+v, uninterrupted %+v", i+1, got[i].Train, want[i].Train)
		}
	}
}
