package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// With fc4's weights at zero the decoder draws its bias alone: after
// SetOutputBias, every code decodes to the means, clipped to [0.001, 0.999].
func TestSetOutputBiasDecodesTheMean(t *testing.T) {
	mean := []float64{0, 1e-4, 0.2, 0.5, 0.93, 1}
	p, err := NewParams(Config{Input: 6, Hidden: 5, Latent: 3, Depth: 2, Activation: Tanh}, tensor.Float32, rand.New(rand.NewPCG(1, 2)))
	must(t, err)
	must(t, p.SetOutputBias(mean))
	clear(p.Fc4.W.Float32s())
	m, err := New(p)
	must(t, err)
	x, err := m.Decode([]float32{0.3, -1, 2, 1, 1, 1}, nil)
	must(t, err)
	for i, v := range x {
		want := min(max(mean[i%6], 0.001), 0.999)
		if math.Abs(float64(v)-want) > 1e-6 {
			t.Errorf("pixel %d of code %d: %v, want %v", i%6, i/6, v, want)
		}
	}
	conv, _ := NewParams(Config{Input: 64, Hidden: 5, Latent: 3, Arch: ConvArch}, tensor.Float32, rand.New(rand.NewPCG(1, 2)))
	if err := conv.SetOutputBias(make([]float64, 64)); err == nil {
		t.Error("the conv model took an output bias for fc4")
	}
	if err := p.SetOutputBias(mean[:5]); err == nil {
		t.Error("5 means for 6 pixels were taken")
	}
}
