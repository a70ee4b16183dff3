package model

import (
	"fmt"
	"math"
)

// OutputBias names how fc4's bias starts. Its zero value is PyTorch's
// uniform draw, like every other weight.
type OutputBias string

const (
	UniformBias  OutputBias = ""          // U(−1/√n, 1/√n), as NewParams draws it
	DataMeanBias OutputBias = "data_mean" // the logits of the training images' mean (SetOutputBias)
)

// ParseOutputBias reads an output bias's name as configs write it: uniform
// or data_mean.
func ParseOutputBias(name string) (OutputBias, error) {
	switch name {
	case "uniform":
		return UniformBias, nil
	case "data_mean":
		return DataMeanBias, nil
	}
	return UniformBias, fmt.Errorf("%q: must be uniform or data_mean", name)
}

// String is the output bias's name, as ParseOutputBias reads it.
func (b OutputBias) String() string {
	if b == UniformBias {
		return "uniform"
	}
	return string(b)
}

// biasClip keeps SetOutputBias's logits finite for pixels that are always
// off (or on): their means are taken as 0.001 (0.999).
const biasClip = 1e-3

// SetOutputBias sets fc4's bias to the logits of the given pixel means,
// log(m/(1 − m)) with m clipped to [0.001, 0.999], so that the untrained
// decoder already draws the data's average image (Burda et al. 2015
// initialise their output layer so). It is the MLP's only: the conv
// model's output layer is deconv2.
func (p *Params) SetOutputBias(mean []float64) error {
	s := p.Config
	switch {
	case s.Conv():
		return fmt.Errorf("output bias from the data: the conv model's output layer is deconv2, not fc4")
	case len(mean) != s.Input:
		return fmt.Errorf("output bias from the data: %d means for %d pixels", len(mean), s.Input)
	}
	logit := func(m float64) float64 {
		m = min(max(m, biasClip), 1-biasClip)
		return math.Log(m / (1 - m))
	}
	switch b := p.Fc4.B.Data().(type) {
	case []float32:
		for j, m := range mean {
			b[j] = float32(logit(m))
		}
	case []float64:
		for j, m := range mean {
			b[j] = logit(m)
		}
	}
	return nil
}
