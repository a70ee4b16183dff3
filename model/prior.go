package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Prior is a Gaussian over the codes, N(Mean, L·Lᵀ), fitted to a model's
// training codes (FitPrior): what an autoencoder, whose codes were never
// pulled towards N(0, I), can be sampled from. A nil *Prior is the standard
// normal N(0, I), the VAE's own prior.
type Prior struct {
	Mean  []float64 // Latent values
	Chol  []float64 // L, Latent × Latent, row-major, lower triangular
	Codes int       // the number of codes it was fitted to
}

// ridge is added to the covariance's diagonal before its factorisation, so
// that codes which never vary along some direction still give a factor.
const ridge = 1e-6

// FitPrior fits a Gaussian with full covariance to codes (n × latent
// values, one code a row): their mean and their covariance (with 1/n).
func FitPrior(codes []float32, latent int) (*Prior, error) {
	if latent < 1 || len(codes) == 0 || len(codes)%latent != 0 {
		return nil, fmt.Errorf("fit a prior: %d values are not whole codes of %d", len(codes), latent)
	}
	n := len(codes) / latent
	p := &Prior{Mean: make([]float64, latent), Codes: n}
	for i := range n {
		for j, v := range codes[i*latent : (i+1)*latent] {
			p.Mean[j] += float64(v)
		}
	}
	for j := range p.Mean {
		p.Mean[j] /= float64(n)
	}
	cov := make([]float64, latent*latent)
	dev := make([]float64, latent)
	for i := range n {
		for j, v := range codes[i*latent : (i+1)*latent] {
			dev[j] = float64(v) - p.Mean[j]
		}
		for a := range latent {
			for b := 0; b <= a; b++ {
				cov[a*latent+b] += dev[a] * dev[b]
			}
		}
	}
	for a := range latent {
		for b := 0; b <= a; b++ {
			cov[a*latent+b] /= float64(n)
		}
		cov[a*latent+a] += ridge
	}
	var err error
	if p.Chol, err = cholesky(cov, latent); err != nil {
		return nil, fmt.Errorf("fit a prior to %d codes: %w", n, err)
	}
	return p, nil
}

// cholesky factors the symmetric positive-definite matrix whose lower
// triangle a holds (d × d, row-major) into L with L·Lᵀ = a.
func cholesky(a []float64, d int) ([]float64, error) {
	l := make([]float64, d*d)
	for i := range d {
		for j := 0; j <= i; j++ {
			s := a[i*d+j]
			for k := range j {
				s -= l[i*d+k] * l[j*d+k]
			}
			if i == j {
				if !(s > 0) {
					return nil, fmt.Errorf("the covariance is not positive definite (pivot %d is %g)", i, s)
				}
				l[i*d+i] = math.Sqrt(s)
			} else {
				l[i*d+j] = s / l[j*d+j]
			}
		}
	}
	return l, nil
}

// Latent is the dimension of the codes the prior draws.
func (p *Prior) Latent() int { return len(p.Mean) }

// Fill draws codes into z (whole codes of p.Latent() values): Mean + L·eps
// with eps ~ N(0, I) from rng; the nil Prior draws eps itself.
func (p *Prior) Fill(z []float32, rng *rand.Rand) {
	if p == nil {
		FillNormal(z, rng)
		return
	}
	d := p.Latent()
	eps := make([]float64, d)
	for row := 0; row+d <= len(z); row += d {
		for j := range eps {
			eps[j] = rng.NormFloat64()
		}
		for i := range d {
			v := p.Mean[i]
			for k := 0; k <= i; k++ {
				v += p.Chol[i*d+k] * eps[k]
			}
			z[row+i] = float32(v)
		}
	}
}

// check reports a prior that does not fit a model of latent dimension d.
func (p *Prior) check(d int) error {
	switch {
	case p == nil:
		return nil
	case len(p.Mean) != d || len(p.Chol) != d*d:
		return fmt.Errorf("fitted prior of %d dimensions (%d factor values), the model's codes have %d", len(p.Mean), len(p.Chol), d)
	}
	for i, v := range slices.Concat(p.Mean, p.Chol) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("fitted prior: value %d is %v", i, v)
		}
	}
	return nil
}
