package train

import (
	"runtime"
	"testing"

	"github.com/govae/govae/dataset"
)

// Training must not leak: over a few hundred steps the live heap stays put
// and each step allocates the same amount.
func TestMemoryDoesNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 400 steps")
	}
	tr := newTinyTrainer(t, tinyConfig(t))
	m, err := newMachine(tr.Params, 50, true)
	if err != nil {
		t.Fatal(err)
	}
	batches := dataset.Chunks(dataset.Sequential(500), 50)
	noise := stream(1, streamNoise, 1)
	i := 0
	step := func() {
		if _, err := m.step(images{set: tr.Train}, batches[i%len(batches)], noise, 1, tr.Adam); err != nil {
			t.Fatal(err)
		}
		i++
	}
	measure := func() (heap uint64, allocs float64) {
		allocs = testing.AllocsPerRun(20, step)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc, allocs
	}
	for range 50 { // warm up: Adam's moments, the graph's first allocations
		step()
	}
	heap0, allocs0 := measure()
	for range 300 {
		step()
	}
	heap1, allocs1 := measure()
	t.Logf("live heap %d → %d bytes, %.0f → %.0f allocations per step", heap0, heap1, allocs0, allocs1)
	if heap1 > heap0+1<<20 {
		t.Errorf("live heap grew by %d bytes over 300 steps", heap1-heap0)
	}
	if allocs1 > allocs0*1.02 {
		t.Errorf("allocations per step grew from %.0f to %.0f", allocs0, allocs1)
	}
}
