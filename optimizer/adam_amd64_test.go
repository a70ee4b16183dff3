package optimizer

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAVX2KernelIsTheLoop runs the AVX2 update and the Go loop on copies of
// the same state (ordinary values, moments about to flush to 0, gradients of
// 0) over many steps, and checks every weight and moment bit for bit.
func TestAVX2KernelIsTheLoop(t *testing.T) {
	if !hasAVX2 {
		t.Skip("this CPU has no AVX2; the Go loop runs alone")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 7, 8, 9, 64, 1000, 4099} {
		w, g, m, v := randomState(rng, n)
		w2, m2, v2 := clone(w), clone(m), clone(v)
		a := NewAdam(0.003, 0.9, 0.999, 1e-8)
		for step := 1; step <= 50; step++ {
			k := newAdamStep(a, float32(a.LR/(1-math.Pow(a.Beta1, float64(step)))), float32(1/(1-math.Pow(a.Beta2, float64(step)))))
			k.update(w, g, m, v)
			k.updateGo(w2, g, m2, v2)
			for i := range w {
				if math.Float32bits(w[i]) != math.Float32bits(w2[i]) || math.Float32bits(m[i]) != math.Float32bits(m2[i]) ||
					math.Float32bits(v[i]) != math.Float32bits(v2[i]) {
					t.Fatalf("n %d, step %d, value %d: kernel w %v m %v v %v, loop w %v m %v v %v", n, step, i, w[i], m[i], v[i], w2[i], m2[i], v2[i])
				}
			}
			for i := range g { // some gradients vanish, so their moments decay to the flush
				if i%5 == 0 {
					g[i] = 0
				} else {
					g[i] = float32(rng.NormFloat64())
				}
			}
		}
	}
}

func randomState(rng *rand.Rand, n int) (w, g, m, v []float32) {
	w, g, m, v = make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range w {
		w[i], g[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64()*1e-3)
		m[i], v[i] = float32(rng.NormFloat64()*1e-3), float32(rng.Float64()*1e-6)
		if i%3 == 0 {
			m[i], v[i], g[i] = 2e-32, 1.5e-32, 0 // one step from the flush
		}
	}
	return w, g, m, v
}

func clone(x []float32) []float32 { return append([]float32(nil), x...) }

// TestNonFiniteFindsEveryPosition puts one NaN, +Inf or -Inf at each position
// of slices of several lengths (the AVX2 front and the Go tail).
func TestNonFiniteFindsEveryPosition(t *testing.T) {
	bad := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
	for _, n := range []int{1, 8, 13, 40} {
		g := make([]float32, n)
		for i := range g {
			g[i] = float32(i) - 3.5
		}
		if nonFinite(g) {
			t.Fatalf("n %d: finite values reported as not finite", n)
		}
		for i := range g {
			for _, b := range bad {
				keep := g[i]
				g[i] = b
				if !nonFinite(g) {
					t.Errorf("n %d: %v at %d not found", n, b, i)
				}
				g[i] = keep
			}
		}
	}
}
