//go:build !amd64

package nn

func negAbsFloor32(dst, l []float32)      { negAbsFloorGo(dst, l) }
func sigmoidFromExp32(s, l []float32)     { sigmoidFromExpGo(s, l) }
func maskNegatives32(dst, v, a []float32) { maskNegatives(dst, v, a) }
func bceTail32(l, x, e []float32) float32 { return bceTailGo(l, x, e) }
