package optimizer

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// weightGrad is a weight tensor with a gradient, as a Solver sees it.
type weightGrad struct{ w, g *tensor.Dense }

func (p weightGrad) Value() G.Value         { return p.w }
func (p weightGrad) Grad() (G.Value, error) { return p.g, nil }
func dense(data []float32, shape ...int) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
}

// TestAdamMatchesGorgonia runs our Adam and G.NewAdamSolver side by side on
// two copies of the same weights, fed the same random gradients, and checks
// that every weight agrees after each of 100 steps.
func TestAdamMatchesGorgonia(t *testing.T) {
	shapes := [][]int{{4, 3}, {1, 3}, {7, 2}}
	rng := rand.New(rand.NewPCG(9, 9))
	var ours, theirs []G.ValueGrad
	for _, s := range shapes {
		n := s[0] * s[1]
		w := make([]float32, n)
		for i := range w {
			w[i] = float32(rng.NormFloat64())
		}
		ours = append(ours, weightGrad{dense(append([]float32(nil), w...), s...), dense(make([]float32, n), s...)})
		theirs = append(theirs, weightGrad{dense(w, s...), dense(make([]float32, n), s...)})
	}
	lr, b1, b2, eps := 0.01, 0.8, 0.95, 1e-6
	opt := NewAdam(lr, b1, b2, eps)
	ref := G.NewAdamSolver(G.WithLearnRate(lr), G.WithBeta1(b1), G.WithBeta2(b2), G.WithEps(eps))

	for step := 1; step <= 100; step++ {
		for i := range ours {
			g1 := ours[i].(weightGrad).g.Float32s()
			g2 := theirs[i].(weightGrad).g.Float32s()
			for j := range g1 {
				g1[j] = float32(rng.NormFloat64() * 3)
				g2[j] = g1[j]
			}
		}
		if err := opt.Step(ours); err != nil {
			t.Fatal(err)
		}
		if err := ref.Step(theirs); err != nil {
			t.Fatal(err)
		}
		for i := range ours {
			a := ours[i].(weightGrad)
			b := theirs[i].(weightGrad)
			for j, v := range a.w.Float32s() {
				if want := b.w.Float32s()[j]; math.Abs(float64(v-want)) > 1e-5 {
					t.Fatalf("step %d tensor %d [%d]: ours %g, Gorgonia's %g", step, i, j, v, want)
				}
			}
		}
	}
	if opt.Iter != 100 {
		t.Errorf("Iter = %d, want 100", opt.Iter)
	}
}

// TestAdamMomentsNeverSubnormal: with the gradient at 0 from the first step
// on, the moments decay to exactly 0 without passing through subnormal
// numbers, and the weight stops moving.
func TestAdamMomentsNeverSubnormal(t *testing.T) {
	w := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{0.5}))
	g := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{0}))
	vg := weightGrad{w, g}
	a := NewAdam(1e-3, 0.9, 0.999, 1e-8)
	g.Float32s()[0] = 1 // one real gradient, then none
	for step := range 200000 {
		if err := a.Step([]G.ValueGrad{vg}); err != nil {
			t.Fatal(err)
		}
		g.Float32s()[0] = 0
		for _, x := range []float32{a.M[0][0], a.V[0][0]} {
			if x != 0 && math.Abs(float64(x)) < 0x1p-126 {
				t.Fatalf("step %d: moment %g is subnormal", step, x)
			}
		}
	}
	if a.M[0][0] != 0 || a.V[0][0] != 0 {
		t.Errorf("after 200,000 idle steps the moments are %g and %g, want 0", a.M[0][0], a.V[0][0])
	}
}

// TestAdamLeavesGradients: the first step moves each weight by lr·sign(g)
// and leaves the gradient as it was, for the graph to compute anew.
func TestAdamLeavesGradients(t *testing.T) {
	w := dense([]float32{0.5, -0.25, 1})
	g := dense([]float32{0.1, -0.2, 0.3})
	a := NewAdam(1e-3, 0.9, 0.999, 1e-8)
	if err := a.Step([]G.ValueGrad{weightGrad{w, g}}); err != nil {
		t.Fatal(err)
	}
	// First step: m̂ = g, v̂ = g², so each weight moves by lr·sign(g).
	want := []float32{0.5 - 1e-3, -0.25 + 1e-3, 1 - 1e-3}
	for i, x := range w.Float32s() {
		if math.Abs(float64(x-want[i])) > 1e-6 {
			t.Errorf("w[%d] = %g, want %g", i, x, want[i])
		}
	}
	if got := g.Float32s(); got[0] != 0.1 || got[1] != -0.2 || got[2] != 0.3 {
		t.Errorf("gradient after the step %v, want it unchanged", got)
	}
}

// BenchmarkAdamStep is one step over the reference MLP's 652,824 weights in
// its five layers' shapes.
func BenchmarkAdamStep(b *testing.B) {
	var model []G.ValueGrad
	for _, s := range [][]int{{784, 400}, {1, 400}, {400, 20}, {1, 20}, {400, 20}, {1, 20}, {20, 400}, {1, 400}, {400, 784}, {1, 784}} {
		n := s[0] * s[1]
		g := make([]float32, n)
		for i := range g {
			g[i] = float32(i%7) * 1e-3
		}
		model = append(model, weightGrad{dense(make([]float32, n), s...), dense(g, s...)})
	}
	opt := NewAdam(1e-3, 0.9, 0.999, 1e-8)
	for b.Loop() {
		if err := opt.Step(model); err != nil {
			b.Fatal(err)
		}
	}
}
