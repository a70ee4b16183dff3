package model

import (
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestAddBiasByHand runs x·W + b's "+ b" and its gradients on a float32
// batch small enough to check by hand.
func TestAddBiasByHand(t *testing.T) {
	g := G.NewGraph()
	a := G.NewMatrix(g, tensor.Float32, G.WithName("a"), G.WithShape(2, 3),
		G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))))
	b := G.NewMatrix(g, tensor.Float32, G.WithName("b"), G.WithShape(1, 3),
		G.WithValue(tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float32{10, 20, 30}))))
	c := G.NewMatrix(g, tensor.Float32, G.WithName("c"), G.WithShape(2, 3),
		G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, -2, 0.5}))))
	y, err := addBias(a, b)
	must(t, err)
	prod, err := G.HadamardProd(y, c)
	must(t, err)
	loss, err := G.Sum(prod) // Σ c ⊙ (a + b): ∂/∂a = c, ∂/∂b = Σ rows of c
	must(t, err)
	grads, err := G.Grad(loss, a, b)
	must(t, err)
	must(t, G.NewTapeMachine(g).RunAll())

	for _, tt := range []struct {
		name string
		got  *G.Node
		want []float32
	}{
		{"a + b", y, []float32{11, 22, 33, 14, 25, 36}},
		{"∂/∂a", grads[0], []float32{1, 2, 3, 4, -2, 0.5}},
		{"∂/∂b", grads[1], []float32{5, 0, 3.5}},
	} {
		if got := tt.got.Value().Data().([]float32); !slices.Equal(got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
	if s := grads[1].Shape(); !s.Eq(tensor.Shape{1, 3}) {
		t.Errorf("∂/∂b has shape %v, want (1, 3)", s)
	}
}
