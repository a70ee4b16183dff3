package nn

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestSigmoidGradient checks sigmoidOp's symbolic derivative, which training
// does not use but a loss written on recon would, against central differences
// of Σ c ⊙ sigmoid(a).
func TestSigmoidGradient(t *testing.T) {
	a := []float64{-30, -2, -0.5, 0, 0.7, 3}
	c := []float64{1, -2, 0.5, 3, -1, 2}
	loss := func(a []float64) float64 {
		s := make([]float64, len(a))
		sigmoid64(s, a)
		var sum float64
		for i := range s {
			sum += c[i] * s[i]
		}
		return sum
	}

	g := G.NewGraph()
	an := G.NewMatrix(g, tensor.Float64, G.WithName("a"), G.WithShape(2, 3), G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking(append([]float64(nil), a...)))))
	cn := G.NewMatrix(g, tensor.Float64, G.WithName("c"), G.WithShape(2, 3), G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking(c))))
	s, err := Sigmoid(an)
	must(t, err)
	prod, err := G.HadamardProd(s, cn)
	must(t, err)
	out, err := G.Sum(prod)
	must(t, err)
	grads, err := G.Grad(out, an)
	must(t, err)
	must(t, G.NewTapeMachine(g).RunAll())
	got := grads[0].Value().Data().([]float64)

	const h = 1e-6
	for i := range a {
		up, down := append([]float64(nil), a...), append([]float64(nil), a...)
		up[i] += h
		down[i] -= h
		want := (loss(up) - loss(down)) / (2 * h)
		if math.Abs(got[i]-want) > 1e-6*(1+math.Abs(want)) {
			t.Errorf("d/da[%d] at a = %g: symbolic %g, finite difference %g", i, a[i], got[i], want)
		}
	}
}
