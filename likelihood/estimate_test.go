package likelihood

import (
	"cmp"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// oneDim is a small random VAE with a 1-D latent space, whose exact
// likelihood can be integrated numerically.
func oneDim(t *testing.T, lik model.Likelihood) (*model.Params, []float32) {
	t.Helper()
	p, err := model.NewParams(model.Config{Input: 5, Hidden: 8, Latent: 1, Likelihood: lik}, tensor.Float32, rand.New(rand.NewPCG(4, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if p.LogScale != nil {
		copy(p.LogScale.Float32s(), []float32{-1, -0.5, -1.5, -1, -0.8})
	}
	return p, []float32{1, 0, 0.7, 0.2, 1}
}

// exactLogLikelihood is log ∫ p(x|z) N(z; 0, 1) dz by the trapezoid rule on a
// fine grid over [-10, 10].
func exactLogLikelihood(t *testing.T, p *model.Params, x []float32) float64 {
	const lo, hi, steps = -10.0, 10.0, 40000
	h := (hi - lo) / steps
	z := make([]float32, steps+1)
	for i := range z {
		z[i] = float32(lo + float64(i)*h)
	}
	m, err := model.New(p)
	if err != nil {
		t.Fatal(err)
	}
	recon, err := m.Decode(z, nil)
	if err != nil {
		t.Fatal(err)
	}
	terms := make([]float64, len(z))
	for i := range z {
		var logpx float64
		for j, xj := range x {
			r := math.Min(math.Max(float64(recon[i*len(x)+j]), 1e-12), 1-1e-7)
			if p.LogScale != nil { // log N(x; r, σ²), written out
				sigma := math.Exp(float64(p.LogScale.Float32s()[j]))
				d := float64(xj) - float64(recon[i*len(x)+j])
				logpx += -0.5*math.Log(2*math.Pi*sigma*sigma) - d*d/(2*sigma*sigma)
				continue
			}
			logpx += float64(xj)*math.Log(r) + (1-float64(xj))*math.Log(1-r)
		}
		zi := float64(z[i])
		w := h
		if i == 0 || i == steps {
			w = h / 2
		}
		terms[i] = logpx - 0.5*zi*zi - 0.5*math.Log(2*math.Pi) + math.Log(w)
	}
	return LogSumExp(terms)
}

func encode(t *testing.T, p *model.Params, x []float32) model.Codes {
	m, err := model.New(p)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := m.Encode(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

// The importance-sampled estimate converges to the exact likelihood, for
// both decoders.
func TestNLLMatchesNumericalIntegration(t *testing.T) {
	for _, lik := range []model.Likelihood{model.Bernoulli, model.Gaussian} {
		t.Run(cmp.Or(string(lik), "bernoulli"), func(t *testing.T) { nllMatchesIntegration(t, lik) })
	}
}

func nllMatchesIntegration(t *testing.T, lik model.Likelihood) {
	p, x := oneDim(t, lik)
	exact := -exactLogLikelihood(t, p, x)
	codes := encode(t, p, x)
	est, err := NewEstimator(p, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got, err := est.Image(x, nil, codes.Mu, codes.Logvar, 50000, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("exact NLL %.5f, estimate (K=50000) %.5f, negative ELBO %.5f", exact, got.NLL, got.NegELBO())
	if math.Abs(got.NLL-exact) > 0.01 {
		t.Errorf("NLL estimate %.5f, exact %.5f", got.NLL, exact)
	}
	if !(got.NLL <= got.NegELBO()) {
		t.Errorf("NLL %.5f above the negative ELBO %.5f", got.NLL, got.NegELBO())
	}
}

// With K = 1 the estimate is the ELBO in expectation: averaged over many
// draws, -NLL(K=1) equals E_q[log p(x|z)] - KL.
func TestOneSampleIsTheELBOInExpectation(t *testing.T) {
	p, x := oneDim(t, model.Bernoulli)
	codes := encode(t, p, x)
	est, err := NewEstimator(p, 1000)
	if err != nil {
		t.Fatal(err)
	}
	big, err := est.Image(x, nil, codes.Mu, codes.Logvar, 200000, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	const draws = 20000
	one, err := NewEstimator(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	var sum, sumSq float64
	for range draws {
		r, err := one.Image(x, nil, codes.Mu, codes.Logvar, 1, rng)
		if err != nil {
			t.Fatal(err)
		}
		sum += r.NLL
		sumSq += r.NLL * r.NLL
	}
	mean := sum / draws
	stderr := math.Sqrt((sumSq/draws - mean*mean) / draws)
	t.Logf("mean of K=1 estimates %.4f ± %.4f, negative ELBO %.4f", mean, stderr, big.NegELBO())
	if math.Abs(mean-big.NegELBO()) > 4*stderr+1e-3 {
		t.Errorf("K=1 estimates average %.4f ± %.4f, the negative ELBO is %.4f", mean, stderr, big.NegELBO())
	}
}

// On real images, from a model trained for an epoch on the fixture, the NLL
// estimate sits below the negative ELBO.
func TestNLLBelowNegativeELBOOnMNIST(t *testing.T) {
	m, testSet := trainedOnFixture(t, func(c *config.Config) { c.HiddenSize, c.LatentSize, c.BatchSize = 64, 8, 32 })
	r, err := Evaluate(m, testSet, Options{K: 500, N: 20, Seed: 1, Chunk: 200})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if !(r.NLL < r.NegELBO) || r.NLL < 50 || r.NegELBO > 600 {
		t.Errorf("NLL %.2f, negative ELBO %.2f: want 50 < NLL < ELBO < 600", r.NLL, r.NegELBO)
	}
	if math.Abs(r.NegELBO-(r.Recon+r.KL)) > 1e-9 || r.K != 500 || r.N != 20 {
		t.Errorf("inconsistent result %+v", r)
	}
}

func TestLogSumExpIsStable(t *testing.T) {
	for _, tt := range []struct {
		v    []float64
		want float64
	}{
		{[]float64{1000, 1000}, 1000 + math.Ln2},
		{[]float64{-1000, -1000}, -1000 + math.Ln2},
		{[]float64{0, math.Inf(-1)}, 0},
		{[]float64{math.Log(1), math.Log(2), math.Log(3)}, math.Log(6)},
	} {
		if got := LogSumExp(tt.v); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("LogSumExp(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestKLMatchesClosedForm(t *testing.T) {
	// -½[(1 + 0 - 1 - 1) + (1 + ln 2 - 0 - 2)] = 1 - ½ ln 2
	if got, want := KL([]float32{1, 0}, []float32{0, float32(math.Ln2)}), 1-0.5*math.Ln2; math.Abs(got-want) > 1e-6 {
		t.Errorf("KL = %v, want %v", got, want)
	}
}

// Bits per dimension: an NLL of 0 nats on [0, 1) values is 8 bits a byte
// (the bins are 1/256 wide); every further D·ln 2 nats adds a bit.
func TestBitsPerDim(t *testing.T) {
	for _, tt := range []struct {
		nll  float64
		dim  int
		want float64
	}{
		{0, 784, 8},
		{784 * math.Ln2, 784, 9},
		{-3072 * 4 * math.Ln2, 3072, 4},
	} {
		if got := BitsPerDim(tt.nll, tt.dim); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("BitsPerDim(%g, %d) = %g, want %g", tt.nll, tt.dim, got, tt.want)
		}
	}
}
