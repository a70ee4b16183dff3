package model

import (
	"math"

	"github.com/govae/govae/internal/mathf32"
)

// The loops behind sigmoidOp, bceOp and bceGradOp. With e = exp(-|l|),
//
//	sigmoid(l)  = 1/(1 + e) for l ≥ 0, e/(1 + e) for l < 0
//	softplus(l) = max(l, 0) + log(1 + e) = max(l, 0) - log(max(s, 1-s)), s = sigmoid(l)
//
// neither overflows nor loses small terms for any l. The float64 versions
// are the definitions, one value at a time with package math; the float32
// versions, which training runs, work a block at a time with package mathf32
// and take the loss's log from the sigmoid the graph has already computed, so
// that a step evaluates one exp and one log per pixel. Tests hold the two to
// each other.

// sigmoid64 sets s = sigmoid(l).
func sigmoid64(s, l []float64) {
	for i, li := range l {
		e := math.Exp(-math.Abs(li))
		s[i] = 1 / (1 + e)
		if li < 0 {
			s[i] *= e
		}
	}
}

// sigmoid32 is sigmoid64 in float32.
func sigmoid32(s, l []float32) {
	for lo := 0; lo < len(l); lo += mathf32.Block {
		ls, ss := l[lo:min(lo+mathf32.Block, len(l))], s[lo:]
		e := ss[:len(ls)]
		for i, li := range ls {
			e[i] = -math.Float32frombits(math.Float32bits(li) &^ (1 << 31)) // -|l|
		}
		mathf32.ExpNeg(e, e)
		for i, li := range ls {
			si := 1 / (1 + e[i])
			if li < 0 {
				si *= e[i]
			}
			e[i] = si
		}
	}
}

// bceSum64 is Σ softplus(l) - x·l over all pixels.
func bceSum64(l, x []float64) float64 {
	var sum float64
	for i, li := range l {
		sum += max(li, 0) + math.Log1p(math.Exp(-math.Abs(li))) - x[i]*li
	}
	return sum
}

// bceSum32 is bceSum64 in float32, with softplus(l) from s = sigmoid(l):
// log(max(s, 1-s)) = log1p(s-1) for l ≥ 0 and log1p(-s) for l < 0, whose
// arguments in [-½, 0] are exact. Blocks are summed in float64.
func bceSum32(s, l, x []float32) float64 {
	var buf [mathf32.Block]float32
	var sum float64
	for lo := 0; lo < len(l); lo += mathf32.Block {
		ls, ss, xs := l[lo:min(lo+mathf32.Block, len(l))], s[lo:], x[lo:]
		a := buf[:len(ls)]
		for i, li := range ls {
			if li >= 0 {
				a[i] = ss[i] - 1
			} else {
				a[i] = -ss[i]
			}
		}
		mathf32.Log1p(a, a)
		var block float32
		for i, li := range ls {
			// max(l, 0) - x·l first: for a confident right answer the two
			// cancel exactly and the small log term survives.
			block += max(li, 0) - xs[i]*li - a[i]
		}
		sum += float64(block)
	}
	return sum
}

// bceGrad sets d = (s - x)·g: the gradient of g·bce with respect to the
// logits, given s = sigmoid(logits).
func bceGrad[T float32 | float64](d, s, x []T, g T) {
	d, x = d[:len(s)], x[:len(s)]
	for i, si := range s {
		d[i] = (si - x[i]) * g
	}
}
