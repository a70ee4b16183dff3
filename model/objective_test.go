package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The objectives of k codes an image match the definitions computed by
// direct loops in float64 from the same weights, images and noise:
//
//	ELBO: Σ_b (1/k) Σ_i −log p(x_b|z_bi) + w·KL_b
//	IWAE: −Σ_b log (1/k) Σ_i exp(log p(x_b|z_bi) − w·(log q(z_bi|x_b) − log p(z_bi)))
func TestObjectivesMatchDirectLoops(t *testing.T) {
	const batch, k, w = 3, 4, 0.7
	s := Config{Input: 6, Hidden: 5, Latent: 3}
	p, err := NewParams(s, tensor.Float32, rand.New(rand.NewPCG(5, 6)))
	must(t, err)
	x, eps := uniform(batch*s.Input, 7), make([]float32, batch*k*s.Latent)
	FillNormal(eps, rand.New(rand.NewPCG(8, 9)))

	var elbo, iw, recon float64
	for b := range batch {
		xb := to64(x[b*s.Input : (b+1)*s.Input])
		h := relu(linear(xb, p.Fc1))
		mu, logvar := linear(h, p.Fc21), linear(h, p.Fc22)
		logw := make([]float64, k)
		for i := range k {
			z := make([]float64, s.Latent)
			var latent float64 // log q(z|x) − log p(z), constants cancelled
			for j := range z {
				e := float64(eps[(b*k+i)*s.Latent+j])
				z[j] = mu[j] + e*math.Exp(0.5*logvar[j])
				latent += 0.5 * (z[j]*z[j] - e*e - logvar[j])
			}
			logits := linear(relu(linear(z, p.Fc3)), p.Fc4)
			var logpx float64
			for j, l := range logits {
				logpx += xb[j]*l - (max(l, 0) + math.Log1p(math.Exp(-math.Abs(l))))
			}
			recon -= logpx / k
			logw[i] = logpx - w*latent
		}
		var kl float64
		for j := range mu {
			kl -= 0.5 * (1 + logvar[j] - mu[j]*mu[j] - math.Exp(logvar[j]))
		}
		elbo += w * kl
		iw -= logMeanExp(logw)
	}
	elbo += recon

	for _, c := range []struct {
		obj  Objective
		want float64
	}{{Objective{Bound: ELBO, Samples: k}, elbo}, {Objective{Bound: IWAE, Samples: k}, iw}} {
		m := runObjective(t, p, batch, c.obj, x, eps, w)
		near(t, c.obj.String()+" loss", m.Loss.Value().Data().(float32), c.want)
		near(t, c.obj.String()+" bce", m.BCE.Value().Data().(float32), recon)
	}
	if iw >= elbo {
		t.Errorf("IWAE loss %.6f is not below the ELBO's %.6f: the bound is not tighter", iw, elbo)
	}
}

// runObjective runs the float32 training graph of obj once on the images x
// and the noise eps (z's rows, then z2's for two stochastic layers) with KL
// weight w, and returns it.
func runObjective(t *testing.T, p *Params, batch int, obj Objective, x, eps []float32, w float64) *VAE {
	t.Helper()
	m, err := NewTraining(p, batch, obj)
	must(t, err)
	vm := G.NewTapeMachine(m.Graph, G.BindDualValues(m.Learnables...))
	t.Cleanup(func() { vm.Close() })
	must(t, G.Let(m.X, tensor.New(tensor.WithShape(m.X.Shape()...), tensor.WithBacking(x))))
	n := m.Eps.Shape().TotalSize()
	must(t, G.Let(m.Eps, tensor.New(tensor.WithShape(m.Eps.Shape()...), tensor.WithBacking(eps[:n]))))
	if m.Eps2 != nil {
		must(t, G.Let(m.Eps2, tensor.New(tensor.WithShape(m.Eps2.Shape()...), tensor.WithBacking(eps[n:]))))
	}
	must(t, G.Let(m.KLWeight, float32(w)))
	must(t, vm.RunAll())
	return m
}

// logMeanExp is log (1/k) Σ exp(v) of the k values v, by factoring out the
// largest.
func logMeanExp(v []float64) float64 {
	top := slices.Max(v)
	var sum float64
	for _, x := range v {
		sum += math.Exp(x - top)
	}
	return top + math.Log(sum/float64(len(v)))
}

// With one code an image the IWAE objective is the ELBO's graph itself.
func TestIWAEOfOneCodeIsTheELBO(t *testing.T) {
	p, err := NewParams(tiny, tensor.Float32, rand.New(rand.NewPCG(1, 2)))
	must(t, err)
	a, err := NewTraining(p, 4, Objective{})
	must(t, err)
	b, err := NewTraining(p, 4, Objective{Bound: IWAE, Samples: 1})
	must(t, err)
	if b.LogW != nil || len(a.Graph.AllNodes()) != len(b.Graph.AllNodes()) {
		t.Fatalf("iwae with k = 1 built %d nodes (log w %v), the ELBO %d", len(b.Graph.AllNodes()), b.LogW, len(a.Graph.AllNodes()))
	}
}

func TestObjectiveCheck(t *testing.T) {
	for _, c := range []struct {
		obj  Objective
		cfg  Config
		want string
	}{
		{Objective{Bound: IWAE, Samples: 5}, Config{Input: 6, Hidden: 5, Latent: 3, Likelihood: Gaussian}, "iwae with samples 5: needs the bernoulli likelihood"},
		{Objective{Bound: ELBO, Samples: 3}, Config{Input: 6, Hidden: 5, Latent: 3, Autoencoder: true}, "samples 3: a plain autoencoder's code is one point"},
		{Objective{Bound: IWAE, Samples: 1}, Config{Input: 6, Hidden: 5, Latent: 3, Autoencoder: true}, "iwae: a plain autoencoder"},
		{Objective{Bound: ELBO, Samples: MaxSamples + 1}, tiny, "samples 5001: must be 1 to 5000"},
		{Objective{Bound: "dreg", Samples: 2}, tiny, `objective "dreg": must be vae or iwae`},
		{Objective{Bound: ELBO, Samples: 5, DReG: true}, tiny, "dreg: the doubly-reparameterised gradient is the IWAE bound's"},
		{Objective{Bound: IWAE, Samples: 1, DReG: true}, tiny, "dreg: the doubly-reparameterised gradient is the IWAE bound's"},
	} {
		err := c.obj.Check(c.cfg)
		if err == nil || len(err.Error()) < len(c.want) || err.Error()[:len(c.want)] != c.want {
			t.Errorf("%v on %v: error %v, want %q…", c.obj, c.cfg, err, c.want)
		}
	}
}
