package nn

import (
	"math/rand/v2"
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestLinearByHand runs x·W + b and its gradients on a batch small enough to
// check by hand: x [2 × 2], W [2 × 3], b [1 × 3], loss Σ c ⊙ y.
func TestLinearByHand(t *testing.T) {
	g := G.NewGraph()
	x := matrix(g, "x", 2, 2, 1, 2, 3, 4)
	w := matrix(g, "W", 2, 3, 1, 0, -1, 2, 1, 0.5)
	b := matrix(g, "b", 1, 3, 10, 20, 30)
	c := matrix(g, "c", 2, 3, 1, 2, 3, 4, -2, 0.5)
	y, err := Linear(x, w, b)
	must(t, err)
	prod, err := G.HadamardProd(y, c)
	must(t, err)
	loss, err := G.Sum(prod)
	must(t, err)
	grads, err := G.Grad(loss, x, w, b)
	must(t, err)
	must(t, G.NewTapeMachine(g).RunAll())
	for _, tt := range []struct {
		name string
		got  *G.Node
		want []float32
	}{
		{"x·W + b", y, []float32{1 + 4 + 10, 0 + 2 + 20, -1 + 1 + 30, 3 + 8 + 10, 0 + 4 + 20, -3 + 2 + 30}},
		{"∂/∂x = c·Wᵀ", grads[0], []float32{1 - 3, 2 + 2 + 1.5, 4 - 0.5, 8 - 2 + 0.25}},
		{"∂/∂W = xᵀ·c", grads[1], []float32{1 + 12, 2 - 6, 3 + 1.5, 2 + 16, 4 - 8, 6 + 2}},
		{"∂/∂b = Σ rows of c", grads[2], []float32{5, 0, 3.5}},
	} {
		if got := tt.got.Value().Data().([]float32); !slices.Equal(got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestLinearIsGorgonias checks x·W + b and its gradients bit for bit against
// Gorgonia's own product (G.Mul) with the bias broadcast over the rows, at a
// layer's sizes, over three runs of the same machine (the op's outputs are
// reused from run to run).
func TestLinearIsGorgonias(t *testing.T) {
	const n, in, out = 32, 50, 40
	rng := rand.New(rand.NewPCG(5, 6))
	random := func(k int) []float32 {
		v := make([]float32, k)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		return v
	}
	xs, ws, bs, cs := random(n*in), random(in*out), random(out), random(n*out)
	build := func(ours bool) (*G.ExprGraph, G.Nodes, *G.Node) {
		g := G.NewGraph()
		x, w, b, c := matrix(g, "x", n, in, xs...), matrix(g, "W", in, out, ws...), matrix(g, "b", 1, out, bs...), matrix(g, "c", n, out, cs...)
		var y *G.Node
		var err error
		if ours {
			y, err = Linear(x, w, b)
		} else {
			var xw *G.Node
			xw, err = G.Mul(x, w)
			must(t, err)
			y, err = G.BroadcastAdd(xw, b, nil, []byte{0})
		}
		must(t, err)
		prod, err := G.HadamardProd(y, c)
		must(t, err)
		loss, err := G.Sum(prod)
		must(t, err)
		grads, err := G.Grad(loss, x, w, b)
		must(t, err)
		return g, grads, y
	}
	g1, grads1, y1 := build(true)
	g2, grads2, y2 := build(false)
	m1, m2 := G.NewTapeMachine(g1), G.NewTapeMachine(g2)
	for run := range 3 {
		must(t, m1.RunAll())
		must(t, m2.RunAll())
		for i, pair := range [][2]*G.Node{{y1, y2}, {grads1[0], grads2[0]}, {grads1[1], grads2[1]}, {grads1[2], grads2[2]}} {
			a, b := pair[0].Value().Data().([]float32), pair[1].Value().Data().([]float32)
			if !slices.Equal(a, b) {
				t.Fatalf("run %d, value %d (y, dx, dW, db): ours and Gorgonia's differ", run, i)
			}
		}
		m1.Reset()
		m2.Reset()
	}
}

func matrix(g *G.ExprGraph, name string, rows, cols int, v ...float32) *G.Node {
	return G.NewMatrix(g, tensor.Float32, G.WithName(name), G.WithShape(rows, cols),
		G.WithValue(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(slices.Clone(v)))))
}
