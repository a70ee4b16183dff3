package train

import (
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/npy"
	"github.com/govae/govae/internal/streams"
	"github.com/govae/govae/internal/testkit/pytorchtest"
	"github.com/govae/govae/interop"
	"github.com/govae/govae/model"
)

// TestStepsMatchPyTorch replays the trainer's first steps in PyTorch: the
// reference model of bench/pytorch_vae.py starts from the Go model's initial
// weights and takes the same images and noise, with its loss function and
// torch.optim.Adam. Every step's loss agrees to float32 rounding, for the MLP
// and the conv model, and for the MLP trained on the ELBO and the IWAE bound
// of k = 5 codes an image (written in the script with torch.distributions):
// forward pass, loss, gradients and Adam are the same computation. (Over a
// few hundred steps the two float32 trajectories drift apart as their
// rounding differences grow; the test stops well before.)
func TestStepsMatchPyTorch(t *testing.T) {
	py := pytorchtest.Python(t, "numpy")
	for _, c := range []struct {
		arch, objective string
		samples         int
	}{{"mlp", "vae", 1}, {"conv", "vae", 1}, {"mlp", "vae", 5}, {"mlp", "iwae", 5}} {
		t.Run(fmt.Sprintf("%s/%s/k=%d", c.arch, c.objective, c.samples), func(t *testing.T) {
			cfg := tinyConfig(t)
			cfg.HiddenSize, cfg.LatentSize, cfg.Arch = 400, 20, c.arch // the reference's sizes
			cfg.Objective, cfg.Samples = c.objective, c.samples
			if c.arch == "conv" {
				cfg.HiddenSize = 256
			}
			tr := newTinyTrainer(t, cfg)
			want := replayInPyTorch(t, py, tr, c.arch)
			got := goSteps(t, tr)
			for i := range want {
				if d := math.Abs(got[i]-want[i]) / want[i]; d > 1e-4 || math.IsNaN(d) {
					t.Fatalf("step %d: loss %.6f here, %.6f in PyTorch (relative difference %.1e)", i+1, got[i], want[i], d)
				}
			}
		})
	}
}

const (
	replayBatch = 64
	replaySteps = 24 // three passes over the fixture's 512 images
)

// replayBatches are the batches of the replayed steps, and the noise stream
// they draw from.
func replayBatches(tr *Trainer) ([][]int, images) {
	return dataset.Batches(tr.Train.Len(), replayBatch, streams.New(1, streams.Shuffle, 1)), images{set: tr.Train}
}

