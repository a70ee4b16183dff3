package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// DReG's graph, on a tiny float64 model, against its definition:
//
//   - the loss is the IWAE bound's, and so is every decoder gradient;
//   - every encoder gradient is −∂S/∂φ for the surrogate
//     S(φ) = Σ_b Σ_i c_bi · log w_stop(z_bi(φ)), with c = w̃² taken at the
//     current weights and log w_stop = log p(x|z) − w·(log q₀(z|x) − log p(z)),
//     q₀ the encoder's Gaussian at the current weights, held fixed —
//     S computed by direct loops and differentiated by central differences.
func TestDReGGradients(t *testing.T) {
	const batch, k, klWeight, h = 3, 4, 0.7, 1e-6
	s := tiny
	p, err := NewParams(s, tensor.Float64, rand.New(rand.NewPCG(3, 8)))
	must(t, err)
	x := to64(uniform(batch*s.Input, 2))
	eps := make([]float64, batch*k*s.Latent)
	rng := rand.New(rand.NewPCG(5, 5))
	for i := range eps {
		eps[i] = rng.NormFloat64()
	}
	run := func(obj Objective) (loss float64, grads [][]float64) {
		m, err := NewTraining(p, batch, obj)
		must(t, err)
		vm := G.NewTapeMachine(m.Graph, G.BindDualValues(m.Learnables...))
		defer vm.Close()
		feed(t, m, x, eps, nil, klWeight)
		must(t, vm.RunAll())
		for _, g := range m.Grads {
			grads = append(grads, slices.Clone(g.Value().Data().([]float64)))
		}
		return m.Loss.Value().Data().(float64), grads
	}
	iwLoss, iwGrads := run(Objective{Bound: IWAE, Samples: k})
	dregLoss, dregGrads := run(Objective{Bound: IWAE, Samples: k, DReG: true})
	if math.Abs(iwLoss-dregLoss) > 1e-9*math.Abs(iwLoss) {
		t.Errorf("DReG's loss %.12g, the IWAE bound's %.12g", dregLoss, iwLoss)
	}

	// The codes and their fixed weights c = w̃², and q₀, at the current weights.
	encode := func(b int) (mu, logvar []float64) {
		hid := relu(linear(x[b*s.Input:(b+1)*s.Input], p.Fc1))
		return linear(hid, p.Fc21), linear(hid, p.Fc22)
	}
	logW := func(b, i int, mu, logvar, mu0, logvar0 []float64) float64 {
		z := make([]float64, s.Latent)
		var latent float64 // log q₀(z|x) − log p(z), constants cancelled
		for j := range z {
			e := eps[(b*k+i)*s.Latent+j]
			z[j] = mu[j] + e*math.Exp(0.5*logvar[j])
			d := z[j] - mu0[j]
			latent += 0.5 * (z[j]*z[j] - d*d*math.Exp(-logvar0[j]) - logvar0[j])
		}
		var logpx float64
		for j, l := range linear(relu(linear(z, p.Fc3)), p.Fc4) {
			xj := x[b*s.Input+j]
			logpx += xj*l - (max(l, 0) + math.Log1p(math.Exp(-math.Abs(l))))
		}
		return logpx - klWeight*latent
	}
	type fixed struct{ mu0, logvar0, c []float64 }
	at := make([]fixed, batch)
	for b := range batch {
		mu0, logvar0 := encode(b)
		lw := make([]float64, k)
		for i := range k {
			lw[i] = logW(b, i, mu0, logvar0, mu0, logvar0)
		}
		c := make([]float64, k)
		for i, v := range lw {
			wt := math.Exp(v-logMeanExp(lw)) / k // the normalised weight w̃_i
			c[i] = wt * wt
		}
		at[b] = fixed{mu0, logvar0, c}
	}
	surrogate := func() float64 {
		var sum float64
		for b := range batch {
			mu, logvar := encode(b)
			for i := range k {
				sum += at[b].c[i] * logW(b, i, mu, logvar, at[b].mu0, at[b].logvar0)
			}
		}
		return sum
	}

	encoder := map[string]bool{"fc1": true, "fc21": true, "fc22": true}
	checked := 0
	for n, w := range p.All() {
		layer := w.Name[:len(w.Name)-2]
		data := w.Tensor.Float64s()
		for j := range data {
			want := iwGrads[n][j] // a decoder weight: the bound's own gradient
			if encoder[layer] {
				orig := data[j]
				data[j] = orig + h
				up := surrogate()
				data[j] = orig - h
				down := surrogate()
				data[j] = orig
				want = -(up - down) / (2 * h)
			}
			if got := dregGrads[n][j]; math.Abs(got-want) > 1e-6+1e-5*math.Abs(want) {
				t.Errorf("%s[%d]: DReG's gradient %.9g, want %.9g", w.Name, j, got, want)
			}
			checked++
		}
	}
	// And DReG's encoder gradient is not the bound's: the test can tell them apart.
	if slices.Equal(dregGrads[0], iwGrads[0]) {
		t.Error("fc1.W's DReG gradient is the IWAE bound's")
	}
	if checked != p.Count() {
		t.Fatalf("checked %d of %d weights", checked, p.Count())
	}
}
