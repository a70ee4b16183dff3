package sample

import (
	"errors"
	"fmt"

	"github.com/govae/govae/classifier"
	"github.com/govae/govae/train"
)

// Recognition is how often a digit classifier reads a conditional model's
// samples as the digit they were drawn as.
type Recognition struct {
	ClassifierAccuracy float64   `json:"classifier_accuracy"` // on the real test set
	ByDigit            []float64 `json:"by_digit"`            // fraction read as asked, per digit
	Overall            float64   `json:"recognised"`          // mean of ByDigit
}

// Recognise trains a classifier on the model's training data (from dataDir,
// or the checkpoint config's), checks it on the test set, then draws
// perDigit samples of each digit with seed and classifies them.
func (m *Model) Recognise(dataDir string, perDigit int, seed uint64) (Recognition, error) {
	if !m.Params.Sizes.Conditional() {
		return Recognition{}, errors.New("-recognise needs a conditional model (trained with conditional: true)")
	}
	if perDigit < 1 {
		return Recognition{}, fmt.Errorf("-recognise %d: need at least one sample per digit", perDigit)
	}
	cfg := m.Config
	if dataDir != "" {
		cfg.DataDir = dataDir
	}
	cfg.TrainLimit, cfg.TestLimit = 0, 0
	trainSet, testSet, _, err := train.LoadData(cfg)
	if err != nil {
		return Recognition{}, err
	}
	c, err := classifier.Train(trainSet, classifier.Defaults)
	if err != nil {
		return Recognition{}, err
	}
	var r Recognition
	if r.ClassifierAccuracy, err = c.Accuracy(testSet); err != nil {
		return Recognition{}, err
	}
	for digit := range m.classes() {
		im, err := m.Samples(perDigit, seed+uint64(digit), digit)
		if err != nil {
			return Recognition{}, err
		}
		pred, err := c.Predict(im.Pixels)
		if err != nil {
			return Recognition{}, err
		}
		right := 0
		for _, p := range pred {
			if p == digit {
				right++
			}
		}
		r.ByDigit = append(r.ByDigit, float64(right)/float64(perDigit))
		r.Overall += r.ByDigit[digit] / float64(m.classes())
	}
	return r, nil
}
