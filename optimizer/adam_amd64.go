package optimizer

import "golang.org/x/sys/cpu"

// hasAVX2 says whether this CPU runs the AVX2 kernels of adam_amd64.s.
var hasAVX2 = cpu.X86.HasAVX2

//go:noescape
func adamAVX2(w, g, m, v []float32, k *adamStep)

//go:noescape
func nonFiniteAVX2(g []float32) bool

// update is updateGo with the multiple-of-8 front of the slices done eight
// at a time.
func (k *adamStep) update(w, g, m, v []float32) {
	n := 0
	if hasAVX2 {
		n = len(w) &^ 7
		adamAVX2(w[:n], g[:n], m[:n], v[:n], k)
	}
	k.updateGo(w[n:], g[n:], m[n:], v[n:])
}

// nonFinite reports whether g holds a NaN or ±Inf.
func nonFinite(g []float32) bool {
	n := 0
	if hasAVX2 {
		n = len(g) &^ 7
		if nonFiniteAVX2(g[:n]) {
			return true
		}
	}
	return nonFiniteGo(g[n:])
}
