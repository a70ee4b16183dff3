//go:build !amd64

package optimizer

func (k *adamStep) update(w, g, m, v []float32) { k.updateGo(w, g, m, v) }

func nonFinite(g []float32) bool { return nonFiniteGo(g) }