// goSteps takes the replayed steps with the trainer's machine, and returns
// each step's loss: the objective's, as the graph computes it.
func goSteps(t *testing.T, tr *Trainer) []float64 {
	m, err := newMachine(tr.Params, replayBatch, true, tr.Settings.Objective)
	if err != nil {
		t.Fatal(err)
	}
	batches, im := replayBatches(tr)
	noise := streams.New(1, streams.Noise, 1)
	losses := make([]float64, replaySteps)
	for i := range losses {
		idx := batches[i%len(batches)]
		if err := m.feed(im, idx, tr.batchNoise(noise, len(idx), tr.Settings.Objective.K()), 1); err != nil {
			t.Fatal(err)
		}
		err := m.Run(func() error {
			losses[i] = scalar(m.vae.Loss)
			return tr.Adam.Step(m.learn)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return losses
}

// replayInPyTorch writes the initial weights and each step's images and noise
// (drawn as the step draws them) and returns the losses PyTorch reports.
func replayInPyTorch(t *testing.T, py string, tr *Trainer, arch string) []float64 {
	dir := t.TempDir()
	weights, steps := filepath.Join(dir, "init.safetensors"), filepath.Join(dir, "steps.npy")
	saveWeights(t, weights, tr.Params)
	batches, im := replayBatches(tr)
	noise := streams.New(1, streams.Noise, 1)
	latent, k := tr.Params.Config.Latent, tr.Settings.Objective.K()
	x, eps := make([]float32, replayBatch*784), make([]float32, replayBatch*k*latent)
	var data []float32
	for i := range replaySteps {
		im.gather(batches[i%len(batches)], x)
		model.FillNormal(eps, noise)
		data = append(append(data, x...), eps...)
	}
	saveNPY(t, steps, data, replaySteps, replayBatch*(784+k*latent))
	out, err := exec.Command(py, filepath.Join("testdata", "pytorch_steps.py"), arch, weights, steps,
		strconv.Itoa(replayBatch), strconv.Itoa(latent), tr.Settings.Objective.Bound.String(), strconv.Itoa(k)).CombinedOutput()
	if err != nil {
		t.Fatalf("pytorch_steps.py: %v\n%s", err, out)
	}
	var losses []float64
	for _, line := range strings.Fields(string(out)) {
		l, err := strconv.ParseFloat(line, 64)
		if err != nil {
			t.Fatalf("pytorch_steps.py printed %q", out)
		}
		losses = append(losses, l)
	}
	if len(losses) != replaySteps {
		t.Fatalf("pytorch_steps.py printed %d losses, want %d", len(losses), replaySteps)
	}
	return losses
}

var (
	replayEpochs = flag.Int("replay-epochs", 0, "TestRunMatchesPyTorch: epochs of the conv model to train here and in PyTorch from the same draws (0: skip)")
	replaySeed   = flag.Uint64("replay-seed", 1, "TestRunMatchesPyTorch: the run's seed")
)

// TestRunMatchesPyTorch trains the conv model of configs/mnist-conv.yaml on
// MNIST for -replay-epochs epochs here and in PyTorch (bench/pytorch_vae.py
// --replay) from the same draws: initial weights, order of the images and
// noise of every step, all this trainer's for -replay-seed. It logs both test
// losses epoch by epoch and, for runs of 10 epochs or more, checks the last
// two within 0.5 of each other. (Earlier they can be further apart by chance:
// two float32 trajectories part within a few hundred steps, and PyTorch's own
// runs from the same draws differ by a nat or more after one epoch, as its
// threads sum in varying order.) About a minute an epoch, so it runs only
// when asked:
//
//	go test ./train -run RunMatchesPyTorch -replay-epochs 10 -replay-seed 2 -v -timeout 1h
func TestRunMatchesPyTorch(t *testing.T) {
	if *replayEpochs < 1 {
		t.Skip("trains for minutes: -replay-epochs N runs it")
	}
	py := pytorchtest.Python(t, "numpy")
	cfg := config.Default()
	cfg.Arch, cfg.HiddenSize, cfg.Seed, cfg.OutDir = "conv", 256, *replaySeed, t.TempDir()
	cfg, d, err := LoadData(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(plan(t, cfg), d.Train, d.Test)
	if err != nil {
		t.Fatal(err)
	}
	mnist, err := dataset.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	draws := t.TempDir()
	writeDraws(t, draws, tr, *replayEpochs)
	cmd := exec.Command(py, filepath.Join("..", "bench", "pytorch_vae.py"), "--arch", "conv", "--epochs", strconv.Itoa(*replayEpochs),
		"--replay", draws, "--data", mnist)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pytorch_vae.py: %v\n%s", err, out)
	}
	var theirs []float64
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var epoch int
		var train, test float64
		if _, err := fmt.Sscanf(line, "epoch %d train_loss %g test_loss %g", &epoch, &train, &test); err != nil {
			t.Fatalf("pytorch_vae.py printed %q", line)
		}
		theirs = append(theirs, test)
	}
	for epoch, pt := range theirs {
		if _, err := tr.TrainEpoch(t.Context()); err != nil {
			t.Fatal(err)
		}
		terms, err := tr.Evaluate(tr.Test)
		if err != nil {
			t.Fatal(err)
		}
		ours := terms.NegELBO()
		t.Logf("epoch %2d  test -ELBO here %.3f, PyTorch %.3f, difference %+.3f", epoch+1, ours, pt, ours-pt)
		if epoch+1 == len(theirs) && epoch+1 >= 10 && math.Abs(ours-pt) > 0.5 {
			t.Errorf("after %d epochs the test -ELBO is %.3f here and %.3f in PyTorch, from the same draws", epoch+1, ours, pt)
		}
	}
}

// writeDraws writes what bench/pytorch_vae.py --replay reads: the trainer's
// initial weights, and for each epoch the order of the training images and
// the noise of every step, drawn from the streams TrainEpoch draws them from.
func writeDraws(t *testing.T, dir string, tr *Trainer, epochs int) {
	t.Helper()
	saveWeights(t, filepath.Join(dir, "init.safetensors"), tr.Params)
	latent := tr.Params.Config.Latent
	for epoch := 1; epoch <= epochs; epoch++ {
		noise := streams.New(tr.Settings.Seed, streams.Noise, uint32(epoch))
		var order, eps []float32 // indices below 2^24 are exact in float32
		for _, idx := range dataset.Batches(tr.Train.Len(), tr.Settings.BatchSize, streams.New(tr.Settings.Seed, streams.Shuffle, uint32(epoch))) {
			for _, i := range idx {
				order = append(order, float32(i))
			}
			e := make([]float32, len(idx)*latent)
			model.FillNormal(e, noise)
			eps = append(eps, e...)
		}
		saveNPY(t, filepath.Join(dir, fmt.Sprintf("order_%d.npy", epoch)), order, len(order))
		saveNPY(t, filepath.Join(dir, fmt.Sprintf("noise_%d.npy", epoch)), eps, len(order), latent)
	}
}

// saveWeights writes p as safetensors under PyTorch's names, for the scripts
// to load into their model.
func saveWeights(t *testing.T, path string, p *model.Params) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := interop.WriteSafetensors(f, interop.ToTorch(p), nil); err != nil {
		t.Fatal(err)
	}
}

// saveNPY writes values as a float32 .npy array of the given shape.
func saveNPY(t *testing.T, path string, values []float32, shape ...int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := npy.Write(f, values, shape...); err != nil {
		t.Fatal(err)
	}
}
