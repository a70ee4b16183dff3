package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// logWHeld is one code's log-weight by direct loops, its codes drawn with
// p's weights from the noise e1 (and e2, for a second stochastic layer) and
// q's Gaussians computed with q0's encoder weights, the latent part weighed
// by klWeight.
type logWHeld func(p, q0 *Params, x, e1, e2 []float64, klWeight float64) float64

// oneLayerLogWHeld is logWHeld for the diagram's model (ReLU, Depth 1):
// log p(x|z) − klWeight·(log q₀(z|x) − log p(z)), the constants cancelled.
func oneLayerLogWHeld(p, q0 *Params, x, e1, _ []float64, klWeight float64) float64 {
	h, h0 := relu(linear(x, p.Fc1)), relu(linear(x, q0.Fc1))
	mu, logvar, mu0, logvar0 := linear(h, p.Fc21), linear(h, p.Fc22), linear(h0, q0.Fc21), linear(h0, q0.Fc22)
	z := make([]float64, len(mu))
	var latent float64
	for j := range z {
		z[j] = mu[j] + e1[j]*math.Exp(0.5*logvar[j])
		d := z[j] - mu0[j]
		latent += 0.5 * (z[j]*z[j] - d*d*math.Exp(-logvar0[j]) - logvar0[j])
	}
	var logpx float64
	for j, l := range linear(relu(linear(z, p.Fc3)), p.Fc4) {
		logpx += x[j]*l - (max(l, 0) + math.Log1p(math.Exp(-math.Abs(l))))
	}
	return logpx - klWeight*latent
}

// DReG's graph, on tiny float64 models of one and two stochastic layers,
// against its definition:
//
//   - the loss is the IWAE bound's, and so is every decoder gradient;
//   - every encoder gradient is −∂S/∂φ for the surrogate
//     S(φ) = Σ_b Σ_i c_bi · log w_held(z_bi(φ)), with c = w̃² taken at the
//     current weights and log w_held the log-weight with q's Gaussians
//     computed with the encoder's current weights, held fixed, at the codes
//     φ draws — S computed by direct loops and differentiated by central
//     differences.
func TestDReGGradients(t *testing.T) {
	for _, c := range []struct {
		s       Config
		logW    logWHeld
		encoder string // the encoder's layers, q's
	}{
		{tiny, oneLayerLogWHeld, "fc1 fc21 fc22"},
		{twoLayers, func(p, q0 *Params, x, e1, e2 []float64, klWeight float64) float64 {
			logw, _ := twoLayerLogWHeld(p, q0, x, e1, e2, klWeight)
			return logw
		}, "fc1 fc21 fc22 fc5 fc61 fc62"},
	} {
		t.Run(c.s.String(), func(t *testing.T) { checkDReG(t, c.s, c.logW, strings.Fields(c.encoder)) })
	}
}

func checkDReG(t *testing.T, s Config, logW logWHeld, encoder []string) {
	const batch, k, klWeight, h = 3, 4, 0.7, 1e-6
	p, err := NewParams(s, tensor.Float64, rand.New(rand.NewPCG(3, 8)))
	must(t, err)
	x := to64(uniform(batch*s.Input, 2))
	eps := make([]float64, batch*k*s.Noise())
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

	// q0: the encoder held at the current weights; c = w̃² there.
	q0, err := NewParams(s, tensor.Float64, rand.New(rand.NewPCG(1, 1)))
	must(t, err)
	for n, w := range q0.All() {
		copy(w.Tensor.Float64s(), p.All()[n].Tensor.Float64s())
	}
	n1 := batch * k * s.Latent
	code := func(p *Params, b, i int) float64 {
		r := b*k + i
		return logW(p, q0, x[b*s.Input:(b+1)*s.Input], eps[r*s.Latent:(r+1)*s.Latent], eps[n1+r*s.Latent2:n1+(r+1)*s.Latent2], klWeight)
	}
	c := make([]float64, batch*k)
	for b := range batch {
		lw := make([]float64, k)
		for i := range k {
			lw[i] = code(p, b, i)
		}
		for i, v := range lw {
			wt := math.Exp(v-logMeanExp(lw)) / k // the normalised weight w̃_i
			c[b*k+i] = wt * wt
		}
	}
	surrogate := func() float64 {
		var sum float64
		for b := range batch {
			for i := range k {
				sum += c[b*k+i] * code(p, b, i)
			}
		}
		return sum
	}

	checked := 0
	for n, w := range p.All() {
		layer := w.Name[:len(w.Name)-2]
		data := w.Tensor.Float64s()
		for j := range data {
			want := iwGrads[n][j] // a decoder weight: the bound's own gradient
			if slices.Contains(encoder, layer) {
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
