package sample

import (
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govae/govae/model"
)

func openTiny(t *testing.T) *model.Model {
	t.Helper()
	m, err := model.Open(filepath.Join("..", "model", "testdata", "tiny.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// peakHeap runs f while sampling the heap, and returns the largest heap seen.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return peak
}

// 60,000 samples (188 MB as .npy) stream to the file in about the heap that
// 3,000 (9 MB) take, and the file holds what Sample draws.
func TestWriteSamplesStreamsInBoundedMemory(t *testing.T) {
	m := openTiny(t)
	const n = 60000
	dir := t.TempDir()
	path := filepath.Join(dir, "s.npy")
	var err error
	small := peakHeap(func() {
		err = WriteSamples(t.Context(), filepath.Join(dir, "small.npy"), m, nil, 3000, 3, model.NoLabel, 0, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	ticks, announced := 0, 0
	progress := func(what string, total int) func() {
		announced = total
		return func() { ticks++ }
	}
	peak := peakHeap(func() { err = WriteSamples(t.Context(), path, m, nil, n, 3, model.NoLabel, 0, progress) })
	if err != nil {
		t.Fatal(err)
	}
	if ticks != n || announced != n {
		t.Errorf("progress announced %d images and ticked %d, want %d", announced, ticks, n)
	}
	st, _ := os.Stat(path)
	t.Logf("peak heap %.1f MB for 3,000 samples, %.1f MB for %d (a %d-byte file)", float64(small)/1e6, float64(peak)/1e6, n, st.Size())
	if values := int64(n * 784 * 4); st.Size() != 128+values {
		t.Errorf("file of %d bytes, want a 128-byte header and %d bytes of values", st.Size(), values)
	}
	// Holding the samples would take 188 MB of floats and as much again of
	// encoded bytes; the margin leaves room for the collector lagging
	// behind two decoding goroutines on a busy machine.
	if peak > small+96<<20 {
		t.Errorf("peak heap %d MB for %d samples, %d MB for 3,000: memory grows with n", peak>>20, n, small>>20)
	}
	f, _ := os.Open(path)
	defer f.Close()
	head := make([]byte, 128+10*784*4)
	if _, err := f.ReadAt(head, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(head[:128]), "'shape': (60000, 784)") {
		t.Errorf("header %q", head[:128])
	}
	want, err := m.Sample(10, 3, model.NoLabel)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range want {
		if got := math.Float32frombits(binary.LittleEndian.Uint32(head[128+4*i:])); got != v {
			t.Fatalf("value %d is %v, Sample drew %v", i, got, v)
		}
	}
}

// Requests that cannot be met fail before anything is written, and a
// stream stopped half-way leaves no file, not even a temporary one.
func TestWriteSamplesRefusesAndStopsCleanly(t *testing.T) {
	m := openTiny(t)
	dir := t.TempDir()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"more than the disk holds", WriteSamples(t.Context(), filepath.Join(dir, "huge.npy"), m, nil, 2_000_000_000, 1, model.NoLabel, 0, nil), "would take 6.3 TB; its disk has"},
		{"a picture too large", WriteSamples(t.Context(), filepath.Join(dir, "big.png"), m, nil, 10001, 1, model.NoLabel, 0, nil), "n 10001: 10001 images are more than the 10000 a picture holds"},
		{"no samples", WriteSamples(t.Context(), filepath.Join(dir, "none.idx"), m, nil, 0, 1, model.NoLabel, 0, nil), "n 0: need at least one"},
		{"stopped", WriteSamples(cancelled, filepath.Join(dir, "stopped.idx.gz"), m, nil, 5000, 1, model.NoLabel, 0, nil), "stopped before the end, nothing written"},
		{"unknown format", WriteSamples(t.Context(), filepath.Join(dir, "s.bmp"), m, nil, 5, 1, model.NoLabel, 0, nil), `unknown extension ".bmp"`},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, tt.err, tt.want)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files left behind: %v", left)
	}
}
