package train

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/model"
)

// tinyConfig trains a small model on the fixture of real MNIST images.
func tinyConfig(t *testing.T) config.Config {
	cfg := config.Default()
	cfg.DataDir = filepath.Join("..", "dataset", "testdata", "mnist")
	cfg.HiddenSize, cfg.LatentSize = 32, 4
	cfg.BatchSize = 50 // 512 images: 10 full batches and one of 12
	cfg.Epochs = 2
	cfg.OutDir = t.TempDir()
	return cfg
}

// plan is Plan, failing the test on an error.
func plan(t testing.TB, cfg config.Config) Settings {
	t.Helper()
	s, err := Plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newTinyTrainer(t *testing.T, cfg config.Config) *Trainer {
	t.Helper()
	cfg, d, err := LoadData(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(plan(t, cfg), d.Train, d.Test)
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
	// Saving without the copies writes the same file.
	direct := filepath.Join(t.TempDir(), "b.ckpt")
	if err := tr.Save(direct); err != nil {
		t.Fatal(err)
	}
	if a, b := readFile(t, path), readFile(t, direct); !bytes.Equal(a, b) {
		t.Errorf("Trainer.Save wrote %d bytes, Checkpoint().Save %d, not the same", len(b), len(a))
	}
	loaded, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	// A trainer's snapshot carries the config as the YAML it writes; the
	// loaded one parses it back.
	if !bytes.Equal(plan(t, loaded.Config).RunConfig, tr.Settings.RunConfig) {
		t.Errorf("the loaded config differs:\n%s\nwant\n%s", plan(t, loaded.Config).RunConfig, tr.Settings.RunConfig)
	}
	loaded.Config = saved.Config
	if !reflect.DeepEqual(saved, loaded) {
		t.Fatal("the loaded checkpoint differs from the saved one")
	}
	if loaded.Model.Epoch != 1 || loaded.Adam.Iter != 11 || len(loaded.Model.Weights) != 10 {
		t.Errorf("epoch %d, Adam step %d, %d tensors; want 1, 11, 10", loaded.Model.Epoch, loaded.Adam.Iter, len(loaded.Model.Weights))
	}
	p, err := loaded.Model.Params()
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range p.All() {
		if !reflect.DeepEqual(w.Tensor.Float32s(), tr.Params.All()[i].Tensor.Float32s()) {
			t.Errorf("restored %s differs", w.Name)
		}
	}
	if !reflect.DeepEqual(loaded.Adam, tr.Adam.State) {
		t.Error("restored Adam state differs")
	}
	// The model alone opens from the same file, as cmd/sample does.
	m, err := model.Open(path)
	if err != nil || m.Epochs() != 1 || m.Config() != tr.Settings.Model {
		t.Errorf("model.Open: %v", err)
	}
}

// A checkpoint whose run state does not fit its model is refused, as is one
// that holds a model but no run to continue.
func TestLoadCheckpointChecksTheRun(t *testing.T) {
	dir := t.TempDir()
	ck := newTinyTrainer(t, tinyConfig(t)).Checkpoint()
	bad, err := config.Parse("test", ck.Model.RunConfig)
	if err != nil {
		t.Fatal(err)
	}
	bad.LatentSize = 5
	if ck.Model.RunConfig, err = bad.Marshal(); err != nil {
		t.Fatal(err)
	}
	mismatch := filepath.Join(dir, "mismatch.ckpt")
	if err := ck.Save(mismatch); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(dir, "bare.ckpt")
	if err := model.NewCheckpoint(newTinyTrainer(t, tinyConfig(t)).Params).Save(bare); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		mismatch: "config inside describes a model of sizes 784→32→5, the weights are of 784→32→4",
		bare:     "holds a model but no run configuration to continue",
	} {
		_, err := LoadCheckpoint(path)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("got %v, want it to name %s and say %q", err, path, want)
		}
	}
}

