package likelihood

import (
	"math"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

// The k-sample bounds of a list of log-weights, against their definition
// worked by hand.
func TestBounds(t *testing.T) {
	ln := math.Log
	for _, tt := range []struct {
		name string
		logw []float64
		want []float64
	}{
		{"equal weights: every bound is the same", []float64{-2, -2, -2, -2, -2}, []float64{2, 2}},
		// k = 1: −mean(logw); k = 5: −log((1 + 2 + 3 + 4 + 5)/5) = −log 3.
		{"five weights 1…5", []float64{0, ln(2), ln(3), ln(4), ln(5)}, []float64{-(ln(2) + ln(3) + ln(4) + ln(5)) / 5, -ln(3)}},
		{"fewer samples than 5: the ELBO alone", []float64{ln(2), ln(4)}, []float64{-(ln(2) + ln(4)) / 2}},
	} {
		got := bounds(tt.logw)
		if len(got) != len(tt.want) {
			t.Fatalf("%s: %d bounds, want %d", tt.name, len(got), len(tt.want))
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-12 {
				t.Errorf("%s: bound %d = %.12f, want %.12f", tt.name, BoundSamples[i], got[i], tt.want[i])
			}
		}
	}
}

// On a trained model the bounds come in the papers' order: the ELBO, then
// IWAE-5, IWAE-50, then the NLL estimate at K = 500, each below the last.
func TestBoundsTighten(t *testing.T) {
	m, set := trainedOnFixture(t, func(c *config.Config) { c.HiddenSize, c.LatentSize, c.Epochs = 64, 8, 3 })
	r, err := Evaluate(m, set, Options{K: 500, N: 30, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ELBO %.3f, bounds %+v, NLL %.3f", r.NegELBO, r.Bounds, r.NLL)
	if len(r.Bounds) != 3 || r.Bounds[0].K != 1 || r.Bounds[1].K != 5 || r.Bounds[2].K != 50 {
		t.Fatalf("bounds %+v, want k = 1, 5, 50", r.Bounds)
	}
	order := []float64{r.NegELBO, r.Bounds[1].NLL, r.Bounds[2].NLL, r.NLL}
	for i := 1; i < len(order); i++ {
		if !(order[i] < order[i-1]) {
			t.Errorf("ELBO, IWAE-5, IWAE-50, NLL = %.3f: not each below the last", order)
			break
		}
	}
	// The sampled ELBO (k = 1) and the one with the KL in closed form agree
	// to Monte Carlo error (500 samples of 30 images).
	if math.Abs(r.Bounds[0].NLL-r.NegELBO) > 0.5 {
		t.Errorf("sampled ELBO %.3f, closed-form KL's %.3f", r.Bounds[0].NLL, r.NegELBO)
	}
}

// trainedOnFixture trains the fixture's model, as edit changes its config,
// and returns it with the fixture's test set.
func trainedOnFixture(t *testing.T, edit func(*config.Config)) (*model.Model, *dataset.Set) {
	t.Helper()
	m, err := model.Open(fixture.Trained(t, fixture.Config(t, edit)))
	if err != nil {
		t.Fatal(err)
	}
	set, err := dataset.LoadTestSet(fixture.Dir())
	if err != nil {
		t.Fatal(err)
	}
	return m, set
}
