package likelihood

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model"
	"github.com/govae/govae/model/nn"
	G "gorgonia.org/gorgonia"
)

// Estimate is what the estimator says of one image, in nats: the two terms
// of the negative ELBO (Recon averaged over the K samples, E_q[-log p(x|z)];
// KL in closed form), and NLL = -log (1/K) Σ_k w_k, the importance-sampled
// negative log-likelihood.
type Estimate struct {
	model.Terms
	NLL float64

	// Bounds are the k-sample bounds of BoundSamples (those k ≤ K), each
	// −log p(x) ≤ bound: the mean over the K samples' groups of k of
	// −log (1/k) Σ w. k = 1 is the ELBO estimated by sampling; they tighten
	// as k grows, down to the NLL estimate at k = K.
	Bounds []float64
}

// BoundSamples are the sample counts k of the bounds an estimate reports
// beside its NLL: the ELBO (1) and the importance-weighted bounds the papers
// tabulate (5 and 50; Burda et al. 2015).
var BoundSamples = []int{1, 5, 50}

// bounds are the k-sample bounds of logw (see Estimate.Bounds): for each k
// of BoundSamples up to len(logw), the mean over ⌊K/k⌋ consecutive groups.
func bounds(logw []float64) []float64 {
	var out []float64
	for _, k := range BoundSamples {
		groups := len(logw) / k
		if groups == 0 {
			break
		}
		var sum float64
		for g := range groups {
			sum -= LogSumExp(logw[g*k:(g+1)*k]) - math.Log(float64(k))
		}
		out = append(out, sum/float64(groups))
	}
	return out
}

// Estimator draws K importance samples per image through a compiled decoder,
// chunk codes at a time, so memory holds chunk × Input logits however large K
// is. It runs on the caller's goroutine; Evaluate runs one per CPU.
type Estimator struct {
	dec   *model.Decoder
	run   *runner.Machine
	chunk int
	logw  []float64
	logpx []float64

	logScale []float32 // a Gaussian decoder's log-scales; nil for a Bernoulli one

	// A model of two stochastic layers' second layer, which draws z2 from
	// each z1 and weighs both (model.TopLayer); nil for one layer.
	top    *model.TopLayer
	topRun *runner.Machine
}

