// Package mathf32 evaluates exp and log1p over slices of float32, for the
// loops of the model's loss that run once per pixel per step.
//
// Go's math package works in float64, one call per value, and a loop that
// converts each float32 to float64 and chains exp into log1p runs at the
// latency of those calls (the conversion's false dependency on its register
// links every iteration to the last). These functions stay in float32,
// evaluate Cephes's minimax polynomials for expf and logf, and work through a
// slice one formula at a time, so the CPU overlaps independent elements:
// about twice as fast as math.Exp and math.Log1p here (BenchmarkExpNeg,
// BenchmarkLog1p), within 2 ulp of the float64 results (TestAccuracy).
//
// Only the domains the model needs are covered: ExpNeg takes x ≤ 0 and Log1p
// takes x in [-½, 1], which is all that the sigmoid and the binary
// cross-entropy need when written with e = exp(-|l|).
package mathf32
