package dataset

import (
	"math"
	"slices"
	"testing"
)

// greyLevels is a set of one image per grey level 0–255, each of n pixels of
// that level.
func greyLevels(n int) *Set {
	s := &Set{Rows: 1, Cols: n}
	for g := range 256 {
		for range n {
			s.Pixels = append(s.Pixels, byte(g))
		}
		s.Labels = append(s.Labels, 0)
	}
	return s
}

// Each pixel is 1 with probability equal to its grey level: over 20,000
// pixels of a level the mean is within 4.5 standard errors of g/255, and
// levels 0 and 255 are exact.
func TestBinarizationMatchesGreyLevel(t *testing.T) {
	const n = 20000
	s := greyLevels(n)
	dst := make([]float32, n)
	for g := range 256 {
		s.GatherBinary([]int{g}, dst, 7, 3)
		var sum float64
		for _, v := range dst {
			if v != 0 && v != 1 {
				t.Fatalf("grey %d: drew %g, want 0 or 1", g, v)
			}
			sum += float64(v)
		}
		p, mean := float64(g)/255, sum/n
		if se := math.Sqrt(p * (1 - p) / n); math.Abs(mean-p) > 4.5*se+1e-12 {
			t.Errorf("grey %d: mean %.4f, want %.4f ± %.4f", g, mean, p, 4.5*se)
		}
	}
	// Static binarisation draws the same way, as bytes 0 or 255.
	b := s.Binarized(7)
	for g := range 256 {
		var on int
		for _, v := range b.Pixels[g*n : (g+1)*n] {
			if v != 0 && v != 255 {
				t.Fatalf("static grey %d: byte %d, want 0 or 255", g, v)
			}
			if v == 255 {
				on++
			}
		}
		p := float64(g) / 255
		if se := math.Sqrt(p * (1 - p) / n); math.Abs(float64(on)/n-p) > 4.5*se+1e-12 {
			t.Errorf("static grey %d: mean %.4f, want %.4f", g, float64(on)/n, p)
		}
	}
}

// A draw depends on the seed, the round and the image alone: the same in any
// batch order, new each round, and Binarized leaves its source grey.
func TestBinarizationIsReproducible(t *testing.T) {
	s := greyLevels(64)
	draw := func(idx []int, seed uint64, round int) []float32 {
		dst := make([]float32, len(idx)*s.Size())
		s.GatherBinary(idx, dst, seed, round)
		return dst
	}
	a := draw([]int{100, 200}, 1, 5)
	b := draw([]int{200, 100}, 1, 5)
	if !slices.Equal(a[:64], b[64:]) || !slices.Equal(a[64:], b[:64]) {
		t.Error("image 100 drew differently in another batch order")
	}
	if slices.Equal(a, draw([]int{100, 200}, 1, 6)) {
		t.Error("round 6 drew what round 5 drew")
	}
	if slices.Equal(a, draw([]int{100, 200}, 2, 5)) {
		t.Error("seed 2 drew what seed 1 drew")
	}
	if !slices.Equal(s.Binarized(9).Pixels, s.Binarized(9).Pixels) {
		t.Error("Binarized(9) differs between two calls")
	}
	if s.Pixels[128*64] != 128 {
		t.Error("Binarized changed its source")
	}
}

// Load draws the test set with BinaryTestSeed whatever the run's seed, and
// a dynamic run's training set stays grey for the trainer to draw.
func TestLoadBinarized(t *testing.T) {
	load := func(b Binarization, seed uint64) *Data {
		d, err := Load(Spec{Dir: fixtureDir, Binarize: b, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	grey, static1, static2, dynamic := load(Grey, 1), load(Static, 1), load(Static, 2), load(Dynamic, 1)
	if !slices.Equal(static1.Test.Pixels, static2.Test.Pixels) || !slices.Equal(static1.Test.Pixels, dynamic.Test.Pixels) {
		t.Error("the binarised test set depends on the run")
	}
	if slices.Equal(static1.Train.Pixels, static2.Train.Pixels) {
		t.Error("a static training set ignores the run's seed")
	}
	if !slices.Equal(dynamic.Train.Pixels, grey.Train.Pixels) {
		t.Error("a dynamic training set was binarised at load time")
	}
	if slices.Equal(grey.Test.Pixels, static1.Test.Pixels) {
		t.Error("binarize none binarised the test set")
	}
}
