package mathf32

import "math"

// Block is the most values ExpNeg works on per call; longer slices are
// taken a block at a time. It sizes the scratch space kept on the stack.
const Block = 256

// Splitting ln 2 into a part exact in float32 and a small remainder keeps
// x - n·ln2 exact for the n that occur (Cody and Waite's reduction).
const (
	ln2Hi      = 0.693359375
	ln2Lo      = -2.12194440e-4
	log2e      = 1.44269504088896341
	sqrt2m1    = 0.41421356  // √2 - 1
	sqrtHalfm1 = -0.29289322 // √½ - 1
	minExpIn   = -87         // exp(-87) ≈ 1.6e-38 is still a normal float32
)

// ExpNeg sets dst[i] = exp(x[i]) for x[i] ≤ 0. Arguments below -87 give
// exp(-87) ≈ 1.6e-38 rather than a subnormal or 0; positive arguments give
// wrong results. dst may be x itself.
func ExpNeg(dst, x []float32) {
	for lo := 0; lo < len(x); lo += Block {
		hi := min(lo+Block, len(x))
		expNegBlock(dst[lo:hi], x[lo:hi])
	}
}

// expNegBlock writes exp(x) = 2ⁿ·exp(r), n = round(x·log₂e), |r| ≤ ½ln2, in
// two passes: the reduction, then the polynomial and the scaling by 2ⁿ.
func expNegBlock(dst, x []float32) {
	var scale, rem [Block]float32
	s, r := scale[:len(x)], rem[:len(x)]
	// Adding 1.5·2²³ rounds to an integer, which then sits in the low
	// mantissa bits: n without a float-to-int conversion.
	const round = 12582912
	for i, v := range x {
		v = max(v, minExpIn)
		t := v*log2e + round
		n := t - round
		r[i] = v - n*ln2Hi - n*ln2Lo
		s[i] = math.Float32frombits((math.Float32bits(t) - math.Float32bits(round) + 127) << 23)
	}
	dst = dst[:len(x)]
	for i, v := range r {
		p := float32(1.9875691500e-4)
		p = p*v + 1.3981999507e-3
		p = p*v + 8.3334519073e-3
		p = p*v + 4.1665795894e-2
		p = p*v + 1.6666665459e-1
		p = p*v + 5.0000001201e-1
		dst[i] = (p*v*v + v + 1) * s[i]
	}
}

// Log1p sets dst[i] = log(1 + x[i]) for x[i] in [-½, 1], exact to float32
// rounding even where |x[i]| is far below float32's epsilon. dst may be x
// itself.
func Log1p(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		// log(1+x) = k·ln2 + log1p(z), with z in [√½-1, √2-1]: z = x
		// itself (k = 0); (x-1)/2 (k = 1) for 1+x above √2; 2x+1
		// (k = -1) for 1+x below √½. All three are exact in float32.
		z, k := v, float32(0)
		if v > sqrt2m1 {
			z, k = (v-1)*0.5, 1
		} else if v < sqrtHalfm1 {
			z, k = 2*v+1, -1
		}
		zz := z * z
		p := float32(7.0376836292e-2)
		p = p*z - 1.1514610310e-1
		p = p*z + 1.1676998740e-1
		p = p*z - 1.2420140846e-1
		p = p*z + 1.4249322787e-1
		p = p*z - 1.6668057665e-1
		p = p*z + 2.0000714765e-1
		p = p*z - 2.4999993993e-1
		p = p*z + 3.3333331174e-1
		dst[i] = z + (p*z*zz + k*ln2Lo - 0.5*zz) + k*ln2Hi
	}
}
