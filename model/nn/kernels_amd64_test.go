package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAVX2KernelsAreTheLoops runs each AVX2 kernel and its scalar loop on
// the same values (signed zeros, NaN, infinities, both sides of -87, the
// regimes of the sigmoid) and checks every result bit for bit, over lengths
// with and without a scalar tail.
func TestAVX2KernelsAreTheLoops(t *testing.T) {
	if !hasAVX2 {
		t.Skip("this CPU has no AVX2; the Go loops run alone")
	}
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
		-87, 87, -87.5, 88, -1e-30, 1e-30, 1, -1, 16, -16, 3e38, -3e38}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 7, 8, 9, 33, 1000} {
		l, v := make([]float32, n), make([]float32, n)
		for i := range l {
			l[i], v[i] = float32(rng.NormFloat64()*20), float32(rng.NormFloat64())
			if i < len(special) {
				l[i] = special[i]
				v[i] = special[len(special)-1-i]
			}
		}
		for _, k := range []struct {
			name       string
			fast, slow func(dst []float32)
		}{
			{"-|l| floored", func(d []float32) { negAbsFloor32(d, l) }, func(d []float32) { negAbsFloorGo(d, l) }},
			{"sigmoid from exp", func(d []float32) { copy(d, v); sigmoidFromExp32(d, l) }, func(d []float32) { copy(d, v); sigmoidFromExpGo(d, l) }},
			{"v ⊙ [a ≥ 0]", func(d []float32) { maskNegatives32(d, v, l) }, func(d []float32) { maskNegatives(d, v, l) }},
		} {
			got, want := make([]float32, n), make([]float32, n)
			k.fast(got)
			k.slow(want)
			for i := range got {
				if bits32(got[i]) != bits32(want[i]) {
					t.Fatalf("%s, n %d, l %v, v %v: kernel %v, loop %v", k.name, n, l[i], v[i], got[i], want[i])
				}
			}
		}
	}
}

// bits32 tells apart every float32, the sign of 0 included; all NaNs are one.
func bits32(v float32) uint32 {
	if v != v {
		return 0x7fc00000
	}
	return math.Float32bits(v)
}
