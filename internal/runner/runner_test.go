package runner

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestBucket(t *testing.T) {
	for _, tt := range []struct{ rows, want int }{
		{1, 1}, {2, 2}, {3, 4}, {64, 64}, {65, 128}, {1000, 1024}, {1024, 1024}, {5000, 1024},
	} {
		if got := Bucket(tt.rows, 64); got != min(tt.want, 64) {
			t.Errorf("Bucket(%d, 64) = %d, want %d", tt.rows, got, min(tt.want, 64))
		}
		if got := Bucket(tt.rows, MaxBatch); got != tt.want {
			t.Errorf("Bucket(%d) = %d, want %d", tt.rows, got, tt.want)
		}
	}
}

// A batch of wide rows holds no more values than MaxBatch MNIST images.
func TestBatchFor(t *testing.T) {
	for _, tt := range []struct{ width, want int }{
		{1, 1024}, {784, 1024}, {785, 512}, {3 * 32 * 32, 256}, {3 * 64 * 64, 64}, {3 * 512 * 512, 1}, {1 << 30, 1},
	} {
		if got := BatchFor(tt.width); got != tt.want {
			t.Errorf("BatchFor(%d) = %d, want %d", tt.width, got, tt.want)
		}
	}
}

func TestChunks(t *testing.T) {
	var got [][2]int
	err := Chunks(2500, func(start, size int) error {
		got = append(got, [2]int{start, size})
		return nil
	})
	if want := [][2]int{{0, 1024}, {1024, 1024}, {2048, 452}}; err != nil || !slices.Equal(got, want) {
		t.Errorf("chunks %v (%v), want %v", got, err, want)
	}
	stop := errors.New("stop")
	calls := 0
	if err := Chunks(5000, func(int, int) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("after an error: %v, %d calls", err, calls)
	}
}

// A pool lends each machine to one caller at a time, never more than its
// limit at once, and reuses the machines it built.
func TestPoolLimitsAndReuses(t *testing.T) {
	const limit = 3
	var built, inUse, most atomic.Int32
	p := NewPool(limit, func(batch int) (*int, error) {
		built.Add(1)
		return new(int), nil
	})
	var wg sync.WaitGroup
	for g := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.With(1+g%2, func(m *int) error {
				now := inUse.Add(1)
				for {
					old := most.Load()
					if now <= old || most.CompareAndSwap(old, now) {
						break
					}
				}
				*m++ // a race detector would see two callers on one machine
				inUse.Add(-1)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if most.Load() > limit {
		t.Errorf("%d machines in use at once, limit %d", most.Load(), limit)
	}
	if b := built.Load(); b > 2*limit {
		t.Errorf("built %d machines for 2 batch sizes and limit %d", b, limit)
	}
}

// A machine feeds its inputs, runs, lets read see the results, and can run
// again with new inputs.
func TestMachineRuns(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 2), G.WithName("x"))
	k := G.NewScalar(g, tensor.Float32, G.WithName("k"))
	y := G.Must(G.Mul(x, k))
	m, err := New(g, x, k)
	if err != nil {
		t.Fatal(err)
	}
	for _, scale := range []float32{2, 3} {
		copy(m.Input(x), []float32{1, 2, 3, 4})
		m.Input(k)[0] = scale
		var got []float32
		if err := m.Run(func() error { got = slices.Clone(Floats(y)); return nil }); err != nil {
			t.Fatal(err)
		}
		if want := []float32{scale, 2 * scale, 3 * scale, 4 * scale}; !slices.Equal(got, want) {
			t.Errorf("k = %v: %v, want %v", scale, got, want)
		}
	}
	if _, err := New(g, G.NewVector(g, tensor.Float64, G.WithShape(2), G.WithName("v"))); err == nil {
		t.Error("a float64 input was accepted")
	}
}

// ChunksParallel covers every row once, whatever the workers, and reports
// the first error in chunk order.
func TestChunksParallel(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		seen := make([]atomic.Int32, 5000)
		err := ChunksParallel(5000, MaxBatch, workers, func(start, size int) error {
			for i := start; i < start+size; i++ {
				seen[i].Add(1)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Fatalf("workers %d: row %d seen %d times", workers, i, seen[i].Load())
			}
		}
	}
	first, second := errors.New("first"), errors.New("second")
	err := ChunksParallel(3000, MaxBatch, 3, func(start, _ int) error {
		if start == 0 {
			time.Sleep(20 * time.Millisecond)
			return first
		}
		return second
	})
	if err != first {
		t.Errorf("error %v, want the first chunk's", err)
	}
}

// Drop lets go of the idle machines of the sizes not kept: those are built
// anew on their next use, the kept ones are reused.
func TestPoolDrop(t *testing.T) {
	built := map[int]int{}
	p := NewPool(1, func(batch int) (*int, error) {
		built[batch]++
		return new(int), nil
	})
	use := func(batch int) {
		if err := p.With(batch, func(*int) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	use(128)
	use(96)
	if got := p.Idle(); !slices.Equal(got, []int{96, 128}) {
		t.Errorf("idle %v, want [96 128]", got)
	}
	p.Drop(128)
	if got := p.Idle(); !slices.Equal(got, []int{128}) {
		t.Errorf("after Drop(128): idle %v", got)
	}
	use(128)
	use(96)
	p.Drop()
	if got := p.Idle(); len(got) != 0 {
		t.Errorf("after Drop(): idle %v", got)
	}
	use(128)
	if built[128] != 2 || built[96] != 2 {
		t.Errorf("built %v, want 128 twice (dropped by the last Drop alone) and 96 twice", built)
	}
}
