// Package parallel splits element-wise loops between the CPU's cores. The
// split is contiguous and depends only on the length and GOMAXPROCS, so
// results that are summed come out the same on every run.
package parallel

import (
	"runtime"
	"sync"
)

// MinChunk is the smallest range worth a goroutine of its own.
const MinChunk = 1 << 14

// Ranges calls f on contiguous ranges [lo, hi) that cover [0, n), in
// parallel, and returns when all are done.
func Ranges(n int, f func(lo, hi int)) {
	split(n, func(_, lo, hi int) { f(lo, hi) })
}

// Sum adds what f returns for the ranges of [0, n), the partial sums added
// in range order.
func Sum(n int, f func(lo, hi int) float64) float64 {
	sums := make([]float64, parts(n))
	split(n, func(p, lo, hi int) { sums[p] = f(lo, hi) })
	var total float64
	for _, s := range sums {
		total += s
	}
	return total
}

// parts is how many ranges n items are split into.
func parts(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/MinChunk))
}

// split runs f(p, lo, hi) for range p of parts(n), each on its own goroutine.
func split(n int, f func(p, lo, hi int)) {
	k := parts(n)
	if k == 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for p := range k {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			f(p, p*n/k, (p+1)*n/k)
		}(p)
	}
	wg.Wait()
}
