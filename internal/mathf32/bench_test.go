package mathf32

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The comparisons with the math package run the same loop over the same
// values: go test ./internal/mathf32 -bench .

func benchInput(lo, hi float64) []float32 {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 128*784) // one batch of pixels
	for i := range x {
		x[i] = float32(lo + (hi-lo)*rng.Float64())
	}
	return x
}

func BenchmarkExpNeg(b *testing.B) {
	x := benchInput(-20, 0)
	dst := make([]float32, len(x))
	b.Run("mathf32", func(b *testing.B) {
		for b.Loop() {
			ExpNeg(dst, x)
		}
	})
	b.Run("math", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				dst[i] = float32(math.Exp(float64(v)))
			}
		}
	})
}

func BenchmarkLog1p(b *testing.B) {
	x := benchInput(0, 1)
	dst := make([]float32, len(x))
	b.Run("mathf32", func(b *testing.B) {
		for b.Loop() {
			Log1p(dst, x)
		}
	})
	b.Run("math", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				dst[i] = float32(math.Log1p(float64(v)))
			}
		}
	})
}
