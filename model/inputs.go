package model

import (
	"fmt"
	"math/rand/v2"
)

// OneHot encodes labels as rows of classes values, a 1 at the label's place:
// the form of a conditional model's input y.
func OneHot(labels []int, classes int) ([]float32, error) {
	out := make([]float32, len(labels)*classes)
	if err := FillOneHot(out, labels, classes); err != nil {
		return nil, err
	}
	return out, nil
}

// FillOneHot writes labels as one-hot rows into dst, which holds
// len(labels)·classes values; the rows of dst past the labels are zeroed.
func FillOneHot(dst []float32, labels []int, classes int) error {
	clear(dst)
	for i, l := range labels {
		if l < 0 || l >= classes {
			return &ArgError{Arg: "label", Value: l, Msg: fmt.Sprintf("outside 0–%d", classes-1)}
		}
		dst[i*classes+l] = 1
	}
	return nil
}

// FillNormal fills dst with independent draws from N(0, 1): the noise eps
// of the reparameterization, and codes drawn from the prior.
func FillNormal(dst []float32, rng *rand.Rand) {
	for i := range dst {
		dst[i] = float32(rng.NormFloat64())
	}
}
