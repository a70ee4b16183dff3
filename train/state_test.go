package train

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govae/govae/optimizer"
)

// testdata/v3-run.ckpt was written by the build before this layout (format
// version 3, the run's state one gob value) when its second epoch was
// interrupted after 4 of its 11 steps. It loads, continues, and saved again
// in today's layout reads back the same.
func TestLoadsAnEarlierBuildsRun(t *testing.T) {
	old, err := LoadCheckpoint(filepath.Join("testdata", "v3-run.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	if old.Model.Epoch != 1 || old.Adam.Iter != 15 || old.Partial == nil || old.Partial.Step != 4 {
		t.Fatalf("epoch %d, Adam step %d, progress %+v; want epoch 1, step 15, 4 steps into epoch 2", old.Model.Epoch, old.Adam.Iter, old.Partial)
	}
	for i, w := range old.Model.Weights {
		if len(old.Adam.M[i]) != len(w.Data) || len(old.Adam.V[i]) != len(w.Data) {
			t.Fatalf("moments of %s: %d and %d values for %d weights", w.Name, len(old.Adam.M[i]), len(old.Adam.V[i]), len(w.Data))
		}
	}
	path := filepath.Join(t.TempDir(), "now.ckpt")
	if err := old.Save(path); err != nil {
		t.Fatal(err)
	}
	now, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(now.Adam, old.Adam) || !reflect.DeepEqual(now.Partial, old.Partial) || !reflect.DeepEqual(now.Model.Weights, old.Model.Weights) {
		t.Error("saved again and read back, the run differs")
	}
	cfg := old.Config
	cfg.DataDir, cfg.OutDir = filepath.Join("..", "dataset", "testdata", "mnist"), t.TempDir()
	cfg, d, err := LoadData(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ResumeTrainer(old, plan(t, cfg), d.Train, d.Test)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.TrainEpoch(t.Context()); err != nil || tr.Epoch != 2 || tr.Adam.Iter != 22 {
		t.Errorf("continued: %v, epoch %d, Adam step %d; want epoch 2 at step 22", err, tr.Epoch, tr.Adam.Iter)
	}
}

// A damaged state is an error naming what does not add up, never a panic.
func TestDamagedStateIsRefused(t *testing.T) {
	good, err := encodeState(optimizer.State{Iter: 3, M: [][]float32{{1, 2}, {3}}, V: [][]float32{{4, 5}, {6}}}, &EpochProgress{Step: 2})
	if err != nil {
		t.Fatal(err)
	}
	s, err := decodeState(good)
	if err != nil || s.Adam.Iter != 3 || !reflect.DeepEqual(s.Adam.V, [][]float32{{4, 5}, {6}}) || s.Partial.Step != 2 {
		t.Fatalf("round trip: %+v, %v", s, err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"cut in the moments", good[:len(good)-3], "moments of [2 1] values: more than the 21 bytes"},
		{"one byte more", append(good[:len(good):len(good)], 0), "moments of 3 values in 25 bytes"},
		{"cut in the description", good[:len(stateMagic)+6], "a description of"},
		{"no length", []byte(stateMagic + "\x00"), "shorter than its length field"},
	} {
		if _, err := decodeState(tt.data); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := encodeState(optimizer.State{M: [][]float32{{1}}, V: [][]float32{{1, 2}}}, nil); err == nil {
		t.Error("moments of different lengths encoded")
	}
}

// A model whose checkpoints could not be saved (more than
// model.MaxCheckpointBytes with Adam's moments) is refused before training,
// with its size.
func TestModelTooLargeToCheckpoint(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.HiddenSize = 1 << 20 // 1.66 billion weights: 19.9 GB with Adam's moments
	_, err := NewTrainer(plan(t, cfg), nil, nil)
	if err == nil || !strings.Contains(err.Error(), "its checkpoints, with Adam's moments, would take 19.9 GB, more than the 17.2 GB one holds") {
		t.Errorf("got %v", err)
	}
}
