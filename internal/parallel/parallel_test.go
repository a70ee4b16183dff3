package parallel

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

func TestRangesCoverEveryItemOnce(t *testing.T) {
	for _, tt := range []struct{ n, parts int }{{0, 2}, {1, 4}, {7, 2}, {7, 3}, {100, 8}, {5, 0}} {
		seen := make([]atomic.Int32, tt.n)
		var calls atomic.Int32
		Ranges(tt.n, tt.parts, func(part, lo, hi int) {
			calls.Add(1)
			if lo != part*tt.n/max(1, min(tt.parts, tt.n)) {
				t.Errorf("n %d parts %d: part %d starts at %d", tt.n, tt.parts, part, lo)
			}
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Errorf("n %d parts %d: item %d seen %d times", tt.n, tt.parts, i, seen[i].Load())
			}
		}
		if want := max(1, min(tt.parts, tt.n)); int(calls.Load()) != want {
			t.Errorf("n %d parts %d: %d calls, want %d", tt.n, tt.parts, calls.Load(), want)
		}
	}
}

func TestEachRunsEveryItemAndReportsErrors(t *testing.T) {
	for _, workers := range []int{1, 2, 5, 100} {
		seen := make([]atomic.Int32, 50)
		err := Each(50, workers, func(w, i int) error {
			if w < 0 || w >= max(1, min(workers, 50)) {
				t.Errorf("worker %d of %d", w, workers)
			}
			seen[i].Add(1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Errorf("workers %d: item %d seen %d times", workers, i, seen[i].Load())
			}
		}
	}
	bad := errors.New("bad")
	err := Each(10, 3, func(_, i int) error {
		if i == 4 {
			return fmt.Errorf("item %d: %w", i, bad)
		}
		return nil
	})
	if !errors.Is(err, bad) || err.Error() != "item 4: bad" {
		t.Errorf("error %v", err)
	}
}

// CPUs honours GOMAXPROCS, which a process sharing a machine sets lower.
func TestCPUsIsGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if CPUs() != 1 || Parts(10) != 1 {
		t.Errorf("GOMAXPROCS 1: CPUs %d, Parts(10) %d", CPUs(), Parts(10))
	}
}
