package classifier

import (
	"fmt"
	"math"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model"
	"github.com/govae/govae/progress"
)

// Quality is how a digit classifier reads n samples decoded from codes of a
// prior: do they look like digits at all, and like many different ones?
type Quality struct {
	Prior   string `json:"prior"`   // the prior the codes came from: "standard" (N(0, I)) or "fitted"
	Samples int    `json:"samples"` // how many were read

	// Confident is the share of samples the classifier gives one class
	// with probability ConfidentAt or more.
	Confident float64 `json:"confident"`

	// Score is the inception-style score exp(E_x KL(p(y|x) ‖ p(y))), with
	// p(y) the mean of p(y|x) over the samples: 1 when every sample reads
	// alike or none reads as anything, the number of classes when each
	// reads as one class for sure and the classes are equally common.
	Score float64 `json:"score"`

	ClassifierAccuracy float64 `json:"classifier_accuracy"` // on the real test set
}

// ConfidentAt is the probability from which a reading counts as confident.
const ConfidentAt = 0.9

// MaxSamples bounds the samples Judge draws.
const MaxSamples = 100000

// Judge trains a classifier on the data the model trained on (it must carry
// labels), checks it on the test set, then reads n samples decoded from
// codes drawn with seed from prior (nil: N(0, I)); name names the prior in
// the result. progress, if not nil, is told the classifier's training steps.
func Judge(m *model.Model, d *dataset.Data, prior *model.Prior, name string, n int, seed uint64, progress progress.Func) (Quality, error) {
	if n < 1 || n > MaxSamples {
		return Quality{}, &model.ArgError{Arg: "samples", Value: n, Msg: fmt.Sprintf("need 1 to %d samples", MaxSamples)}
	}
	if !d.Train.Labelled() {
		return Quality{}, &model.ArgError{Arg: "samples", Value: n, Msg: fmt.Sprintf("judging samples needs a digit classifier, and the images in %s carry no labels to train one", d.Dir)}
	}
	if d.Train.Size() != m.Config().Input || d.Test.Size() != m.Config().Input {
		return Quality{}, fmt.Errorf("judge samples: the data in %s is not the model's (%d values an image)", d.Dir, m.Config().Input)
	}
	o := Defaults
	o.Progress = progress
	c, err := Train(d.Train, o)
	if err != nil {
		return Quality{}, err
	}
	q := Quality{Prior: name, Samples: n}
	if q.ClassifierAccuracy, err = c.Accuracy(d.Test); err != nil {
		return Quality{}, err
	}
	var rows [][]float64
	err = m.SampleEachFrom(prior, n, seed, model.NoLabel, func(images []float32) error {
		probs, err := c.Probabilities(images)
		for i := 0; i < len(probs); i += c.classes {
			rows = append(rows, probs[i:i+c.classes])
		}
		return err
	})
	if err != nil {
		return Quality{}, err
	}
	q.Confident, q.Score = readings(rows)
	return q, nil
}

// readings are the share of rows of class probabilities with one class at
// ConfidentAt or more, and the score exp(mean_x KL(p(y|x) ‖ p(y))).
func readings(rows [][]float64) (confident, score float64) {
	if len(rows) == 0 {
		return 0, 1
	}
	n := float64(len(rows))
	marginal := make([]float64, len(rows[0]))
	sure := 0
	for _, row := range rows {
		best := 0.0
		for k, p := range row {
			marginal[k] += p / n
			best = max(best, p)
		}
		if best >= ConfidentAt {
			sure++
		}
	}
	confident = float64(sure) / n
	var kl float64
	for _, row := range rows {
		for k, p := range row {
			if p > 0 {
				kl += p * math.Log(p/marginal[k]) / n
			}
		}
	}
	return confident, math.Exp(kl)
}

// Probabilities are the classifier's p(class | image) for each image (x: n
// × input values), n × classes values, a softmax of its logits.
func (c *Classifier) Probabilities(x []float32) ([]float64, error) {
	n := len(x) / c.input
	if n == 0 || n*c.input != len(x) {
		return nil, fmt.Errorf("classifier: %d values are not whole %d-pixel images", len(x), c.input)
	}
	out := make([]float64, 0, n*c.classes)
	err := runner.Chunks(n, func(start, size int) error {
		return c.predict.With(size, func(g *graph) error {
			return g.forward(x[start*c.input:(start+size)*c.input], func(logits []float32) {
				for i := range size {
					out = append(out, softmax(logits[i*c.classes:(i+1)*c.classes])...)
				}
			})
		})
	})
	return out, err
}

// softmax is exp(l_k − max) / Σ exp(l_j − max), in float64.
func softmax(logits []float32) []float64 {
	top := float64(logits[argmax(logits)])
	out := make([]float64, len(logits))
	var sum float64
	for k, l := range logits {
		out[k] = math.Exp(float64(l) - top)
		sum += out[k]
	}
	for k := range out {
		out[k] /= sum
	}
	return out
}
