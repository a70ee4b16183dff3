package model

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/govae/govae/internal/streams"
	"gorgonia.org/tensor"
)

// A prior fitted to codes drawn from a known correlated Gaussian recovers
// its mean and covariance, and draws codes of that mean and covariance: a
// round trip through FitPrior and Fill checked against the Gaussian's own
// numbers with a direct loop, to sampling error (200,000 codes: standard
// errors about 0.003).
func TestFitPriorRecoversAGaussian(t *testing.T) {
	mean := []float64{1, -2, 0.5}
	l := []float64{ // a lower-triangular factor: cov = l·lᵀ
		2, 0, 0,
		0.6, 0.5, 0,
		-1, 0.3, 0.2,
	}
	truth := &Prior{Mean: mean, Chol: l}
	const n = 200000
	codes := make([]float32, n*3)
	truth.Fill(codes, rand.New(rand.NewPCG(1, 2)))
	fitted, err := FitPrior(codes, 3)
	if err != nil {
		t.Fatal(err)
	}
	drawn := make([]float32, n*3)
	fitted.Fill(drawn, rand.New(rand.NewPCG(3, 4)))
	for _, got := range [][]float32{codes, drawn} {
		m, c := moments(got, 3)
		for i := range 3 {
			if math.Abs(m[i]-mean[i]) > 0.02 {
				t.Errorf("mean[%d] = %.4f, want %.4f", i, m[i], mean[i])
			}
			for j := range 3 {
				var want float64
				for k := range 3 {
					want += l[i*3+k] * l[j*3+k]
				}
				if math.Abs(c[i*3+j]-want) > 0.03*math.Max(1, math.Abs(want)) {
					t.Errorf("cov[%d][%d] = %.4f, want %.4f", i, j, c[i*3+j], want)
				}
			}
		}
	}
	if fitted.Codes != n {
		t.Errorf("fitted to %d codes, want %d", fitted.Codes, n)
	}
}

// moments are the mean and covariance (1/n) of codes, by a direct loop.
func moments(codes []float32, d int) (mean, cov []float64) {
	n := len(codes) / d
	mean, cov = make([]float64, d), make([]float64, d*d)
	for i := range n {
		for j := range d {
			mean[j] += float64(codes[i*d+j]) / float64(n)
		}
	}
	for i := range n {
		for a := range d {
			for b := range d {
				cov[a*d+b] += (float64(codes[i*d+a]) - mean[a]) * (float64(codes[i*d+b]) - mean[b]) / float64(n)
			}
		}
	}
	return mean, cov
}

func TestFitPriorRefusesBadInput(t *testing.T) {
	for _, tt := range []struct {
		codes  []float32
		latent int
	}{{nil, 2}, {[]float32{1, 2, 3}, 2}, {[]float32{1}, 0}} {
		if _, err := FitPrior(tt.codes, tt.latent); err == nil {
			t.Errorf("FitPrior(%v, %d) fitted", tt.codes, tt.latent)
		}
	}
}

// A checkpoint keeps its fitted prior, and refuses one of the wrong size.
func TestCheckpointKeepsItsPrior(t *testing.T) {
	s := Config{Input: 6, Hidden: 4, Latent: 2, Autoencoder: true}
	p, err := NewParams(s, tensor.Float32, streams.New(1, streams.Init, 0))
	if err != nil {
		t.Fatal(err)
	}
	c := NewCheckpoint(p)
	c.Prior, err = FitPrior([]float32{0, 1, 2, 3, 5, 4, 1, 1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ae.ckpt")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	m, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.FittedPrior(); got == nil || got.Codes != 4 || got.Mean[0] != 2 || got.Mean[1] != 2.25 {
		t.Errorf("prior read back %+v", got)
	}
	if _, err := m.SampleFrom(&Prior{Mean: []float64{0}, Chol: []float64{1}}, 3, 1, NoLabel); err == nil {
		t.Error("sampled a 2-D model from a 1-D prior")
	}
}
