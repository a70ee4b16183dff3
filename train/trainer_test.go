package train

import (
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/streams"
	"github.com/govae/govae/model"
)

// Two epochs in one go, and one epoch followed by a resume from its
// checkpoint for a second, must end with bit-identical weights and optimizer.
// Bits are the property here because both runs are in this process, on this
// machine's kernels, batch sizes and threads; a resume on another CPU is not
// held to them.
// A run resumed from its epoch-1 checkpoint ends where an uninterrupted one
// does, with grey pixels, dynamic binarisation (drawn per epoch and image)
// and a Gaussian decoder (fresh dequantization noise), under an lr schedule.
func TestResumeEqualsUninterrupted(t *testing.T) {
	for _, tt := range []struct{ name, binarize, likelihood string }{
		{"grey", "none", "bernoulli"}, {"dynamic binarisation", "dynamic", "bernoulli"}, {"gaussian", "none", "gaussian"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tinyConfig(t)
			cfg.Binarize, cfg.Likelihood = tt.binarize, tt.likelihood
			cfg.LRDecay, cfg.LRStageEpochs = 0.5, 1
			resumeEqualsUninterrupted(t, cfg)
		})
	}
}

func resumeEqualsUninterrupted(t *testing.T, cfg config.Config) {
	straight := newTinyTrainer(t, cfg)
	for range 2 {
		if _, err := straight.TrainEpoch(t.Context()); err != nil {
			t.Fatal(err)
		}
	}

	first := newTinyTrainer(t, cfg)
	if _, err := first.TrainEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "epoch1.ckpt")
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
	if _, err := resumed.TrainEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}

	a, b := straight.Checkpoint(), resumed.Checkpoint()
	if !reflect.DeepEqual(a.Model.Weights, b.Model.Weights) {
		t.Error("weights differ between the uninterrupted and the resumed run")
	}
	if !reflect.DeepEqual(a.Adam, b.Adam) {
		t.Error("Adam state differs between the uninterrupted and the resumed run")
	}
}

// A few hundred steps on one fixed batch must drive its loss far down: the
// model, its gradients and the optimizer work together, for the MLP and the
// conv model.
func TestOverfitOneBatch(t *testing.T) {
	for _, arch := range []string{"mlp", "conv"} {
		t.Run(arch, func(t *testing.T) {
			cfg := tinyConfig(t)
			cfg.Arch = arch
			overfitOneBatch(t, cfg)
		})
	}
}

func overfitOneBatch(t *testing.T, cfg config.Config) {
	tr := newTinyTrainer(t, cfg)
	m, err := newMachine(tr.Params, 32, true, tr.Settings.Objective)
	if err != nil {
		t.Fatal(err)
	}
	idx := dataset.Sequential(32)
	noise := streams.New(1, streams.Noise, 1)
	var first, last model.Terms
	for step := range 300 {
		terms, err := m.step(images{set: tr.Train}, idx, tr.batchNoise(noise, len(idx), 1), 1, tr.Adam)
		if err != nil {
			t.Fatal(err)
		}
		if step == 0 {
			first = terms.PerImage(32)
		}
		last = terms.PerImage(32)
	}
	// An untrained decoder costs about 784·ln 2 ≈ 543 nats per image.
	if first.NegELBO() < 400 || last.NegELBO() > 0.5*first.NegELBO() {
		t.Errorf("loss per image went from %.1f to %.1f over 300 steps; want at least halved", first.NegELBO(), last.NegELBO())
	}
}

// Run writes what the README promises, and a resumed Run carries on.
func TestRunWritesOutputsAndResumes(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.Epochs = 1
	if err := Run(t.Context(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{MetricsFile, CheckpointFile, "reconstruction_1.png", "sample_1.png"} {
		if _, err := os.Stat(filepath.Join(cfg.OutDir, name)); err != nil {
			t.Error(err)
		}
	}
	checkPNGSize(t, filepath.Join(cfg.OutDir, "sample_1.png"), 8*29+1, 8*29+1)
	checkPNGSize(t, filepath.Join(cfg.OutDir, "reconstruction_1.png"), 8*29+1, 2*29+1)

	ck, err := LoadCheckpoint(filepath.Join(cfg.OutDir, CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Epochs = 2
	if err := Run(t.Context(), cfg, Options{Resume: ck}); err != nil {
		t.Fatal(err)
	}
	csv, _ := os.ReadFile(filepath.Join(cfg.OutDir, MetricsFile))
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(lines) != 3 || lines[0] != metricsHeader || !strings.HasPrefix(lines[1], "1,") || !strings.HasPrefix(lines[2], "2,") {
		t.Errorf("metrics.csv:\n%s", csv)
	}
}

func checkPNGSize(t *testing.T, path string, w, h int) {
	t.Helper()
	img := decodePNG(t, path)
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s is %d×%d, want %d×%d", path, b.Dx(), b.Dy(), w, h)
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestInputSizeMustMatchData(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.InputSize = 100
	_, _, err := LoadData(cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "input_size: 100, but the images in") {
		t.Errorf("got %v", err)
	}
}

func TestRound(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{{1.23456, 1.235}, {-2.0004, -2}, {3e20, 3e20}} {
		if got := round(tt.in); got != tt.want {
			t.Errorf("round(%g) = %g, want %g", tt.in, got, tt.want)
		}
	}
	if !math.IsNaN(round(math.NaN())) {
		t.Error("round(NaN) is not NaN")
	}
}

// The IWAE bound with DReG's encoder gradient trains, with one stochastic
// layer and with two: the test −ELBO falls.
func TestDReGTrains(t *testing.T) {
	for _, stochastic := range []int{1, 2} {
		cfg := tinyConfig(t)
		cfg.Objective, cfg.Samples, cfg.DReG, cfg.Binarize = "iwae", 3, true, "dynamic"
		if stochastic == 2 {
			cfg.Layers, cfg.Activation = 2, "tanh"
			cfg.Stochastic, cfg.Hidden2, cfg.Latent2 = 2, 16, 3
		}
		tr := newTinyTrainer(t, cfg)
		before, err := tr.Evaluate(tr.Test)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := tr.TrainEpoch(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		after, err := tr.Evaluate(tr.Test)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d stochastic layers: test −ELBO %.2f before, %.2f after", stochastic, before.NegELBO(), after.NegELBO())
		if !(after.NegELBO() < before.NegELBO()-30) {
			t.Errorf("%d stochastic layers: test −ELBO %.2f after 2 epochs, %.2f before: want it 30 nats lower", stochastic, after.NegELBO(), before.NegELBO())
		}
	}
}
