package train

import (
	"math"
	"testing"
)

func TestKLWeight(t *testing.T) {
	const steps = 4
	tests := []struct {
		name                string
		beta                float64
		warmup, epoch, step int
		want                float64
	}{
		{"no warm-up", 4, 0, 1, 0, 4},
		{"starts at 0", 1, 2, 1, 0, 0},
		{"a quarter of the first epoch", 1, 2, 1, 1, 0.125},
		{"end of epoch 1 of 2", 1, 2, 1, 3, 0.375},
		{"start of epoch 2 of 2", 1, 2, 2, 0, 0.5},
		{"scaled by beta", 4, 2, 2, 0, 2},
		{"reaches beta", 4, 2, 3, 0, 4},
		{"stays at beta", 4, 2, 9, 2, 4},
	}
	for _, tt := range tests {
		if got := KLWeight(tt.beta, tt.warmup, tt.epoch, tt.step, steps); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: KLWeight(%g, %d, %d, %d, %d) = %g, want %g", tt.name, tt.beta, tt.warmup, tt.epoch, tt.step, steps, got, tt.want)
		}
	}
	// Exactly linear: equal steps add equal weight until beta is reached.
	const beta, warmup = 2.0, 5
	prev, delta := 0.0, beta/(warmup*steps)
	for i := 1; i < warmup*steps; i++ {
		w := KLWeight(beta, warmup, 1+i/steps, i%steps, steps)
		if math.Abs(w-prev-delta) > 1e-12 {
			t.Fatalf("step %d: weight %g after %g, want an increase of %g", i, w, prev, delta)
		}
		prev = w
	}
}