// NewEstimator compiles the decoder, without its sigmoid, for chunks of the
// given size.
func NewEstimator(p *model.Params, chunk int) (*Estimator, error) {
	if chunk < 1 {
		return nil, fmt.Errorf("chunk %d: must be at least 1", chunk)
	}
	dec, err := model.NewLogitsDecoder(p, chunk)
	if err != nil {
		return nil, err
	}
	inputs := []*G.Node{dec.Z}
	if dec.Y != nil {
		inputs = append(inputs, dec.Y)
	}
	run, err := runner.New(dec.Graph, inputs...)
	if err != nil {
		return nil, err
	}
	e := &Estimator{dec: dec, run: run, chunk: chunk, logpx: make([]float64, chunk)}
	if p.LogScale != nil {
		e.logScale = p.LogScale.Float32s()
	}
	if p.Config.TwoLayers() {
		if e.top, err = model.NewTopLayer(p, chunk); err != nil {
			return nil, err
		}
		if e.topRun, err = runner.New(e.top.Graph, e.top.Z1, e.top.Eps2); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Image estimates the terms for one image x with latent mean mu and
// log-variance logvar (from the encoder; q(z1|x) for two stochastic layers)
// and, for a conditional model, its one-hot label y. It draws k codes from
// rng: each z's noise, then, for two stochastic layers, z2's. The KL term
// of two stochastic layers is sampled, the mean over the k codes of log
// q(z1, z2|x) − log p(z1, z2).
func (e *Estimator) Image(x, y, mu, logvar []float32, k int, rng *rand.Rand) (Estimate, error) {
	if k < 1 {
		return Estimate{}, fmt.Errorf("k %d: need at least one importance sample", k)
	}
	d := len(mu)
	std := make([]float64, d)
	for j := range d {
		std[j] = math.Exp(0.5 * float64(logvar[j]))
	}
	zs := e.run.Input(e.dec.Z)
	if e.dec.Y != nil {
		ys := e.run.Input(e.dec.Y)
		for i := range e.chunk {
			copy(ys[i*len(y):], y)
		}
	}
	e.logw = e.logw[:0]
	var recon, latent float64
	err := runner.ChunksOf(k, e.chunk, func(_, n int) error {
		prior := e.draw(zs, mu, logvar, std, n, rng)
		if err := e.weighTop(zs, prior); err != nil {
			return err
		}
		if err := e.logLikelihoods(x, n); err != nil {
			return err
		}
		for i := range n {
			recon -= e.logpx[i]
			latent -= prior[i]
			e.logw = append(e.logw, e.logpx[i]+prior[i])
		}
		return nil
	})
	if err != nil {
		return Estimate{}, err
	}
	kl := latent / float64(k)
	if e.top == nil {
		kl = KL(mu, logvar)
	}
	return Estimate{
		Terms:  model.Terms{Recon: recon / float64(k), KL: kl},
		NLL:    -(LogSumExp(e.logw) - math.Log(float64(k))),
		Bounds: bounds(e.logw),
	}, nil
}

// draw fills the first n rows of zs with codes z = mu + std ⊙ eps (and
// draws the top layer's noise for each) and gives each code's latent term:
// log p(z) − log q(z|x) = −½ Σ (z² − eps² − logvar), or with two stochastic
// layers ½ Σ (eps² + logvar), to which weighTop adds the top layer's.
func (e *Estimator) draw(zs, mu, logvar []float32, std []float64, n int, rng *rand.Rand) []float64 {
	d := len(mu)
	prior := make([]float64, n)
	for i := range n {
		for j := range d {
			eps := rng.NormFloat64()
			z := float64(mu[j]) + std[j]*eps
			zs[i*d+j] = float32(z)
			if e.top != nil {
				prior[i] += 0.5 * (eps*eps + float64(logvar[j]))
			} else {
				prior[i] -= 0.5 * (z*z - eps*eps - float64(logvar[j]))
			}
		}
		e.drawTop(i, rng)
	}
	clear(zs[n*d:]) // unused rows of a last, partial chunk
	return prior
}

// logLikelihoods decodes the chunk's codes and sets e.logpx[:n] to log
// p(x|z) of each.
func (e *Estimator) logLikelihoods(x []float32, n int) error {
	return e.run.Run(func() error {
		if e.logScale != nil {
			nn.GaussianLogLikelihoods(e.logpx[:n], runner.Floats(e.dec.Logits), x, e.logScale)
			return nil
		}
		nn.BernoulliLogLikelihoods(e.logpx[:n], runner.Floats(e.dec.Logits), x)
		return nil
	})
}

// drawTop draws the noise of z2 for code i of a chunk, for two stochastic
// layers.
func (e *Estimator) drawTop(i int, rng *rand.Rand) {
	if e.top == nil {
		return
	}
	d2 := e.top.Eps2.Shape()[1]
	eps2 := e.topRun.Input(e.top.Eps2)[i*d2 : (i+1)*d2]
	for j := range eps2 {
		eps2[j] = float32(rng.NormFloat64())
	}
}

// weighTop, for two stochastic layers, runs the top layer on the chunk's
// codes z1 and takes each code's latent term, log q(z2|z1) − log p(z1|z2) −
// log p(z2), from its prior.
func (e *Estimator) weighTop(z1 []float32, prior []float64) error {
	if e.top == nil {
		return nil
	}
	copy(e.topRun.Input(e.top.Z1), z1)
	return e.topRun.Run(func() error {
		for i, v := range runner.Floats(e.top.Latent)[:len(prior)] {
			prior[i] -= float64(v)
		}
		return nil
	})
}

// KL is KL(N(mu, exp(logvar)) ‖ N(0, I)) = -½ Σ (1 + logvar - mu² - exp(logvar)).
func KL(mu, logvar []float32) float64 {
	var sum float64
	for j := range mu {
		m, lv := float64(mu[j]), float64(logvar[j])
		sum += 1 + lv - m*m - math.Exp(lv)
	}
	return -0.5 * sum
}

// LogSumExp is log Σ exp(v), computed stably by factoring out the largest.
func LogSumExp(v []float64) float64 {
	top := math.Inf(-1)
	for _, x := range v {
		top = max(top, x)
	}
	if math.IsInf(top, 0) {
		return top
	}
	var sum float64
	for _, x := range v {
		sum += math.Exp(x - top)
	}
	return top + math.Log(sum)
}
