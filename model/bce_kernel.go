package model

import (
	"math"

	"github.com/govae/govae/internal/mathf32"
)

// The loops behind bceOp and bceGradOp. Both need e = exp(-|l|) per pixel:
//
//	softplus(l) = max(l, 0) + log(1 + e)
//	sigmoid(l)  = 1/(1 + e) for l ≥ 0, e/(1 + e) for l < 0
//
// which neither overflows nor loses small terms for any l. The float64
// versions are the definition, one pixel at a time with the math package;
// the float32 versions, which training runs, compute the same a block of
// pixels at a time with package mathf32 (a test holds them to each other).

// bceSum64 is Σ softplus(l) - x·l over all pixels.
func bceSum64(l, x []float64) float64 {
	var sum float64
	for i, li := range l {
		sum += max(li, 0) + math.Log1p(math.Exp(-math.Abs(li))) - x[i]*li
	}
	return sum
}

// bceGrad64 sets d = (sigmoid(l) - x)·g: the gradient of g·bce with respect
// to the logits.
func bceGrad64(d, l, x []float64, g float64) {
	for i, li := range l {
		e := math.Exp(-math.Abs(li))
		s := 1 / (1 + e)
		if li < 0 {
			s *= e
		}
		d[i] = (s - x[i]) * g
	}
}

// bceSum32 is bceSum64 in float32, summed in float64 block by block.
func bceSum32(l, x []float32) float64 {
	var buf [mathf32.Block]float32
	var sum float64
	for lo := 0; lo < len(l); lo += mathf32.Block {
		ls, xs := l[lo:min(lo+mathf32.Block, len(l))], x[lo:]
		e := buf[:len(ls)]
		expNegAbs(e, ls)
		mathf32.Log1p(e, e)
		var s float32
		for i, li := range ls {
			s += max(li, 0) + e[i] - xs[i]*li
		}
		sum += float64(s)
	}
	return sum
}

// bceGrad32 is bceGrad64 in float32.
func bceGrad32(d, l, x []float32, g float32) {
	var buf [mathf32.Block]float32
	for lo := 0; lo < len(l); lo += mathf32.Block {
		ls, xs, ds := l[lo:min(lo+mathf32.Block, len(l))], x[lo:], d[lo:]
		e := buf[:len(ls)]
		expNegAbs(e, ls)
		for i, li := range ls {
			s := 1 / (1 + e[i])
			if li < 0 {
				s *= e[i]
			}
			ds[i] = (s - xs[i]) * g
		}
	}
}

// expNegAbs sets e[i] = exp(-|l[i]|).
func expNegAbs(e, l []float32) {
	for i, li := range l {
		e[i] = -math.Float32frombits(math.Float32bits(li) &^ (1 << 31))
	}
	mathf32.ExpNeg(e, e)
}
