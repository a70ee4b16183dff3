package train

import (
	"fmt"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model"
)

// FitPrior fits a Gaussian with full covariance to the codes (the encoder's
// means) of every image of set, as loaded: the prior a plain autoencoder is
// sampled from honestly, and any model can be (sample -prior fitted). A run
// fits it when its last epoch ends and keeps it in the checkpoint; for a
// checkpoint without one, the commands call this on the model's own
// training data.
func FitPrior(m *model.Model, set *dataset.Set) (*model.Prior, error) {
	d := m.Config().Code()
	if set.Size() != m.Config().Input {
		return nil, fmt.Errorf("fit a prior: the images have %d values, the model reads %d", set.Size(), m.Config().Input)
	}
	codes := make([]float32, 0, set.Len()*d)
	x := make([]float32, min(set.Len(), runner.MaxBatch)*set.Size())
	order := dataset.Sequential(set.Len())
	err := runner.Chunks(set.Len(), func(start, size int) error {
		idx := order[start : start+size]
		set.Gather(idx, x[:size*set.Size()])
		var labels []int
		if m.Config().Conditional() {
			labels = set.LabelsOf(idx)
		}
		c, err := m.Encode(x[:size*set.Size()], labels)
		codes = append(codes, c.Mu...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("fit a prior: %w", err)
	}
	return model.FitPrior(codes, d)
}
