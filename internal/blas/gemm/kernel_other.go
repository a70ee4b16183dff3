//go:build !amd64

package gemm

import "unsafe"

// best is kernel_amd64.s's 6×16 tile in Go, for other CPUs (where
// Available is false and goblas leaves Sgemm to gonum; tests still run it).
var best = kernel{"Go 6×16", nr, kernel6x16}

// kernels are the kernels this CPU runs, for the tests.
func kernels() map[string]kernel { return map[string]kernel{"go": best} }

const nr = 16

func kernel6x16(kc int, a, b, c *float32, ldc int, accumulate bool) {
	as, bs, cs := unsafe.Slice(a, kc*mr), unsafe.Slice(b, kc*nr), unsafe.Slice(c, (mr-1)*ldc+nr)
	var t [mr * nr]float32
	for p := range kc {
		for r := range mr {
			av := as[p*mr+r]
			for j, bv := range bs[p*nr : (p+1)*nr] {
				t[r*nr+j] += av * bv
			}
		}
	}
	for r := range mr {
		row := cs[r*ldc : r*ldc+nr]
		for j, v := range t[r*nr : (r+1)*nr] {
			if accumulate {
				row[j] += v
			} else {
				row[j] = v
			}
		}
	}
}
