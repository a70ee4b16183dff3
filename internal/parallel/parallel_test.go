package parallel

import (
	"fmt"
	"testing"
)

func TestRangesCoverEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 10, MinChunk - 1, 2*MinChunk + 7, 100003} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			seen := make([]int32, n)
			Ranges(n, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					seen[i]++
				}
			})
			for i, c := range seen {
				if c != 1 {
					t.Fatalf("index %d visited %d times", i, c)
				}
			}
			got := Sum(n, func(lo, hi int) float64 { return float64(hi - lo) })
			if got != float64(n) {
				t.Errorf("Sum of range lengths = %v, want %d", got, n)
			}
		})
	}
}
