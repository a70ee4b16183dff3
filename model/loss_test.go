package model

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// evalTerm builds term(a, b) over two constant row vectors and returns its
// value. The inputs need distinct names: Gorgonia merges unnamed nodes of the
// same type and shape into one.
func evalTerm(t *testing.T, term func(o *ops, a, b *G.Node) *G.Node, a, b []float64) float64 {
	t.Helper()
	g := G.NewGraph()
	an := G.NewMatrix(g, tensor.Float64, G.WithName("a"), G.WithShape(1, len(a)), G.WithValue(tensor.New(tensor.WithShape(1, len(a)), tensor.WithBacking(a))))
	bn := G.NewMatrix(g, tensor.Float64, G.WithName("b"), G.WithShape(1, len(b)), G.WithValue(tensor.New(tensor.WithShape(1, len(b)), tensor.WithBacking(b))))
	o := &ops{}
	out := term(o, an, bn)
	must(t, o.err)
	must(t, G.NewTapeMachine(g).RunAll())
	return out.Value().Data().(float64)
}

func TestBCEByHand(t *testing.T) {
	tests := []struct {
		name      string
		logits, x []float64
		want      float64
	}{
		// -[x·log σ(l) + (1-x)·log(1-σ(l))], term by term:
		// l=0, x=½: log 2 = 0.693147; l=2, x=1: -log σ(2) = 0.126928;
		// l=-1, x=0: -log(1-σ(-1)) = 0.313262.
		{"mixed", []float64{0, 2, -1}, []float64{0.5, 1, 0}, 0.693147181 + 0.126928011 + 0.313261688},
		// A confident wrong answer costs about |l|; a confident right one about 0.
		{"confident", []float64{30, -30}, []float64{0, 0}, 30 + 9.357623e-14},
	}
	for _, tt := range tests {
		got := evalTerm(t, bceOfLogits, tt.logits, tt.x)
		if math.Abs(got-tt.want) > 1e-8 {
			t.Errorf("%s: BCE = %.9f, want %.9f", tt.name, got, tt.want)
		}
	}
}

// bceOfLogits is the loss's BCE term as the graph builds it.
func bceOfLogits(o *ops, logits, x *G.Node) *G.Node {
	return bce(o, o.sigmoid(logits), logits, x)
}

func TestKLByHand(t *testing.T) {
	tests := []struct {
		name       string
		mu, logvar []float64
		want       float64
	}{
		{"prior itself", []float64{0, 0}, []float64{0, 0}, 0},
		// -½[(1 + 0 - 1 - 1) + (1 + ln 2 - 0 - 2)] = 1 - ½ ln 2
		{"shifted and wider", []float64{1, 0}, []float64{0, math.Ln2}, 1 - 0.5*math.Ln2},
		// -½(1 + ln ¼ - 4 - ¼)
		{"one dim", []float64{2}, []float64{math.Log(0.25)}, -0.5 * (1 + math.Log(0.25) - 4 - 0.25)},
	}
	for _, tt := range tests {
		got := evalTerm(t, kl, tt.mu, tt.logvar)
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: KL = %.12f, want %.12f", tt.name, got, tt.want)
		}
	}
}

// TestLossFiniteWhenDecoderSaturates drives fc4's bias so far that the float32
// sigmoid rounds to exactly 0 or 1, opposite to the pixels. log(recon) would be
// -Inf there; the loss from logits must stay finite, and so must every gradient.
func TestLossFiniteWhenDecoderSaturates(t *testing.T) {
	const batch = 2
	p, err := NewParams(tiny, tensor.Float32, rand.New(rand.NewPCG(1, 2)))
	must(t, err)
	bias := p.Fc4.B.Float32s()
	x := make([]float32, batch*tiny.Input)
	for j := range bias {
		if j%2 == 0 {
			bias[j] = 200 // recon = 1 where the image is black
		} else {
			bias[j] = -200 // recon = 0 where the image is white
			x[j], x[tiny.Input+j] = 1, 1
		}
	}
	m, err := NewTraining(p, batch, Objective{})
	must(t, err)
	vm := G.NewTapeMachine(m.Graph, G.BindDualValues(m.Learnables...))
	must(t, G.Let(m.X, tensor.New(tensor.WithShape(batch, tiny.Input), tensor.WithBacking(x))))
	must(t, G.Let(m.Eps, tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(batch, tiny.Latent))))
	must(t, vm.RunAll())

	logits := m.Logits.Value().Data().([]float32)
	if logits[0] < 100 || logits[1] > -100 {
		t.Fatalf("logits start %v: the decoder did not saturate, the test proves nothing", logits[:2])
	}
	loss := float64(m.Loss.Value().Data().(float32))
	if math.IsNaN(loss) || math.IsInf(loss, 0) || loss < 200*float64(batch*tiny.Input)*0.99 {
		t.Fatalf("loss = %v, want finite and about 200 per wrong pixel", loss)
	}
	for _, n := range m.Learnables {
		g, err := n.Grad()
		must(t, err)
		for _, v := range g.Data().([]float32) {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("gradient of %s holds %v", n.Name(), v)
			}
		}
	}
}
