package classifier

import (
	"fmt"

	"github.com/govae/govae/dataset"
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

// MaxPerDigit bounds the samples Recognise draws of each digit.
const MaxPerDigit = 10000

// Recognise trains a classifier on the data the model trained on, checks it
// on the test set, then draws perDigit samples of each digit with seed and
// classifies them. progress, if not nil, is told the classifier's training
// steps.
func Recognise(m *model.Model, d *dataset.Data, perDigit int, seed uint64, progress progress.Func) (Recognition, error) {
	classes := m.Config().Classes
	if classes == 0 {
		return Recognition{}, &model.ArgError{Arg: "model", Msg: "recognising digits needs a conditional model (trained with conditional: true)"}
	}
	if perDigit < 1 || perDigit > MaxPerDigit {
		return Recognition{}, &model.ArgError{Arg: "per_digit", Value: perDigit, Msg: fmt.Sprintf("need 1 to %d samples per digit", MaxPerDigit)}
	}
	if d.Train == nil || d.Train.Size() != m.Config().Input || d.Test.Size() != m.Config().Input {
		return Recognition{}, fmt.Errorf("recognise: the data in %s is not the model's (%d values an image)", d.Dir, m.Config().Input)
	}
	o := Defaults
	o.Progress = progress
	c, err := Train(d.Train, o)
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
