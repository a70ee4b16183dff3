package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govae/govae/internal/runner"
	"gorgonia.org/tensor"
)

// twoLayerLogW is log p(x, z1, z2) − log q(z1, z2|x) of one code, by
// direct loops in float64 over the weights of a ReLU model of two stochastic
// layers, Depth 1, from the image x and the code's noise e1, e2:
//
//	z1 = mu1 + e1·std1,  z2 = mu2(z1) + e2·std2(z1)
//	log w = log p(x|z1) + log N(z1; m(z2), e^v(z2)) + log N(z2; 0, I)
//	        − log N(z1; mu1, e^logvar1) − log N(z2; mu2, e^logvar2)
//
// with every Gaussian's normalising constant written out. It also returns
// log p(x|z1).
func twoLayerLogW(p *Params, x, e1, e2 []float64) (logw, logpx float64) {
	return twoLayerLogWHeld(p, p, x, e1, e2, 1)
}

// twoLayerLogWHeld is twoLayerLogW with q's two Gaussians, N(z1; mu1,
// e^logvar1) and N(z2; mu2(z1), e^logvar2(z1)), computed with the encoder
// weights of q0 at the codes p draws, and the latent part weighed by
// klWeight: DReG's log w with q held (q0 = p gives log w itself).
func twoLayerLogWHeld(p, q0 *Params, x, e1, e2 []float64, klWeight float64) (logw, logpx float64) {
	h := relu(linear(x, p.Fc1))
	mu1, lv1 := linear(h, p.Fc21), linear(h, p.Fc22)
	z1 := make([]float64, len(mu1))
	for j := range z1 {
		z1[j] = mu1[j] + e1[j]*math.Exp(0.5*lv1[j])
	}
	h5 := relu(linear(z1, p.Fc5))
	mu2, lv2 := linear(h5, p.Fc61), linear(h5, p.Fc62)
	z2 := make([]float64, len(mu2))
	for j := range z2 {
		z2[j] = mu2[j] + e2[j]*math.Exp(0.5*lv2[j])
	}
	h0, h50 := relu(linear(x, q0.Fc1)), relu(linear(z1, q0.Fc5))
	mu1, lv1, mu2, lv2 = linear(h0, q0.Fc21), linear(h0, q0.Fc22), linear(h50, q0.Fc61), linear(h50, q0.Fc62)
	h7 := relu(linear(z2, p.Fc7))
	m, v := linear(h7, p.Fc81), linear(h7, p.Fc82)
	for j, l := range linear(relu(linear(z1, p.Fc3)), p.Fc4) {
		logpx += x[j]*l - (max(l, 0) + math.Log1p(math.Exp(-math.Abs(l))))
	}
	normal := func(x, mean, logvar float64) float64 {
		return -0.5 * (math.Log(2*math.Pi) + logvar + (x-mean)*(x-mean)/math.Exp(logvar))
	}
	var latent float64 // log p(z1|z2) + log p(z2) − log q(z1|x) − log q(z2|z1)
	for j := range z1 {
		latent += normal(z1[j], m[j], v[j]) - normal(z1[j], mu1[j], lv1[j])
	}
	for j := range z2 {
		latent += normal(z2[j], 0, 0) - normal(z2[j], mu2[j], lv2[j])
	}
	return logpx + klWeight*latent, logpx
}

// The two-layer model's ELBO and IWAE losses, and its reconstruction term,
// match the definitions computed by twoLayerLogW from the same weights,
// images and noise.
func TestTwoLayersMatchDirectLoops(t *testing.T) {
	const batch, k, w = 3, 4, 1.0
	s := twoLayers
	p, err := NewParams(s, tensor.Float32, rand.New(rand.NewPCG(5, 6)))
	must(t, err)
	x := uniform(batch*s.Input, 7)
	eps := make([]float32, batch*k*s.Noise())
	FillNormal(eps, rand.New(rand.NewPCG(8, 9)))
	eps1, eps2 := eps[:batch*k*s.Latent], eps[batch*k*s.Latent:]

	var elbo, iw, recon float64
	for b := range batch {
		xb := to64(x[b*s.Input : (b+1)*s.Input])
		logw := make([]float64, k)
		for i := range k {
			r := b*k + i
			var logpx float64
			logw[i], logpx = twoLayerLogW(p, xb, to64(eps1[r*s.Latent:(r+1)*s.Latent]), to64(eps2[r*s.Latent2:(r+1)*s.Latent2]))
			recon -= logpx / k
			elbo -= logw[i] / k
		}
		iw -= logMeanExp(logw)
	}
	for _, c := range []struct {
		obj  Objective
		want float64
	}{{Objective{Bound: ELBO, Samples: k}, elbo}, {Objective{Bound: IWAE, Samples: k}, iw}} {
		m := runObjective(t, p, batch, c.obj, x, eps, w)
		near(t, c.obj.String()+" loss", m.Loss.Value().Data().(float32), c.want)
		near(t, c.obj.String()+" bce", m.BCE.Value().Data().(float32), recon)
		near(t, c.obj.String()+" kl", m.KL.Value().Data().(float32), elbo-recon)
	}
	if iw >= elbo {
		t.Errorf("IWAE loss %.6f is not below the ELBO's %.6f: the bound is not tighter", iw, elbo)
	}
}

// TopLayer's latent term, added to log q(z1|x)'s noise term and log p(x|z1),
// gives the same log w as the direct loops.
func TestTopLayerMatchesDirectLoops(t *testing.T) {
	const rows = 5
	s := twoLayers
	p, err := NewParams(s, tensor.Float32, rand.New(rand.NewPCG(1, 3)))
	must(t, err)
	x := to64(uniform(s.Input, 2))
	eps1, eps2 := make([]float32, rows*s.Latent), make([]float32, rows*s.Latent2)
	FillNormal(eps1, rand.New(rand.NewPCG(4, 5)))
	FillNormal(eps2, rand.New(rand.NewPCG(6, 7)))

	h := relu(linear(x, p.Fc1))
	mu1, lv1 := linear(h, p.Fc21), linear(h, p.Fc22)
	z1 := make([]float32, rows*s.Latent)
	for r := range rows {
		for j := range s.Latent {
			z1[r*s.Latent+j] = float32(mu1[j] + float64(eps1[r*s.Latent+j])*math.Exp(0.5*lv1[j]))
		}
	}
	top, err := NewTopLayer(p, rows)
	must(t, err)
	run, err := runner.New(top.Graph, top.Z1, top.Eps2)
	must(t, err)
	copy(run.Input(top.Z1), z1)
	copy(run.Input(top.Eps2), eps2)
	must(t, run.Run(func() error {
		for r, latent := range runner.Floats(top.Latent) {
			e1 := to64(eps1[r*s.Latent : (r+1)*s.Latent])
			want, logpx := twoLayerLogW(p, x, e1, to64(eps2[r*s.Latent2:(r+1)*s.Latent2]))
			got := logpx - float64(latent)
			for j := range e1 {
				got += 0.5 * (e1[j]*e1[j] + lv1[j]) // −log q(z1|x), its constant cancelled
			}
			// z1 was rounded to float32 above, as the graph's input is.
			if math.Abs(got-want) > 1e-4*(1+math.Abs(want)) {
				t.Errorf("row %d: log w %.6f, direct loops %.6f", r, got, want)
			}
		}
		return nil
	}))
	if _, err := NewTopLayer(p, 0); err == nil {
		t.Error("batch 0 must be an error")
	}
	one, _ := NewParams(tiny, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if _, err := NewTopLayer(one, 2); err == nil {
		t.Error("a model of one stochastic layer has no top layer")
	}
}
