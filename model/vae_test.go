package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	tiny      = Config{Input: 6, Hidden: 5, Latent: 3}
	twoLayers = Config{Input: 6, Hidden: 5, Latent: 3, Stochastic: 2, Hidden2: 4, Latent2: 2}
)

// feed fills a graph's inputs: x in [0, 1], eps ~ N(0, 1) (z1's noise,
// then z2's for two stochastic layers), the labels of a conditional model,
// and the KL weight.
func feed(t *testing.T, m *VAE, x, eps, y []float64, klWeight float64) {
	t.Helper()
	must(t, G.Let(m.X, tensor.New(tensor.WithShape(m.Batch, len(x)/m.Batch), tensor.WithBacking(x))))
	if m.Y != nil {
		must(t, G.Let(m.Y, tensor.New(tensor.WithShape(m.Batch, len(y)/m.Batch), tensor.WithBacking(y))))
	}
	if m.Eps != nil { // an autoencoder has neither
		n := m.Eps.Shape().TotalSize()
		must(t, G.Let(m.Eps, tensor.New(tensor.WithShape(m.Eps.Shape()...), tensor.WithBacking(eps[:n]))))
		must(t, G.Let(m.KLWeight, klWeight))
		if m.Eps2 != nil {
			must(t, G.Let(m.Eps2, tensor.New(tensor.WithShape(m.Eps2.Shape()...), tensor.WithBacking(eps[n:]))))
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestGradientsMatchFiniteDifferences compares every gradient of the loss
// that Gorgonia's symbolic differentiation gives with a central difference
// (loss(w+h) - loss(w-h)) / 2h, on a tiny float64 model.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, classes := range []int{0, 3} {
		for _, lik := range []Likelihood{Bernoulli, Gaussian} {
			t.Run(fmt.Sprintf("classes=%d/likelihood=%q", classes, lik), func(t *testing.T) {
				sizes := tiny
				sizes.Classes, sizes.Likelihood = classes, lik
				checkGradients(t, sizes, Objective{})
			})
		}
	}
	// The conv model on 8×8 images, grey and colour, plain and conditional;
	// plain autoencoders, MLP and conv.
	for _, s := range []Config{
		{Input: 64, Hidden: 5, Latent: 3, Arch: ConvArch},
		{Input: 3 * 64, Hidden: 4, Latent: 2, Arch: ConvArch, Channels: 3, Classes: 2, Likelihood: Gaussian},
		{Input: 6, Hidden: 5, Latent: 3, Autoencoder: true},
		{Input: 6, Hidden: 5, Latent: 3, Classes: 2, Likelihood: Gaussian, Autoencoder: true},
		{Input: 64, Hidden: 5, Latent: 3, Arch: ConvArch, Autoencoder: true},
		// Two hidden layers each way, tanh and ReLU (Burda et al.'s nets).
		{Input: 6, Hidden: 5, Latent: 3, Depth: 2, Activation: Tanh},
		{Input: 6, Hidden: 5, Latent: 3, Depth: 2, Classes: 2},
		{Input: 6, Hidden: 5, Latent: 3, Activation: Tanh, Autoencoder: true},
	} {
		t.Run(s.String(), func(t *testing.T) { checkGradients(t, s, Objective{}) })
	}
	// k codes an image: the ELBO averaged over them and the IWAE bound.
	for _, c := range []struct {
		sizes Config
		obj   Objective
	}{
		{tiny, Objective{Bound: IWAE, Samples: 3}},
		{tiny, Objective{Bound: ELBO, Samples: 3}},
		{Config{Input: 6, Hidden: 5, Latent: 3, Classes: 3}, Objective{Bound: IWAE, Samples: 2}},
		{Config{Input: 6, Hidden: 5, Latent: 3, Likelihood: Gaussian}, Objective{Bound: ELBO, Samples: 2}},
		{Config{Input: 64, Hidden: 5, Latent: 3, Arch: ConvArch}, Objective{Bound: IWAE, Samples: 2}},
		{Config{Input: 6, Hidden: 5, Latent: 3, Depth: 2, Activation: Tanh}, Objective{Bound: IWAE, Samples: 3}},
		// Two stochastic layers (Burda et al.'s second row), every loss.
		{twoLayers, Objective{}},
		{twoLayers, Objective{Bound: ELBO, Samples: 2}},
		{twoLayers, Objective{Bound: IWAE, Samples: 3}},
		{Config{Input: 6, Hidden: 5, Latent: 3, Stochastic: 2, Hidden2: 4, Latent2: 2, Depth: 2, Activation: Tanh}, Objective{Bound: IWAE, Samples: 2}},
		{Config{Input: 6, Hidden: 5, Latent: 3, Stochastic: 2, Hidden2: 4, Latent2: 2, Likelihood: Gaussian}, Objective{}},
	} {
		t.Run(c.sizes.String()+"/"+c.obj.String(), func(t *testing.T) { checkGradients(t, c.sizes, c.obj) })
	}
}

func checkGradients(t *testing.T, sizes Config, obj Objective) {
	const batch, h = 4, 1e-6
	rng := rand.New(rand.NewPCG(3, 4))
	p, err := NewParams(sizes, tensor.Float64, rng)
	must(t, err)
	if p.LogScale != nil { // log-scales of their own, not all 0
		for j := range p.LogScale.Float64s() {
			p.LogScale.Float64s()[j] = rng.Float64() - 0.7
		}
	}
	x := make([]float64, batch*sizes.Input)
	for i := range x {
		x[i] = rng.Float64()
	}
	eps := make([]float64, batch*obj.K()*sizes.Noise())
	for i := range eps {
		eps[i] = rng.NormFloat64()
	}
	y := make([]float64, batch*sizes.Classes)
	for i := range batch {
		if sizes.Classes > 0 {
			y[i*sizes.Classes+i%sizes.Classes] = 1
		}
	}
	const klWeight = 0.7

	train, err := NewTraining(p, batch, obj)
	must(t, err)
	vm := G.NewTapeMachine(train.Graph, G.BindDualValues(train.Learnables...))
	feed(t, train, x, eps, y, klWeight)
	must(t, vm.RunAll())

	// The loss alone, from a graph of its own: the training graph of the
	// same objective, whose gradients nothing reads here.
	eval, err := NewTraining(p, batch, obj)
	must(t, err)
	evm := G.NewTapeMachine(eval.Graph)
	loss := func() float64 {
		feed(t, eval, x, eps, y, klWeight)
		must(t, evm.RunAll())
		defer evm.Reset()
		return eval.Loss.Value().Data().(float64)
	}

	// The gradients, copied before the other graph runs.
	grads := make([][]float64, len(train.Learnables))
	for i, n := range train.Learnables {
		gradV, err := n.Grad()
		must(t, err)
		grads[i] = slices.Clone(gradV.Data().([]float64))
	}
	checked, kinks := 0, 0
	for i, w := range p.All() {
		grad := grads[i]
		data := w.Tensor.Float64s()
		// Every weight of a small tensor; 40 drawn at random from a large one.
		indices := rng.Perm(len(data))[:min(len(data), 40)]
		if len(data) <= 200 {
			indices = rng.Perm(len(data))
		}
		for _, j := range indices {
			orig := data[j]
			at := loss()
			data[j] = orig + h
			up := loss()
			data[j] = orig - h
			down := loss()
			data[j] = orig
			// Where a ReLU's input is within h of 0 the loss has a kink
			// between w-h and w+h: the one-sided differences disagree there,
			// and the weight is left out rather than misjudged.
			if fwd, bwd := (up-at)/h, (at-down)/h; math.Abs(fwd-bwd) > 1e-3*(1+math.Abs(fwd)) {
				kinks++
				continue
			}
			numeric := (up - down) / (2 * h)
			if diff := math.Abs(grad[j] - numeric); diff > 1e-6+1e-5*math.Abs(numeric) {
				t.Errorf("%s[%d]: symbolic gradient %.9g, finite difference %.9g", w.Name, j, grad[j], numeric)
			}
			checked++
		}
	}
	if checked == 0 || kinks > checked/20 {
		t.Fatalf("checked %d gradients, left out %d at a kink", checked, kinks)
	}
}

func TestNewParamsInitialisation(t *testing.T) {
	p, err := NewParams(Config{Input: 784, Hidden: 400, Latent: 20}, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	must(t, err)
	if p.Count() != 652824 { // the PyTorch example's parameter count
		t.Errorf("%d weights, want 652,824", p.Count())
	}
	for _, w := range p.All() {
		bound := 1 / math.Sqrt(float64(w.Tensor.Shape()[0]))
		if w.Name[len(w.Name)-1] == 'b' { // a bias's fan-in is its layer's input width
			continue
		}
		lo, hi := 0.0, 0.0
		for _, v := range w.Tensor.Float32s() {
			lo, hi = min(lo, float64(v)), max(hi, float64(v))
		}
		if lo < -bound || hi > bound || hi < 0.9*bound || lo > -0.9*bound {
			t.Errorf("%s spans [%g, %g], want about ±1/√fan_in = ±%g", w.Name, lo, hi, bound)
		}
	}
	q, _ := NewParams(Config{Input: 784, Hidden: 400, Latent: 20}, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if q.Fc4.B.Float32s()[7] != p.Fc4.B.Float32s()[7] {
		t.Error("the same seed must give the same weights")
	}
}

func TestSizesValidate(t *testing.T) {
	for _, s := range []Config{{Input: 0, Hidden: 1, Latent: 1}, {Input: 1, Hidden: 0, Latent: 1},
		{Input: 1, Hidden: 1, Latent: 0}, {Input: 1, Hidden: 1, Latent: 1, Classes: -1},
		{Input: 1, Hidden: 1, Latent: 1, Depth: 3}, {Input: 1, Hidden: 1, Latent: 1, Activation: "sine"},
		{Input: 1, Hidden: 1, Latent: 1, Stochastic: 3}, {Input: 1, Hidden: 1, Latent: 1, Stochastic: 2, Latent2: 1},
		{Input: 1, Hidden: 1, Latent: 1, Stochastic: 2, Hidden2: 1}, {Input: 1, Hidden: 1, Latent: 1, Stochastic: 2, Hidden2: 1, Latent2: 1, Classes: 2},
		{Input: 1, Hidden: 1, Latent: 1, Stochastic: 2, Hidden2: 1, Latent2: 1, Autoencoder: true},
		{Input: 64, Hidden: 1, Latent: 1, Stochastic: 2, Hidden2: 1, Latent2: 1, Arch: ConvArch}} {
		if _, err := NewParams(s, tensor.Float32, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("NewParams(%+v) succeeded", s)
		}
	}
	p, _ := NewParams(tiny, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if _, err := NewTraining(p, 0, Objective{}); err == nil {
		t.Error("batch 0 must be an error")
	}
}

// With the KL weight at 0 (beta = 0) the KL term must not pull on the
// weights: with eps = 0 too, logvar then affects nothing, so fc22's gradient
// vanishes; with the weight at 1 it does not.
func TestZeroKLWeightRemovesKLGradient(t *testing.T) {
	const batch = 3
	rng := rand.New(rand.NewPCG(8, 8))
	p, err := NewParams(tiny, tensor.Float64, rng)
	must(t, err)
	x := make([]float64, batch*tiny.Input)
	for i := range x {
		x[i] = rng.Float64()
	}
	eps := make([]float64, batch*tiny.Latent)
	fc22Grad := func(klWeight float64) float64 {
		m, err := NewTraining(p, batch, Objective{})
		must(t, err)
		vm := G.NewTapeMachine(m.Graph, G.BindDualValues(m.Learnables...))
		feed(t, m, x, eps, nil, klWeight)
		must(t, vm.RunAll())
		total := 0.0
		for _, n := range m.Learnables {
			if n.Name() == "fc22.W" || n.Name() == "fc22.b" {
				g, err := n.Grad()
				must(t, err)
				for _, v := range g.Data().([]float64) {
					total += math.Abs(v)
				}
			}
		}
		return total
	}
	if g := fc22Grad(0); g != 0 {
		t.Errorf("with KL weight 0, fc22's gradient sums to %g, want 0", g)
	}
	if g := fc22Grad(1); g == 0 {
		t.Error("with KL weight 1, fc22's gradient is 0: the test cannot see the KL term")
	}
}

// A conditional model's decoder must listen to the label: the same z with
// two different labels gives two different images.
func TestConditionalDecoderUsesLabel(t *testing.T) {
	sizes := Config{Input: 6, Hidden: 5, Latent: 3, Classes: 10}
	p, err := NewParams(sizes, tensor.Float32, rand.New(rand.NewPCG(2, 2)))
	must(t, err)
	m, err := New(p)
	must(t, err)
	z := []float32{0.3, -1, 0.5, 0.3, -1, 0.5}
	out, err := m.Decode(z, []int{3, 8})
	must(t, err)
	same := true
	for j := range sizes.Input {
		same = same && out[j] == out[sizes.Input+j]
	}
	if same {
		t.Error("labels 3 and 8 decode the same z to the same image")
	}
	if _, err := m.Decode(z, nil); err == nil {
		t.Error("a conditional model decoded without labels")
	}
	if _, err := OneHot([]int{10}, 10); err == nil {
		t.Error("label 10 of 10 classes was accepted")
	}
}