// A checkpoint with a config but no trainer's state (as cmd/import writes
// them) continues from its weights with a fresh optimizer.
func TestConfigOnlyCheckpointContinues(t *testing.T) {
	tr := newTinyTrainer(t, tinyConfig(t))
	if _, err := tr.TrainEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	ck := tr.Checkpoint()
	path := filepath.Join(t.TempDir(), "c.ckpt")
	if err := ck.Save(path); err != nil {
		t.Fatal(err)
	}
	mc, err := model.ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	mc.Training = nil
	if err := mc.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Adam.Iter != 0 || loaded.Partial != nil || plan(t, loaded.Config).Model != tr.Settings.Model {
		t.Errorf("Adam step %d, partial %v, config %+v", loaded.Adam.Iter, loaded.Partial, loaded.Config)
	}
	resumed, err := ResumeTrainer(loaded, plan(t, loaded.Config), tr.Train, tr.Test)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := resumed.TrainEpoch(t.Context()); err != nil || resumed.Adam.Iter != 11 || resumed.Epoch != 2 {
		t.Errorf("%v: Adam step %d, epoch %d", err, resumed.Adam.Iter, resumed.Epoch)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Burda et al.'s kind of net — two tanh hidden layers each way — with fc4's
// bias from the data: the trainer starts fc4.b at the logits of the pixels'
// means (computed here by a direct loop over the bytes), trains, and its
// checkpoint brings back the same config and weights.
func TestDeepTanhNetFromTheDataMean(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.Layers, cfg.Activation, cfg.OutputBias, cfg.Epochs = 2, "tanh", "data_mean", 1
	tr := newTinyTrainer(t, cfg)
	set, p := tr.Train, tr.Train.Size()
	for j, b := range tr.Params.Fc4.B.Float32s() {
		on := 0.0
		for i := range set.Len() {
			on += float64(set.Pixels[i*p+j]) / 255
		}
		m := min(max(on/float64(set.Len()), 0.001), 0.999)
		if want := math.Log(m / (1 - m)); math.Abs(float64(b)-want) > 1e-5 {
			t.Fatalf("fc4.b[%d] = %v, want logit(%v) = %v", j, b, m, want)
		}
	}
	if _, err := tr.TrainEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "deep.ckpt")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if s := loaded.Model.Config; s != tr.Settings.Model || s.String() != "784→32→32→4, tanh" {
		t.Fatalf("loaded a model of %v, trained %v", s, tr.Settings.Model)
	}
	if !reflect.DeepEqual(loaded.Model.Weights, tr.Checkpoint().Model.Weights) {
		t.Fatal("the loaded weights differ")
	}
}

// A model of two stochastic layers trains on the IWAE bound (its test loss
// falls), saves, reloads under its own sizes, and samples from z2's prior.
func TestTwoStochasticLayersTrain(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.Layers, cfg.Activation, cfg.Binarize = 2, "tanh", "dynamic"
	cfg.Stochastic, cfg.Hidden2, cfg.Latent2 = 2, 16, 3
	cfg.Objective, cfg.Samples = "iwae", 3
	tr := newTinyTrainer(t, cfg)
	before, err := tr.Evaluate(tr.Test)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := tr.TrainEpoch(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	after, err := tr.Evaluate(tr.Test)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test −ELBO %.2f (KL %.2f) before, %.2f (KL %.2f) after", before.NegELBO(), before.KL, after.NegELBO(), after.KL)
	if !(after.NegELBO() < before.NegELBO()-20) || after.KL <= 0 {
		t.Errorf("test loss %.2f (KL %.2f) after 3 epochs, %.2f before: want it 20 nats lower, and a positive sampled KL", after.NegELBO(), after.KL, before.NegELBO())
	}
	path := filepath.Join(t.TempDir(), "two.ckpt")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	m, err := model.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Config(); s != tr.Settings.Model || s.String() != "784→32→32→4→16→16→3, tanh" {
		t.Fatalf("loaded a model of %v, trained %v", s, tr.Settings.Model)
	}
	images, err := m.Sample(10, 1, model.NoLabel)
	if err != nil || len(images) != 10*784 {
		t.Fatalf("sampled %d values (%v), want 10 images", len(images), err)
	}
	x := make([]float32, 2*784)
	tr.Test.Gather([]int{0, 1}, x)
	codes, err := m.Encode(x, nil)
	if err != nil || len(codes.Mu) != 2*3 || len(codes.Mu1) != 2*4 {
		t.Fatalf("encoded to %d top values and %d of z1 (%v), want 6 and 8", len(codes.Mu), len(codes.Mu1), err)
	}
}
