// Package classifier owns a small digit classifier — one hidden layer,
// trained on MNIST in seconds — that judges a model's samples: how often does
// it read a conditional VAE's sample drawn as digit d as d (Recognise), and
// do a model's prior samples read as digits at all, and as many different
// ones (Judge)? It is a Gorgonia graph of the
// model's own layers (model.Layer, model/nn's x·W + b and ReLU), trained with
// the project's Adam, like the VAE.
package classifier

import (
	"fmt"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/internal/streams"
	"github.com/govae/govae/model"
	"github.com/govae/govae/optimizer"
	"github.com/govae/govae/progress"
	"gorgonia.org/tensor"
)

// Options of a training run.
type Options struct {
	Hidden, Epochs, Batch int
	LR                    float64
	Seed                  uint64

	// Progress, if set, is told the training's steps (Steps in all).
	Progress progress.Func
}

// Steps is how many training steps Train takes on n images.
func (o Options) Steps(n int) int { return o.Epochs * ((n + o.Batch - 1) / o.Batch) }

// Defaults reach about 97% test accuracy on MNIST in three epochs.
var Defaults = Options{Hidden: 256, Epochs: 3, Batch: 128, LR: 1e-3, Seed: 1}

// Classifier maps images to their classes (MNIST's digits):
// logits = relu(x·W1 + b1)·W2 + b2.
type Classifier struct {
	fc1, fc2 model.Layer
	input    int
	classes  int
	predict  *runner.Pool[*graph]
}

// Train fits a classifier to a labelled set.
func Train(set *dataset.Set, o Options) (*Classifier, error) {
	if o.Hidden < 1 || o.Epochs < 1 || o.Batch < 1 || !(o.LR > 0) {
		return nil, fmt.Errorf("classifier options %+v: sizes, epochs and lr must be positive", o)
	}
	if !set.Labelled() || set.Classes < 1 {
		return nil, fmt.Errorf("classifier: the images carry no labels to learn")
	}
	rng := streams.New(o.Seed, streams.Items, 7)
	c := &Classifier{input: set.Size(), classes: set.Classes}
	c.fc1 = model.NewLinear(c.input, o.Hidden, tensor.Float32, rng)
	c.fc2 = model.NewLinear(o.Hidden, c.classes, tensor.Float32, rng)
	c.predict = runner.NewPool(1, func(batch int) (*graph, error) { return c.build(batch, false) })
	adam := optimizer.NewAdam(o.LR, 0.9, 0.999, 1e-8)
	training := runner.NewPool(1, func(batch int) (*graph, error) { return c.build(batch, true) })
	tick := o.Progress.Start("digit classifier", o.Steps(set.Len()))
	for epoch := 1; epoch <= o.Epochs; epoch++ {
		for _, idx := range dataset.Batches(set.Len(), o.Batch, streams.New(o.Seed, streams.Items, uint32(epoch))) {
			err := training.With(len(idx), func(g *graph) error { return g.step(set, idx, adam) })
			if err != nil {
				return nil, fmt.Errorf("classifier epoch %d: %w", epoch, err)
			}
			tick()
		}
	}
	return c, nil
}

// Predict returns the most likely digit of each image (x: n × input values).
func (c *Classifier) Predict(x []float32) ([]int, error) {
	n := len(x) / c.input
	if n == 0 || n*c.input != len(x) {
		return nil, fmt.Errorf("classifier: %d values are not whole %d-pixel images", len(x), c.input)
	}
	out := make([]int, 0, n)
	err := runner.Chunks(n, func(start, size int) error {
		return c.predict.With(size, func(g *graph) error {
			return g.forward(x[start*c.input:(start+size)*c.input], func(logits []float32) {
				for i := range size {
					out = append(out, argmax(logits[i*c.classes:(i+1)*c.classes]))
				}
			})
		})
	})
	return out, err
}

// Accuracy is the fraction of a labelled set the classifier gets right.
func (c *Classifier) Accuracy(set *dataset.Set) (float64, error) {
	x := make([]float32, set.Len()*set.Size())
	set.Gather(dataset.Sequential(set.Len()), x)
	pred, err := c.Predict(x)
	if err != nil {
		return 0, err
	}
	right := 0
	for i, p := range pred {
		if p == set.Labels[i] {
			right++
		}
	}
	return float64(right) / float64(len(pred)), nil
}

func argmax(v []float32) int {
	best := 0
	for i := range v {
		if v[i] > v[best] {
			best = i
		}
	}
	return best
}
