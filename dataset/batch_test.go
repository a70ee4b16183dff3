package dataset

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestBatches(t *testing.T) {
	tests := []struct {
		n, size int
		lens    []int
	}{
		{10, 4, []int{4, 4, 2}},
		{8, 4, []int{4, 4}},
		{3, 5, []int{3}},
		{60000, 128, append(slices.Repeat([]int{128}, 468), 96)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n, "/", tt.size), func(t *testing.T) {
			batches := Batches(tt.n, tt.size, rand.New(rand.NewPCG(1, 2)))
			var lens, seen []int
			for _, b := range batches {
				lens = append(lens, len(b))
				seen = append(seen, b...)
			}
			if !slices.Equal(lens, tt.lens) {
				t.Errorf("batch sizes %v, want %v", lens, tt.lens)
			}
			slices.Sort(seen)
			if !slices.Equal(seen, Sequential(tt.n)) {
				t.Errorf("an epoch does not visit every example exactly once")
			}
		})
	}
	a := Batches(100, 10, rand.New(rand.NewPCG(7, 1)))
	b := Batches(100, 10, rand.New(rand.NewPCG(7, 1)))
	c := Batches(100, 10, rand.New(rand.NewPCG(8, 1)))
	if !slices.Equal(a[0], b[0]) || slices.Equal(a[0], c[0]) {
		t.Errorf("the shuffle must depend on the seed alone")
	}
}
