package sample

import (
	"fmt"

	"github.com/govae/govae/classifier"
	"github.com/govae/govae/model"
	"github.com/govae/govae/progress"
)

// Recognition is how often a digit classifier reads a conditional model's
// samples as the digit they were drawn as.
type Recognition struct {
	ClassifierAccuracy float64   `json:"classifier_accuracy"` // on the real test set
	ByDigit            []float64 `json:"by_digit"`            // fraction read as asked, per digit
	Overall            float64   `json:"recognised"`          // mean of ByDigit
}

// Recognise trains a classifier on the model's training data (from dataDir,
// or the folder its checkpoint names), checks it on the test set, then draws
// perDigit samples of each digit with seed and classifies them. progress, if
// not nil, is told what the classifier's training is about to do and
// returns what to call after each of its steps (logging.Progress draws it).
func Recognise(m *model.Model, dataDir string, perDigit int, seed uint64, progress progress.Func) (Recognition, error) {
	classes := m.Config().Classes
	if classes == 0 {
		return Recognition{}, &model.ArgError{Arg: "model", Msg: "recognising digits needs a conditional model (trained with conditional: true)"}
	}
	if perDigit < 1 || perDigit > MaxImages {
		return Recognition{}, &model.ArgError{Arg: "per_digit", Value: perDigit, Msg: fmt.Sprintf("need 1 to %d samples per digit", MaxImages)}
	}
	d, err := modelData(m, dataDir, false)
	if err != nil {
		return Recognition{}, err
	}
	o := classifier.Defaults
	o.Progress = progress
	c, err := classifier.Train(d.Train, o)
	if err != nil {
		return Recognition{}, err
	}
	var r Recognition
	if r.ClassifierAccuracy, err = c.Accuracy(d.Test); err != nil {
		return Recognition{}, err
	}
	for digit := range classes {
		pixels, err := m.Sample(perDigit, seed+uint64(digit), digit)
		if err != nil {
			return Recognition{}, err
		}
		pred, err := c.Predict(pixels)
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
		r.Overall += r.ByDigit[digit] / float64(classes)
	}
	return r, nil
}
