package train

import (
	"runtime"
	"slices"
	"testing"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/streams"
)

// Training must not leak, nor allocate its buffers anew: a step of the
// reference model (784-400-20, batch 128) allocates under 1 MB (the model's
// ops keep their outputs from run to run, model/nn/output.go), and over a few
// hundred steps the live heap stays put and each step allocates the same.
func TestMemoryDoesNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 400 steps")
	}
	cfg := tinyConfig(t)
	cfg.HiddenSize, cfg.LatentSize, cfg.BatchSize = 400, 20, 128
	tr := newTinyTrainer(t, cfg)
	m, err := newMachine(tr.Params, cfg.BatchSize, true, tr.Settings.Objective)
	if err != nil {
		t.Fatal(err)
	}
	batches := dataset.Chunks(dataset.Sequential(512), cfg.BatchSize)
	noise := streams.New(1, streams.Noise, 1)
	i := 0
	step := func() {
		if _, err := m.step(images{set: tr.Train}, batches[i%len(batches)], tr.batchNoise(noise, len(batches[i%len(batches)]), 1), 1, tr.Adam); err != nil {
			t.Fatal(err)
		}
		i++
	}
	measure := func() (heap uint64, allocs, bytes float64) {
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		allocs = testing.AllocsPerRun(20, step) // 21 steps: one warm-up
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		bytes = float64(after.TotalAlloc-before.TotalAlloc) / 21
		runtime.GC()
		runtime.ReadMemStats(&after)
		return after.HeapAlloc, allocs, bytes
	}
	for range 50 { // warm up: Adam's moments, the ops' first outputs
		step()
	}
	heap0, allocs0, bytes0 := measure()
	for range 300 {
		step()
	}
	heap1, allocs1, bytes1 := measure()
	t.Logf("live heap %d → %d bytes; per step %.0f → %.0f allocations, %.0f → %.0f bytes", heap0, heap1, allocs0, allocs1, bytes0, bytes1)
	if heap1 > heap0+1<<20 {
		t.Errorf("live heap grew by %d bytes over 300 steps", heap1-heap0)
	}
	if allocs1 > allocs0*1.02 {
		t.Errorf("allocations per step grew from %.0f to %.0f", allocs0, allocs1)
	}
	if bytes0 > 1<<20 || bytes1 > 1<<20 {
		t.Errorf("a step allocates %.0f bytes, then %.0f; want under 1 MB", bytes0, bytes1)
	}
}

// Between epochs a trainer holds one compiled graph: the training graph of
// its batch size. The last batch's graph goes when its epoch ends, and the
// test pass's graphs when it is done, so that their memory serves the next
// epoch instead of sitting idle.
func TestTrainerKeepsOneGraphBetweenEpochs(t *testing.T) {
	cfg := tinyConfig(t) // 512 images: batches of 50 and a last one of 12
	tr := newTinyTrainer(t, cfg)
	for range 2 {
		if _, err := tr.TrainEpoch(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := tr.training.Idle(); !slices.Equal(got, []int{cfg.BatchSize}) {
			t.Errorf("after an epoch, training graphs of batch sizes %v, want only %d", got, cfg.BatchSize)
		}
		if _, err := tr.Evaluate(tr.Test); err != nil {
			t.Fatal(err)
		}
		if got := tr.eval.Idle(); len(got) != 0 {
			t.Errorf("after the test pass, evaluation graphs of batch sizes %v, want none", got)
		}
	}
}
