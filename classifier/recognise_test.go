package classifier

import (
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

// trainedVAE trains a small VAE on the fixture for one epoch, conditional or
// not, and returns it with the fixture's data.
func trainedVAE(t *testing.T, conditional bool) (*model.Model, *dataset.Data) {
	t.Helper()
	m, err := model.Open(fixture.Trained(t, fixture.Config(t, func(c *config.Config) { c.Conditional = conditional })))
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Load(dataset.Spec{Dir: fixture.Dir()})
	if err != nil {
		t.Fatal(err)
	}
	return m, d
}

// A digit classifier reads a conditional model's samples; a plain model is
// refused.
func TestRecognise(t *testing.T) {
	m, d := trainedVAE(t, true)
	steps := 0
	r, err := Recognise(m, d, 20, 1, func(what string, total int) func() {
		t.Cleanup(func() {
			if steps != total {
				t.Errorf("%s: %d steps ticked, %d announced", what, steps, total)
			}
		})
		return func() { steps++ }
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ByDigit) != 10 || r.Overall < 0 || r.Overall > 1 || r.ClassifierAccuracy < 0.5 {
		t.Errorf("recognition %+v", r)
	}
	plain, d := trainedVAE(t, false)
	if _, err := Recognise(plain, d, 20, 1, nil); err == nil || !strings.Contains(err.Error(), "needs a conditional model") {
		t.Errorf("a plain model: %v", err)
	}
}
