package likelihood

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model"
)

// DefaultChunk is the number of codes the estimator decodes at once unless
// told otherwise.
const DefaultChunk = runner.MaxBatch

// Result is a set's estimates averaged per image.
type Result struct {
	NegELBO float64 `json:"elbo"`  // negative ELBO, nats per image (reported as "elbo", like the loss)
	Recon   float64 `json:"recon"` // its reconstruction term
	KL      float64 `json:"kl"`    // its KL term
	NLL     float64 `json:"nll"`   // importance-sampled negative log-likelihood
	K       int     `json:"k"`     // importance samples per image
	N       int     `json:"n"`     // images
	Seconds float64 `json:"seconds"`
}

// Options control an evaluation.
type Options struct {
	K     int    // importance samples per image
	N     int    // evaluate the first N images; 0 = all
	Seed  uint64 // image i draws its samples from stream (Seed, i)
	Chunk int    // codes decoded at once (default DefaultChunk)
}

// Evaluate estimates the negative ELBO and the NLL of the first opts.N
// images of set (all if 0).
func Evaluate(m *model.Model, set *dataset.Set, opts Options) (Result, error) {
	start := time.Now()
	p := m.Params()
	n := opts.N
	if n <= 0 || n > set.Len() {
		n = set.Len()
	}
	if opts.Chunk == 0 {
		opts.Chunk = DefaultChunk
	}
	est, err := NewEstimator(p, min(opts.Chunk, opts.K))
	if err != nil {
		return Result{}, err
	}
	x := make([]float32, n*set.Size())
	set.Gather(dataset.Sequential(n), x)
	var labels []int
	var y []float32
	if p.Sizes.Conditional() {
		labels = set.Labels[:n]
		if y, err = model.OneHot(labels, p.Sizes.Classes); err != nil {
			return Result{}, err
		}
	}
	codes, err := m.Encode(x, labels)
	if err != nil {
		return Result{}, err
	}
	r := Result{K: opts.K, N: n}
	d, c, in := p.Sizes.Latent, p.Sizes.Classes, set.Size()
	for i := range n {
		var yi []float32
		if y != nil {
			yi = y[i*c : (i+1)*c]
		}
		t, err := est.Image(x[i*in:(i+1)*in], yi, codes.Mu[i*d:(i+1)*d], codes.Logvar[i*d:(i+1)*d],
			opts.K, rand.New(rand.NewPCG(opts.Seed, uint64(i))))
		if err != nil {
			return Result{}, fmt.Errorf("image %d: %w", i, err)
		}
		r.Recon += t.Recon
		r.KL += t.KL
		r.NLL += t.NLL
	}
	r.Recon /= float64(n)
	r.KL /= float64(n)
	r.NLL /= float64(n)
	r.NegELBO = r.Recon + r.KL
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}
