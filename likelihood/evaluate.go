package likelihood

import (
	"fmt"
	"math"
	"time"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/mpi"
	"github.com/govae/govae/internal/parallel"
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/internal/streams"
	"github.com/govae/govae/model"
	"github.com/govae/govae/progress"
)

// DefaultChunk is the number of codes the estimator decodes at once unless
// told otherwise.
const DefaultChunk = runner.MaxBatch

// Result is a set's estimates averaged per image.
type Result struct {
	NegELBO float64 `json:"elbo,omitempty"`  // negative ELBO, nats per image (reported as "elbo", like the loss)
	Recon   float64 `json:"recon,omitempty"` // its reconstruction term
	KL      float64 `json:"kl,omitempty"`    // its KL term
	NLL     float64 `json:"nll,omitempty"`   // importance-sampled negative log-likelihood
	K       int     `json:"k,omitempty"`     // importance samples per image (0 for a plain autoencoder, which has none of the above)
	N       int     `json:"n"`               // images
	Seconds float64 `json:"seconds"`

	// Reconstruction is −log p(x | z = mu) per image (Reconstructions): the
	// measure a VAE and a plain autoencoder share.
	Reconstruction float64 `json:"reconstruction"`

	// Bounds are the k-sample bounds (Estimate.Bounds) per image, for each
	// k of BoundSamples up to K: ELBO ≥ IWAE-5 ≥ IWAE-50 ≥ NLL.
	Bounds []Bound `json:"bounds,omitempty"`

	// BitsPerDim, for a Gaussian decoder on dequantised 8-bit data, is the
	// NLL of the bytes it bounds, (NLL + D·ln 256)/(D·ln 2) for D values an
	// image; 0 (left out) for a Bernoulli decoder.
	BitsPerDim float64 `json:"bits_per_dim,omitempty"`
}

// Bound is a k-sample bound on the NLL, in nats per image.
type Bound struct {
	K   int     `json:"k"`
	NLL float64 `json:"nll"`
}

// BitsPerDim converts the NLL in nats of dequantised values (b + u)/256 of
// dim bytes to bits per byte of the bytes themselves: the density of values
// in [0, 1) is 256^dim times that of values in [0, 256), whose integral over
// a byte's bin bounds its probability.
func BitsPerDim(nll float64, dim int) float64 {
	return (nll + float64(dim)*math.Log(256)) / (float64(dim) * math.Ln2)
}

// Options control an evaluation.
type Options struct {
	K     int    // importance samples per image
	N     int    // evaluate the first N images; 0 = all
	Seed  uint64 // image i draws its samples from stream (Seed, i)
	Chunk int    // codes decoded at once (default DefaultChunk)

	// Progress, if set, is told the images and ticked once per image done,
	// from any goroutine.
	Progress progress.Func

	// Group, if set, is the processes that evaluate together (an mpirun
	// job): each takes its share of the images (mpi.Share) and all get the
	// sums. Every image draws from its own stream, so the result does not
	// depend on how many there are.
	Group mpi.Group
}

// Evaluate estimates the negative ELBO and the NLL of the first opts.N
// images of set (all if 0). Images are shared between the CPUs, one
// estimator each; every image draws from its own stream and the sums are
// taken in image order, so the result does not depend on the CPU count.
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
	switch {
	case !p.Config.Variational() && opts.K > 0:
		return Result{}, &model.ArgError{Arg: "k", Value: opts.K, Msg: "a plain autoencoder (variational: false) has no likelihood to estimate: " +
			"its encoder gives a point z = mu, not a distribution q(z|x) to draw importance samples from, and it has no prior p(z)"}
	case p.Config.Variational() && opts.K < 1:
		return Result{}, fmt.Errorf("k %d: need at least one importance sample", opts.K)
	}
	lo, hi := 0, n
	if opts.Group != nil {
		lo, hi = mpi.Share(n, opts.Group.Rank(), opts.Group.Size())
	}
	r, err := estimate(m, set, lo, hi, opts)
	if err != nil {
		return Result{}, err
	}
	if opts.Group != nil {
		sums := []float64{r.Recon, r.KL, r.NLL, r.Reconstruction}
		for _, b := range r.Bounds {
			sums = append(sums, b.NLL)
		}
		if err := opts.Group.SumFloat64(sums); err != nil {
			return Result{}, fmt.Errorf("sum estimates across %d processes: %w", opts.Group.Size(), err)
		}
		r.Recon, r.KL, r.NLL, r.Reconstruction = sums[0], sums[1], sums[2], sums[3]
		for i := range r.Bounds {
			r.Bounds[i].NLL = sums[4+i]
		}
	}
	r.K, r.N = opts.K, n
	r.Recon /= float64(n)
	r.KL /= float64(n)
	r.NLL /= float64(n)
	r.Reconstruction /= float64(n)
	for i := range r.Bounds {
		r.Bounds[i].NLL /= float64(n)
	}
	r.NegELBO = r.Recon + r.KL
	if p.Config.Gaussian() {
		r.BitsPerDim = BitsPerDim(r.NLL, set.Size())
	}
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

