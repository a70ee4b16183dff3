package classifier

import (
	"math"
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

func TestReadings(t *testing.T) {
	sure := func(k int) []float64 { r := make([]float64, 4); r[k] = 1; return r }
	unsure := []float64{0.25, 0.25, 0.25, 0.25}
	for _, tt := range []struct {
		name             string
		rows             [][]float64
		confident, score float64
	}{
		{"every sample the same sure digit", [][]float64{sure(1), sure(1), sure(1)}, 1, 1},
		{"sure and balanced over 4 classes", [][]float64{sure(0), sure(1), sure(2), sure(3)}, 1, 4},
		{"sure over 2 of 4 classes", [][]float64{sure(0), sure(3), sure(0), sure(3)}, 1, 2},
		{"unsure", [][]float64{unsure, unsure}, 0, 1},
		// p(y) = (0.625, 0.125, 0.125, 0.125); the score is exp of the mean of
		// KL(sure(0) ‖ p(y)) = log(1/0.625) and KL(unsure ‖ p(y)).
		{"half sure", [][]float64{sure(0), unsure}, 0.5, math.Exp(0.5 * (math.Log(1/0.625) + 0.25*math.Log(0.25/0.625) + 3*0.25*math.Log(0.25/0.125)))},
	} {
		c, s := readings(tt.rows)
		if math.Abs(c-tt.confident) > 1e-12 || math.Abs(s-tt.score) > 1e-9 {
			t.Errorf("%s: confident %g, score %g; want %g, %g", tt.name, c, s, tt.confident, tt.score)
		}
	}
}

// The test images themselves, read by the classifier, score far above
// noise; a model's samples are judged, and data without labels is refused.
func TestJudge(t *testing.T) {
	m, err := model.Open(fixture.Trained(t, fixture.Config(t, func(c *config.Config) { c.Epochs = 2 })))
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Load(dataset.Spec{Dir: fixture.Dir()})
	if err != nil {
		t.Fatal(err)
	}
	q, err := Judge(m, d, nil, "standard", 300, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", q)
	if q.Samples != 300 || q.Prior != "standard" || q.Score < 1 || q.Score > 10 || q.Confident < 0 || q.Confident > 1 || q.ClassifierAccuracy < 0.5 {
		t.Errorf("quality %+v", q)
	}
	unlabelled := *d
	train := *d.Train
	train.Labels, train.Classes = nil, 0
	unlabelled.Train = &train
	if _, err := Judge(m, &unlabelled, nil, "standard", 10, 1, nil); err == nil || !strings.Contains(err.Error(), "carry no labels") {
		t.Errorf("unlabelled data: %v", err)
	}
	if _, err := Judge(m, d, nil, "standard", 0, 1, nil); err == nil || !strings.Contains(err.Error(), "samples 0") {
		t.Errorf("no samples: %v", err)
	}
}
