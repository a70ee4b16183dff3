package nn

import (
	"math"

	"github.com/viterin/vek/vek32"
)

// The loops behind bceOp and bceGradOp, and beside them those of sigmoidOp
// (sigmoid_kernel.go), which they share. With e = exp(-|l|),
//
//	sigmoid(l)  = 1/(1 + e) for l ≥ 0, e/(1 + e) for l < 0
//	softplus(l) = max(l, 0) + log(1 + e) = max(l, 0) - log(max(s, 1-s)), s = sigmoid(l)
//
// neither overflows nor loses small terms for any l. The float64 versions
// are the definitions, one value at a time with package math. The float32
// versions, which training runs, take exp and log a block at a time from
// github.com/viterin/vek, whose AVX2 code does eight values an instruction,
// and take the loss's log from the
// sigmoid the graph has already computed, so that a step evaluates one exp
// and one log per pixel. Tests hold the two versions to each other.

// block is how many values a pass covers: a stack buffer that stays in L1.
const block = 256

// bceSum64 is Σ softplus(l) - x·l over all pixels.
func bceSum64(l, x []float64) float64 {
	var sum float64
	for i, li := range l {
		sum += max(li, 0) + math.Log1p(math.Exp(-math.Abs(li))) - x[i]*li
	}
	return sum
}

// bceSum32 is bceSum64 in float32, with softplus(l) from s = sigmoid(l):
// log(1 + e^-|l|) = -log(max(s, 1-s)), a log of a value in [½, 1]. Where
// e^-|l| is below float32's resolution near 1 the term rounds to 0, an error
// of at most 6e-8 a pixel. Blocks are summed in float64.
func bceSum32(s, l, x []float32) float64 {
	var buf [block]float32
	var sum float64
	for lo := 0; lo < len(l); lo += block {
		ls, ss, xs := l[lo:min(lo+block, len(l))], s[lo:], x[lo:]
		a := buf[:len(ls)]
		for i, si := range ss[:len(ls)] {
			a[i] = max(si, 1-si)
		}
		vek32.Log_Inplace(a)
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

// BernoulliLogLikelihoods writes, for each row of logits (a decoder's output before
// its sigmoid, width len(x) each), the log-likelihood of the pixels x under
// the Bernoulli decoder: log p(x|z) = Σ x·l − softplus(l), the negative of
// the loss's BCE, from bceTerms32.
func BernoulliLogLikelihoods(dst []float64, logits, x []float32) {
	for i := range dst {
		dst[i] = -bceTerms32(logits[i*len(x):(i+1)*len(x)], x)
	}
}

// bceTerms32 is bceSum64 in float32 without a sigmoid to start from, as the
// importance-sampled likelihood needs it thousands of times an image: each
// pass over a block of pixels is an AVX2 kernel (vek's exp and log, and
// kernels_amd64.s). softplus(l) =
// max(l, 0) + log(1 + e^-|l|), the log rounding to 0 where e^-|l| is below
// float32's resolution near 1 (an error of at most 6e-8 a pixel, as in
// bceSum32). Each pixel's terms are combined before they are summed, so a
// confident right answer still cancels to its small log term; blocks are
// summed in float64.
func bceTerms32(l, x []float32) float64 {
	var e [block]float32
	var sum float64
	for lo := 0; lo < len(l); lo += block {
		ls := l[lo:min(lo+block, len(l))]
		es := e[:len(ls)]
		negAbsFloor32(es, ls) // where vek's exp is defined (see sigmoid32)
		vek32.Exp_Inplace(es)
		vek32.AddNumber_Inplace(es, 1)
		vek32.Log_Inplace(es) // log(1 + e^-|l|)
		sum += float64(bceTail32(ls, x[lo:lo+len(ls)], es))
	}
	return sum
}

// bceTailGo is Σ (max(l, 0) - x·l) + e, the BCE's terms given e = log(1 +
// e^-|l|): max(l, 0) - x·l first, 0 for a confident right answer, so the
// small log term survives.
func bceTailGo(l, x, e []float32) float32 {
	var sum float32
	for i, li := range l {
		sum += max(li, 0) - x[i]*li + e[i]
	}
	return sum
}
