package model

import (
	"fmt"
	"math"
)

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
