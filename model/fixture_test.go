package model_test

import (
	"flag"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

var update = flag.Bool("update", false, "train testdata/tiny.ckpt anew")

// tinyCheckpoint is a small plain VAE (hidden 64, latent 4) trained for two
// epochs on the whole of MNIST, committed so that the Examples run from a
// file as a user's program would, and draw digits.
const tinyCheckpoint = "testdata/tiny.ckpt"

// TestTinyCheckpoint checks that the committed checkpoint opens as what it
// claims; with -update it trains it anew (after a format change).
func TestTinyCheckpoint(t *testing.T) {
	if *update {
		cfg := fixture.Config(t, func(c *config.Config) { c.DataDir, c.HiddenSize, c.LatentSize, c.Epochs = "", 64, 4, 2 })
		ck, err := model.ReadCheckpoint(fixture.Trained(t, cfg))
		if err != nil {
			t.Fatal(err)
		}
		ck.Training, ck.DataDir = nil, "" // the model alone: a quarter of the size
		if err := ck.Save(tinyCheckpoint); err != nil {
			t.Fatal(err)
		}
	}
	m, err := model.Open(tinyCheckpoint)
	if err != nil {
		t.Fatalf("%v (go test ./model -run TestTinyCheckpoint -update writes it anew)", err)
	}
	if s := m.Config(); s != (model.Config{Input: 784, Hidden: 64, Latent: 4}) || m.Epochs() != 2 {
		t.Errorf("sizes %+v, epochs %d", s, m.Epochs())
	}
}
