package commands

import (
	"fmt"

	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
	"github.com/govae/govae/train"
	"github.com/sirupsen/logrus"
)

// priorUsage is the help of the -prior flag of the commands that sample.
const priorUsage = "codes drawn from: standard (N(0, I)) or fitted (a Gaussian fitted to the training codes)"

// priorFor is the prior the -prior flag names: nil for the standard normal;
// for fitted, the one the checkpoint carries, or one fitted now to the
// model's own training data (and said so in the log).
func priorFor(m *model.Model, name, dataDir string, log logrus.FieldLogger) (*model.Prior, error) {
	switch name {
	case "standard":
		return nil, nil
	case "fitted":
	default:
		return nil, fmt.Errorf("-prior %q: want standard or fitted", name)
	}
	if p := m.FittedPrior(); p != nil {
		return p, nil
	}
	d, err := sample.Data(m, dataDir)
	if err != nil {
		return nil, fmt.Errorf("-prior fitted: the checkpoint holds no fitted prior, and the training data to fit one to cannot be loaded (give -data): %w", err)
	}
	p, err := train.FitPrior(m, d.Train)
	if err != nil {
		return nil, fmt.Errorf("-prior fitted: %w", err)
	}
	log.WithFields(logrus.Fields{"codes": p.Codes, "data": d.Dir}).Info("fitted a Gaussian to the training codes: the checkpoint holds none")
	return p, nil
}
