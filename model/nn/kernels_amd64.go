package nn

import "golang.org/x/sys/cpu"

// hasAVX2 says whether this CPU runs the kernels of kernels_amd64.s.
var hasAVX2 = cpu.X86.HasAVX2

//go:noescape
func negAbsFloorAVX2(dst, l []float32)

//go:noescape
func sigmoidFromExpAVX2(s, l []float32)

//go:noescape
func maskNegativesAVX2(dst, v, a []float32)

//go:noescape
func bceTailAVX2(l, x, e []float32) float32

// negAbsFloor32 sets dst = max(-|l|, -87): the exponent of sigmoid32's exp.
func negAbsFloor32(dst, l []float32) {
	n := 0
	if hasAVX2 {
		n = len(l) &^ 7
		negAbsFloorAVX2(dst[:n], l[:n])
	}
	negAbsFloorGo(dst[n:len(l)], l[n:])
}

// sigmoidFromExp32 turns s = exp(-|l|) into sigmoid(l).
func sigmoidFromExp32(s, l []float32) {
	n := 0
	if hasAVX2 {
		n = len(l) &^ 7
		sigmoidFromExpAVX2(s[:n], l[:n])
	}
	sigmoidFromExpGo(s[n:len(l)], l[n:])
}

// maskNegatives32 sets dst = v ⊙ [a ≥ 0].
func maskNegatives32(dst, v, a []float32) {
	n := 0
	if hasAVX2 {
		n = len(dst) &^ 7
		maskNegativesAVX2(dst[:n], v[:n], a[:n])
	}
	maskNegatives(dst[n:], v[n:len(dst)], a[n:len(dst)])
}

// bceTail32 is Σ (max(l, 0) - x·l) + e: the BCE's terms summed, given
// e = log(1 + e^-|l|).
func bceTail32(l, x, e []float32) float32 {
	n := 0
	var sum float32
	if hasAVX2 {
		n = len(l) &^ 7
		sum = bceTailAVX2(l[:n], x[:n], e[:n])
	}
	return sum + bceTailGo(l[n:], x[n:len(l)], e[n:len(l)])
}
