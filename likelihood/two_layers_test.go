package likelihood

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// For a model of two stochastic layers, one dimension each, the
// importance-sampled estimate (z1 from q(z1|x), z2 from q(z2|z1)) converges
// to the likelihood integrated numerically over both,
//
//	p(x) = ∫∫ p(x|z1) N(z1; m(z2), e^v(z2)) N(z2; 0, 1) dz1 dz2,
//
// with p(z1|z2)'s network computed here by a direct loop and p(x|z1) by
// Reconstructions on a grid of z1.
func TestTwoLayerNLLMatchesNumericalIntegration(t *testing.T) {
	s := model.Config{Input: 5, Hidden: 8, Latent: 1, Stochastic: 2, Hidden2: 6, Latent2: 1}
	p, err := model.NewParams(s, tensor.Float32, rand.New(rand.NewPCG(4, 2)))
	if err != nil {
		t.Fatal(err)
	}
	x := []float32{1, 0, 0.7, 0.2, 1}

	const lo, hi, steps = -9.0, 9.0, 1800
	h := (hi - lo) / steps
	grid := make([]float32, steps+1)
	weight := make([]float64, steps+1) // the trapezoid rule's
	for i := range grid {
		grid[i], weight[i] = float32(lo+float64(i)*h), h
		if i == 0 || i == steps {
			weight[i] = h / 2
		}
	}
	xs := make([]float32, 0, len(grid)*len(x))
	for range grid {
		xs = append(xs, x...)
	}
	negLogPx, err := Reconstructions(p, xs, nil, grid, len(grid)) // −log p(x|z1) on the grid
	if err != nil {
		t.Fatal(err)
	}
	var terms []float64
	for i, z2 := range grid {
		m, v := priorOfZ1(p, float64(z2))
		for j, z1 := range grid {
			d := float64(z1) - m
			logPrior := -0.5*(math.Log(2*math.Pi)+v+d*d/math.Exp(v)) - 0.5*(math.Log(2*math.Pi)+float64(z2)*float64(z2))
			terms = append(terms, -negLogPx[j]+logPrior+math.Log(weight[i]*weight[j]))
		}
	}
	exact := -LogSumExp(terms)

	codes := encode(t, p, x)
	est, err := NewEstimator(p, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got, err := est.Image(x, nil, codes.Mu1, codes.Logvar1, 50000, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("exact NLL %.5f, estimate (K=50000) %.5f, negative ELBO %.5f, bounds %.5f", exact, got.NLL, got.NegELBO(), got.Bounds)
	if math.Abs(got.NLL-exact) > 0.01 {
		t.Errorf("NLL estimate %.5f, exact %.5f", got.NLL, exact)
	}
	if !(got.NLL <= got.Bounds[2] && got.Bounds[2] <= got.Bounds[1] && got.Bounds[1] <= got.Bounds[0]) {
		t.Errorf("bounds %.5f and NLL %.5f do not tighten", got.Bounds, got.NLL)
	}
	if math.Abs(got.Bounds[0]-got.NegELBO()) > 1e-9 {
		t.Errorf("the sampled ELBO %.6f is not recon + KL %.6f (the KL of two layers is sampled too)", got.Bounds[0], got.NegELBO())
	}
}

// priorOfZ1 is the mean and log-variance of p(z1|z2) for a one-dimensional
// z2 of a ReLU model of Depth 1: fc81 and fc82 of relu(fc7(z2)).
func priorOfZ1(p *model.Params, z2 float64) (mean, logvar float64) {
	w7, b7 := p.Fc7.W.Float32s(), p.Fc7.B.Float32s()
	for j := range b7 {
		h := max(0, z2*float64(w7[j])+float64(b7[j]))
		mean += h * float64(p.Fc81.W.Float32s()[j])
		logvar += h * float64(p.Fc82.W.Float32s()[j])
	}
	return mean + float64(p.Fc81.B.Float32s()[0]), logvar + float64(p.Fc82.B.Float32s()[0])
}
