package optimizer

import (
	"errors"
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Adam is the Adam optimizer (Kingma & Ba 2014) as a Gorgonia Solver. It
// takes the same steps as G.NewAdamSolver (a test checks this) but updates the
// weights in place and keeps its state in exported fields, so a checkpoint can
// save and restore it exactly; Gorgonia's solver hides its moments.
//
// For each weight w with gradient g, at step t:
//
//	m ← β1·m + (1-β1)·g        v ← β2·v + (1-β2)·g²
//	w ← w - lr · (m / (1-β1ᵗ)) / (√(v / (1-β2ᵗ)) + ε)
//
// Unlike Gorgonia's solvers it does not zero g: the gradients come from
// graph nodes that every run computes anew (see Gradients).
type Adam struct {
	LR, Beta1, Beta2, Eps float64

	State
}

// State is what Adam learns as it steps, all a checkpoint needs to continue
// exactly: the step count and the moments.
type State struct {
	Iter int         // steps taken (t)
	M, V [][]float32 // first and second moments, one slice per weight tensor
}

// NewAdam returns an optimizer with no steps taken.
func NewAdam(lr, beta1, beta2, eps float64) *Adam {
	return &Adam{LR: lr, Beta1: beta1, Beta2: beta2, Eps: eps}
}

// ErrNonFinite is returned, before any weight changes, when a gradient holds
// NaN or ±Inf.
var ErrNonFinite = errors.New("not finite")

// Step applies one update to every weight from its gradient. If any gradient
// holds NaN or ±Inf it changes nothing and returns an error wrapping
// ErrNonFinite.
func (a *Adam) Step(model []G.ValueGrad) error {
	if err := checkFinite(model); err != nil {
		return err
	}
	if a.M == nil {
		a.M = make([][]float32, len(model))
		a.V = make([][]float32, len(model))
	}
	if len(a.M) != len(model) {
		return fmt.Errorf("adam: state holds %d tensors, model has %d", len(a.M), len(model))
	}
	a.Iter++
	lrHat := float32(a.LR / (1 - math.Pow(a.Beta1, float64(a.Iter))))
	vCorr := float32(1 / (1 - math.Pow(a.Beta2, float64(a.Iter))))
	k := newAdamStep(a, lrHat, vCorr)
	for i, vg := range model {
		w, g, err := weightAndGrad(vg)
		if err != nil {
			return fmt.Errorf("adam: tensor %d: %w", i, err)
		}
		if a.M[i] == nil {
			a.M[i] = make([]float32, len(w))
			a.V[i] = make([]float32, len(w))
		}
		m, v := a.M[i], a.V[i]
		if len(m) != len(w) {
			return fmt.Errorf("adam: tensor %d has %d values, state has %d", i, len(w), len(m))
		}
		inHalves(len(w), func(lo, hi int) { k.update(w[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi]) })
	}
	return nil
}

// adamStep holds the coefficients of one step, in the layout the AVX2
// kernel (adam_amd64.s) reads.
type adamStep struct {
	b1, b2, lrHat, vCorr, eps float32
	c1, c2                    float32 // 1 - b1, 1 - b2
	tiny                      float32 // tinyMoment
}

func newAdamStep(a *Adam, lrHat, vCorr float32) *adamStep {
	b1, b2 := float32(a.Beta1), float32(a.Beta2)
	return &adamStep{b1: b1, b2: b2, lrHat: lrHat, vCorr: vCorr, eps: float32(a.Eps), c1: 1 - b1, c2: 1 - b2, tiny: tinyMoment}
}

// updateGo moves the weights w by their gradients g, updating the moments m
// and v: the reference that the AVX2 kernel matches bit for bit.
func (k *adamStep) updateGo(w, g, m, v []float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for j, gj := range g {
		mj := flush(k.b1*m[j] + k.c1*gj)
		vj := flush(k.b2*v[j] + k.c2*gj*gj)
		m[j], v[j] = mj, vj
		w[j] -= k.lrHat * mj / (float32(math.Sqrt(float64(vj*k.vCorr))) + k.eps)
	}
}

// inHalves runs f on the two halves of [0, n) at once when n is large.
// Adam's passes over the big weight matrices are bound by memory bandwidth,
// of which one core draws only a part (the README's speed section has the
// figures).
func inHalves(n int, f func(lo, hi int)) {
	if n < 1<<15 {
		f(0, n)
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(n/2, n)
	}()
	f(0, n/2)
	<-done
}

// tinyMoment is where Adam's moments become 0.
const tinyMoment = 1e-32

// flush returns 0 for |x| < tinyMoment. The moments of a weight whose
// gradient stays 0, such as fc1's weights for pixels that are black in
// almost every image, shrink by β1 or β2 each step and would spend hundreds
// of steps as subnormal numbers, on which float arithmetic is many times
// slower. Their updates were already far below float32's resolution of the
// weights they change.
func flush(x float32) float32 {
	if x < tinyMoment && x > -tinyMoment {
		return 0
	}
	return x
}

// checkFinite scans every gradient for NaN and ±Inf.
func checkFinite(model []G.ValueGrad) error {
	for i, vg := range model {
		_, g, err := weightAndGrad(vg)
		if err != nil {
			return fmt.Errorf("adam: tensor %d: %w", i, err)
		}
		if !nonFinite(g) {
			continue
		}
		name := fmt.Sprintf("tensor %d", i)
		if n, ok := vg.(interface{ Name() string }); ok {
			name = n.Name()
		}
		for _, v := range g {
			if v-v != 0 {
				return fmt.Errorf("gradient of %s is %v: %w", name, v, ErrNonFinite)
			}
		}
	}
	return nil
}

// nonFiniteGo reports whether g holds a NaN or ±Inf.
func nonFiniteGo(g []float32) bool {
	for _, v := range g {
		if v-v != 0 { // NaN or ±Inf
			return true
		}
	}
	return false
}

// weightAndGrad returns the float32 backing slices of a weight and its gradient.
func weightAndGrad(vg G.ValueGrad) (w, g []float32, err error) {
	grad, err := vg.Grad()
	if err != nil {
		return nil, nil, err
	}
	wt, ok1 := vg.Value().(*tensor.Dense)
	gt, ok2 := grad.(*tensor.Dense)
	if !ok1 || !ok2 || wt.Dtype() != tensor.Float32 || gt.Dtype() != tensor.Float32 {
		return nil, nil, fmt.Errorf("want float32 dense tensors, have %T and %T", vg.Value(), grad)
	}
	return wt.Float32s(), gt.Float32s(), nil
}
