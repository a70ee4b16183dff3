package train

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
)

// A run ends by fitting a Gaussian to its training codes and keeping it in
// the checkpoint: its mean is the mean of the encoder's codes of every
// training image, computed here by a direct loop over Encode.
func TestRunKeepsAPriorFittedToTheTrainingCodes(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.Variational, cfg.Epochs = false, 1
	if err := Run(t.Context(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	m, err := model.Open(filepath.Join(cfg.OutDir, CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	p := m.FittedPrior()
	if p == nil {
		t.Fatal("the checkpoint holds no fitted prior")
	}
	train, err := dataset.Load(cfg.Data())
	if err != nil {
		t.Fatal(err)
	}
	set := train.Train
	x := make([]float32, set.Len()*set.Size())
	set.Gather(dataset.Sequential(set.Len()), x)
	codes, err := m.Encode(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.LatentSize
	for j := range d {
		var mean float64
		for i := range set.Len() {
			mean += float64(codes.Mu[i*d+j]) / float64(set.Len())
		}
		if math.Abs(mean-p.Mean[j]) > 1e-5*math.Max(1, math.Abs(mean)) {
			t.Errorf("prior mean[%d] = %.6f, the codes' mean %.6f", j, p.Mean[j], mean)
		}
	}
	if p.Codes != set.Len() {
		t.Errorf("fitted to %d codes, the training set has %d", p.Codes, set.Len())
	}
}

// A plain autoencoder trains, and resumed from its epoch-1 checkpoint ends
// where an uninterrupted run does.
func TestAutoencoderResumeEqualsUninterrupted(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.Variational = false
	resumeEqualsUninterrupted(t, cfg)
}
