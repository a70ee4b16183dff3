package train

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// tinyConfig trains a small model on the fixture of real MNIST images.
func tinyConfig(t *testing.T) Config {
	cfg := Default()
	cfg.DataDir = filepath.Join("..", "dataset", "testdata", "mnist")
	cfg.HiddenSize, cfg.LatentSize = 32, 4
	cfg.BatchSize = 50 // 512 images: 10 full batches and one of 12
	cfg.Epochs = 2
	cfg.OutDir = t.TempDir()
	return cfg
}

func newTinyTrainer(t *testing.T, cfg Config) *Trainer {
	t.Helper()
	trainSet, testSet, _, err := LoadData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(cfg, trainSet, testSet)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestCheckpointRoundTrip(t *testing.T) {
	tr := newTinyTrainer(t, tinyConfig(t))
	if _, err := tr.TrainEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a.ckpt")
	saved := tr.Checkpoint()
	if err := saved.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(saved, loaded) {
		t.Fatal("the loaded checkpoint differs from the saved one")
	}
	if loaded.Epoch != 1 || loaded.Adam.Iter != 11 || len(loaded.Weights) != 10 {
		t.Errorf("epoch %d, Adam step %d, %d tensors; want 1, 11, 10", loaded.Epoch, loaded.Adam.Iter, len(loaded.Weights))
	}
	p, adam, err := loaded.Restore()
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range p.All() {
		if !reflect.DeepEqual(w.Tensor.Float32s(), tr.Params.All()[i].Tensor.Float32s()) {
			t.Errorf("restored %s differs", w.Name)
		}
	}
	if !reflect.DeepEqual(adam.M, tr.Adam.M) || !reflect.DeepEqual(adam.V, tr.Adam.V) || adam.Iter != tr.Adam.Iter {
		t.Error("restored Adam state differs")
	}
}

func TestLoadCheckpointRejectsBadFiles(t *testing.T) {
	tr := newTinyTrainer(t, tinyConfig(t))
	dir := t.TempDir()
	good := filepath.Join(dir, "good.ckpt")
	if err := tr.Checkpoint().Save(good); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	flip := append([]byte(nil), data...)
	flip[len(flip)/2] ^= 0x10
	newer := append([]byte(nil), data...)
	binary.BigEndian.PutUint32(newer[len(magic):], FormatVersion+1)
	older := append([]byte(nil), data...)
	binary.BigEndian.PutUint32(older[len(magic):], 0)

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a govae checkpoint"},
		{"foreign", []byte("PK\x03\x04 this is a zip file, not a checkpoint at all"), "not a govae checkpoint (wrong magic bytes)"},
		{"truncated header", data[:len(magic)+3], "truncated header"},
		{"truncated payload", data[:len(data)-100], "truncated"},
		{"bit flipped", flip, "checksum mismatch"},
		{"newer version", newer, "written by a newer govae"},
		{"older version", older, "written by an older govae"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			os.WriteFile(path, tt.data, 0o644)
			_, err := LoadCheckpoint(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v, want it to name %s and say %q", err, path, tt.want)
			}
		})
	}
}

// A checkpoint whose weights do not fit its own config is refused.
func TestCheckpointShapesMustFitConfig(t *testing.T) {
	ck := newTinyTrainer(t, tinyConfig(t)).Checkpoint()
	ck.Config.LatentSize = 5
	path := filepath.Join(t.TempDir(), "c.ckpt")
	if err := ck.Save(path); err != nil {
		t.Fatal(err)
	}
	_, err := LoadCheckpoint(path)
	if err == nil || !strings.Contains(err.Error(), "fc21.W [32 4], the config's model needs fc21.W [32 5]") {
		t.Errorf("got %v", err)
	}
}

// mustTinyParams makes weights and an optimizer for cfg without any data.
func mustTinyParams(tb testing.TB, cfg Config) (*model.Params, *Adam) {
	tb.Helper()
	p, err := model.NewParams(cfg.Sizes(), tensor.Float32, stream(cfg.Seed, streamInit, 0))
	if err != nil {
		tb.Fatal(err)
	}
	return p, NewAdam(cfg.LR, cfg.Beta1, cfg.Beta2, cfg.AdamEps)
}
