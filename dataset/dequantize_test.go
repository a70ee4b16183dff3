package dataset

import (
	"slices"
	"testing"
)

// Each byte b becomes a value in its bin [b/256, (b+1)/256), spread over the
// bin (mean within 2% of its middle over 20,000 draws); a Dequantized set's
// noise is the same at every Gather, a training draw new each round.
func TestDequantization(t *testing.T) {
	const n = 20000
	s := greyLevels(n)
	dst := make([]float32, n)
	for _, g := range []int{0, 1, 128, 255} {
		s.GatherDequantized([]int{g}, dst, 3, 1)
		var sum float64
		for _, v := range dst {
			if v < float32(g)/256 || v >= float32(g+1)/256 {
				t.Fatalf("byte %d became %g, outside [%g, %g)", g, v, float64(g)/256, float64(g+1)/256)
			}
			sum += float64(v)
		}
		if mid := (float64(g) + 0.5) / 256; sum/n < mid-0.02/256 || sum/n > mid+0.02/256 {
			t.Errorf("byte %d: mean %g, want about %g", g, sum/n, mid)
		}
	}
	fixed := s.Head(3).Dequantized(DequantizeTestSeed)
	a, b := make([]float32, 3*n), make([]float32, 3*n)
	fixed.Gather([]int{0, 1, 2}, a)
	fixed.Gather([]int{0, 1, 2}, b)
	if !slices.Equal(a, b) {
		t.Error("a dequantized test set gathered different values twice")
	}
	s.GatherDequantized([]int{1}, a[:n], 3, 1)
	s.GatherDequantized([]int{1}, b[:n], 3, 2)
	if slices.Equal(a[:n], b[:n]) {
		t.Error("rounds 1 and 2 drew the same noise")
	}
}
