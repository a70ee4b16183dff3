package nn

import (
	"math"

	"github.com/viterin/vek/vek32"
)

// The loops behind sigmoidOp, in float64 (the definition) and float32 (a
// block at a time, with vek's AVX2 exp and this package's AVX2 kernels);
// bce_kernel.go says why neither overflows.

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
	for lo := 0; lo < len(l); lo += block {
		ls, ss := l[lo:min(lo+block, len(l))], s[lo:]
		e := ss[:len(ls)]
		negAbsFloor32(e, ls)
		vek32.Exp_Inplace(e)
		sigmoidFromExp32(e, ls)
		keepNaN(e, ls)
	}
}

// keepNaN sets dst[i] = a[i] where a[i] is NaN: vek's exp takes NaN to a
// number, and a NaN in must come out NaN (a Gaussian decoder's loss reads
// the sigmoid, and the trainer's non-finite check must see it).
func keepNaN(dst, a []float32) {
	dst = dst[:len(a)]
	for i, ai := range a {
		if ai != ai {
			dst[i] = ai
		}
	}
}

// negAbsFloorGo sets e = -|l|, held above -87: vek's AVX2 exp is not
// defined below (it returns huge values there), and exp(-87) ≈ 1.6e-38 is
// still a normal float32. The reference of the AVX2 kernel.
func negAbsFloorGo(e, l []float32) {
	for i, li := range l {
		e[i] = max(-math.Float32frombits(math.Float32bits(li)&^(1<<31)), -87)
	}
}

// sigmoidFromExpGo turns e = exp(-|l|) into sigmoid(l) in place. The
// reference of the AVX2 kernel.
func sigmoidFromExpGo(e, l []float32) {
	for i, li := range l {
		si := 1 / (1 + e[i])
		if li < 0 {
			si *= e[i]
		}
		e[i] = si
	}
}