// estimate sums the estimates of images lo to hi-1 of set, in image order.
func estimate(m *model.Model, set *dataset.Set, lo, hi int, opts Options) (Result, error) {
	var r Result // every process of a group lists the same bounds, whatever its share
	for _, k := range BoundSamples {
		if k <= opts.K {
			r.Bounds = append(r.Bounds, Bound{K: k})
		}
	}
	if hi == lo {
		return r, nil
	}
	sh, err := encodeShare(m, set, lo, hi)
	if err != nil {
		return Result{}, err
	}
	recons, err := Reconstructions(m.Params(), sh.x, sh.y, sh.mu, hi-lo)
	if err != nil {
		return Result{}, err
	}
	for _, v := range recons {
		r.Reconstruction += v
	}
	if opts.K == 0 { // a plain autoencoder: nothing to sample
		return r, nil
	}
	estimates, err := estimateEach(m.Params(), sh, lo, opts)
	if err != nil {
		return Result{}, err
	}
	for _, t := range estimates {
		r.Recon += t.Recon
		r.KL += t.KL
		r.NLL += t.NLL
		for i, b := range t.Bounds {
			r.Bounds[i].NLL += b
		}
	}
	return r, nil
}

// share is a run of images with what the estimator needs of each: the
// pixels, the one-hot labels of a conditional model, and the proposal's
// mean and log-variance (q(z|x), or q(z1|x) for two stochastic layers).
type share struct {
	x, y, mu, logvar []float32
	n                int
}

// encodeShare gathers images lo to hi-1 of set and encodes them.
func encodeShare(m *model.Model, set *dataset.Set, lo, hi int) (share, error) {
	s := m.Config()
	sh := share{n: hi - lo, x: make([]float32, (hi-lo)*set.Size())}
	set.Gather(dataset.Sequential(hi)[lo:], sh.x)
	var labels []int
	if s.Conditional() {
		labels = set.Labels[lo:hi]
		var err error
		if sh.y, err = model.OneHot(labels, s.Classes); err != nil {
			return share{}, err
		}
	}
	codes, err := m.Encode(sh.x, labels)
	if err != nil {
		return share{}, err
	}
	sh.mu, sh.logvar = codes.Mu, codes.Logvar
	if codes.Mu1 != nil { // two stochastic layers: importance-sample z1, and z2 from it
		sh.mu, sh.logvar = codes.Mu1, codes.Logvar1
	}
	return sh, nil
}

// estimateEach estimates every image of the share, which starts at image
// lo of the set, with one Estimator a CPU and each image's own stream.
func estimateEach(p *model.Params, sh share, lo int, opts Options) ([]Estimate, error) {
	d, c, in := p.Config.Latent, p.Config.Classes, len(sh.x)/sh.n
	estimates := make([]Estimate, sh.n)
	workers := parallel.Parts(sh.n)
	estimators := make([]*Estimator, workers)
	for w := range estimators {
		var err error
		if estimators[w], err = NewEstimator(p, min(opts.Chunk, opts.K)); err != nil {
			return nil, err
		}
	}
	tick := opts.Progress.Start("test set", sh.n)
	err := parallel.Each(sh.n, workers, func(w, i int) error {
		var yi []float32
		if sh.y != nil {
			yi = sh.y[i*c : (i+1)*c]
		}
		t, err := estimators[w].Image(sh.x[i*in:(i+1)*in], yi, sh.mu[i*d:(i+1)*d], sh.logvar[i*d:(i+1)*d],
			opts.K, streams.New(opts.Seed, streams.Items, uint32(lo+i)))
		if err != nil {
			return fmt.Errorf("image %d: %w", lo+i, err)
		}
		estimates[i] = t
		tick()
		return nil
	})
	return estimates, err
}
