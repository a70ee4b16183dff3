package train

import (
	"math"
	"path/filepath"

	"github.com/govae/govae/config"
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

func TestLearningRate(t *testing.T) {
	d := math.Pow(10, -1.0/7) // Burda et al.'s decay per stage
	tests := []struct {
		name          string
		decay         float64
		first         int
		growth        float64
		epoch         int
		wantStage     int
		constantAtAll bool
	}{
		{"no stages", d, 0, 3, 50, 0, true},
		{"decay 1", 1, 1, 3, 50, 0, true},
		{"burda: epoch 1 is stage 0", d, 1, 3, 1, 0, false},
		{"burda: epochs 2-4 are stage 1", d, 1, 3, 2, 1, false},
		{"burda: epoch 4 still stage 1", d, 1, 3, 4, 1, false},
		{"burda: epoch 5 starts stage 2", d, 1, 3, 5, 2, false},
		{"burda: epoch 13 ends stage 2", d, 1, 3, 13, 2, false},
		{"burda: last epoch 3280 is stage 7", d, 1, 3, 3280, 7, false},
		{"equal stages of 10", 0.5, 10, 1, 25, 2, false},
		{"growth 1.5 rounds lengths: 2, 3, 5 (4.5)", 0.5, 2, 1.5, 10, 2, false},
		{"... then 7 (6.75): epoch 11 is stage 3", 0.5, 2, 1.5, 11, 3, false},
	}
	for _, tt := range tests {
		got := LearningRate(1e-3, tt.decay, tt.first, tt.growth, tt.epoch)
		want := 1e-3 * math.Pow(tt.decay, float64(tt.wantStage))
		if tt.constantAtAll {
			want = 1e-3
		}
		if math.Abs(got-want) > 1e-15 {
			t.Errorf("%s: LearningRate(epoch %d) = %g, want %g", tt.name, tt.epoch, got, want)
		}
	}
}

// The configs of the paper's table follow its schedule: lr 1e-3·10^(−i/7)
// for 3^i epochs, i = 0…7, 3,280 epochs in all.
func TestBurdaSchedule(t *testing.T) {
	cfg, err := config.Load(filepath.Join("..", "configs", "burda-1l-iwae-k5.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := plan(t, cfg)
	if s.Epochs != 3280 || s.BatchSize != 20 || s.AdamEps != 1e-4 {
		t.Fatalf("%d epochs of batch %d, Adam's ε %g; the paper's are 3280, 20, 1e-4", s.Epochs, s.BatchSize, s.AdamEps)
	}
	epoch := 1
	for i := range 8 {
		want := 1e-3 * math.Pow(10, -float64(i)/7)
		for range int(math.Pow(3, float64(i))) {
			if got := LearningRate(s.LR, s.LRDecay, s.LRStageEpochs, s.LRStageGrowth, epoch); math.Abs(got-want) > 1e-9 {
				t.Fatalf("epoch %d (stage %d): lr %g, want %g", epoch, i, got, want)
			}
			epoch++
		}
	}
	if epoch-1 != s.Epochs {
		t.Fatalf("the stages cover %d epochs, the config trains %d", epoch-1, s.Epochs)
	}
}
