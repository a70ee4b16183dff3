package likelihood

import (
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model"
	"github.com/govae/govae/model/nn"
)

// Reconstructions are −log p(x_i | z = mu_i) for n images: how well the
// decoder rebuilds each image from the code the encoder gives it — the one
// reconstruction measure a VAE and a plain autoencoder share (a VAE's ELBO
// averages over q(z|x) instead). x holds the images, y their one-hot labels
// (nil unless conditional), mu their codes; the decoder runs up to
// runner.MaxBatch codes at once. For two stochastic layers mu are the means
// of z1, which the decoder reads.
func Reconstructions(p *model.Params, x, y, mu []float32, n int) ([]float64, error) {
	in, d, c := p.Config.Input, p.Config.Latent, p.Config.Classes
	e, err := NewEstimator(p, min(n, runner.MaxBatch))
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	err = runner.ChunksOf(n, e.chunk, func(start, size int) error {
		zs := e.run.Input(e.dec.Z)
		copy(zs, mu[start*d:(start+size)*d])
		clear(zs[size*d:])
		if e.dec.Y != nil {
			ys := e.run.Input(e.dec.Y)
			copy(ys, y[start*c:(start+size)*c])
			clear(ys[size*c:])
		}
		return e.run.Run(func() error {
			logits := runner.Floats(e.dec.Logits)
			for i := range size {
				xi, li := x[(start+i)*in:(start+i+1)*in], logits[i*in:(i+1)*in]
				if e.logScale != nil {
					nn.GaussianLogLikelihoods(e.logpx[:1], li, xi, e.logScale)
				} else {
					nn.BernoulliLogLikelihoods(e.logpx[:1], li, xi)
				}
				out[start+i] = -e.logpx[0]
			}
			return nil
		})
	})
	return out, err
}
