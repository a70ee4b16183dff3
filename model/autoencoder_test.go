package model

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// A plain autoencoder's graph is the VAE's layers without what makes a
// distribution: no noise input, no logvar head, no KL; its loss is the BCE
// of decode(mu) — checked against a direct loop over the same weights.
func TestAutoencoderIsEncodeDecodeBCE(t *testing.T) {
	s := Config{Input: 6, Hidden: 5, Latent: 3, Autoencoder: true}
	const batch = 4
	rng := rand.New(rand.NewPCG(5, 6))
	p, err := NewParams(s, tensor.Float64, rng)
	must(t, err)
	if p.Fc22.W != nil {
		t.Error("an autoencoder has a logvar head")
	}
	for _, w := range p.All() {
		if w.Name == "fc22.W" {
			t.Error("an autoencoder lists fc22")
		}
	}
	m, err := NewEvaluation(p, batch)
	must(t, err)
	if m.Eps != nil || m.Logvar != nil || m.KL != nil || m.KLWeight != nil || m.Z != m.Mu {
		t.Fatalf("autoencoder graph: eps %v, logvar %v, KL %v, z = mu %v", m.Eps, m.Logvar, m.KL, m.Z == m.Mu)
	}
	x := make([]float64, batch*s.Input)
	for i := range x {
		x[i] = rng.Float64()
	}
	vm := G.NewTapeMachine(m.Graph)
	feed(t, m, x, nil, nil, 1)
	must(t, vm.RunAll())
	got := m.Loss.Value().Data().(float64)

	want := 0.0
	for i := range batch {
		h1 := relu(affine(x[i*s.Input:(i+1)*s.Input], p.Fc1))
		z := affine(h1, p.Fc21)
		logits := affine(relu(affine(z, p.Fc3)), p.Fc4)
		for j, l := range logits {
			want += math.Log1p(math.Exp(l)) - x[i*s.Input+j]*l // softplus(l) − x·l
		}
	}
	if math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Errorf("loss %.12g, direct loop %.12g", got, want)
	}
}

// affine is x·W + b for one row x of a float64 model, by a direct loop
// (linear is its float32 twin).
func affine(x []float64, l Layer) []float64 {
	w, b := l.W.Float64s(), l.B.Float64s()
	out := make([]float64, len(b))
	for j := range out {
		out[j] = b[j]
		for i, v := range x {
			out[j] += v * w[i*len(b)+j]
		}
	}
	return out
}
