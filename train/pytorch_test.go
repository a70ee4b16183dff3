package train

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/npy"
	"github.com/govae/govae/internal/pytorchtest"
	"github.com/govae/govae/interop"
	"github.com/govae/govae/model"
)

// TestStepsMatchPyTorch replays the trainer's first steps in PyTorch: the
// reference model of bench/pytorch_vae.py starts from the Go model's initial
// weights and takes the same images and noise, with its loss function and
// torch.optim.Adam. Every step's loss agrees to float32 rounding, for the MLP
// and the conv model: forward pass, loss, gradients and Adam are the same
// computation. (Over a few hundred steps the two float32 trajectories drift
// apart as their rounding differences grow; the test stops well before.)
func TestStepsMatchPyTorch(t *testing.T) {
	py := pytorchtest.Python(t, "numpy")
	for _, arch := range []string{"mlp", "conv"} {
		t.Run(arch, func(t *testing.T) {
			cfg := tinyConfig(t)
			cfg.HiddenSize, cfg.LatentSize, cfg.Arch = 400, 20, arch // the reference's sizes
			if arch == "conv" {
				cfg.HiddenSize = 256
			}
			tr := newTinyTrainer(t, cfg)
			want := replayInPyTorch(t, py, tr, arch)
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
	return dataset.Batches(tr.Train.Len(), replayBatch, stream(1, streamShuffle, 1)), images{set: tr.Train}
}

// goSteps takes the replayed steps with the trainer's own step.
func goSteps(t *testing.T, tr *Trainer) []float64 {
	m, err := newMachine(tr.Params, replayBatch, true)
	if err != nil {
		t.Fatal(err)
	}
	batches, im := replayBatches(tr)
	noise := stream(1, streamNoise, 1)
	losses := make([]float64, replaySteps)
	for i := range losses {
		terms, err := m.step(im, batches[i%len(batches)], noise, 1, tr.Adam)
		if err != nil {
			t.Fatal(err)
		}
		losses[i] = terms.NegELBO()
	}
	return losses
}

// replayInPyTorch writes the initial weights and each step's images and noise
// (drawn as the step draws them) and returns the losses PyTorch reports.
func replayInPyTorch(t *testing.T, py string, tr *Trainer, arch string) []float64 {
	dir := t.TempDir()
	weights, steps := filepath.Join(dir, "init.safetensors"), filepath.Join(dir, "steps.npy")
	w, err := os.Create(weights)
	if err != nil {
		t.Fatal(err)
	}
	if err := interop.WriteSafetensors(w, interop.ToTorch(tr.Params), nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	batches, im := replayBatches(tr)
	noise := stream(1, streamNoise, 1)
	latent := tr.Params.Sizes.Latent
	x, eps := make([]float32, replayBatch*784), make([]float32, replayBatch*latent)
	var data []float32
	for i := range replaySteps {
		im.gather(batches[i%len(batches)], x)
		model.FillNormal(eps, noise)
		data = append(append(data, x...), eps...)
	}
	f, err := os.Create(steps)
	if err != nil {
		t.Fatal(err)
	}
	if err := npy.Write(f, data, replaySteps, replayBatch*(784+latent)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command(py, filepath.Join("testdata", "pytorch_steps.py"), arch, weights, steps,
		strconv.Itoa(replayBatch), strconv.Itoa(latent)).CombinedOutput()
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
