// Package parallel cuts work over the CPUs this process may use. There is
// one notion of that number, GOMAXPROCS, which the Go runtime sets to the
// machine's CPUs (or to a container's quota) and which a process sharing a
// machine with others may set lower; every package that runs work on several
// goroutines asks CPUs, and cuts it with Ranges or Each.
package parallel

import (
	"runtime"
	"sync"
)

// CPUs is how many CPUs the process may use at once: GOMAXPROCS.
func CPUs() int { return runtime.GOMAXPROCS(0) }

// Parts is how many parts Ranges cuts n items into: one per CPU, at most n,
// at least 1.
func Parts(n int) int { return max(1, min(CPUs(), n)) }

// Ranges calls f(part, lo, hi) on parts consecutive ranges [lo, hi) of n
// items, all at once, and waits for them. The ranges depend only on n and
// parts: range p is [p·n/parts, (p+1)·n/parts).
func Ranges(n, parts int, f func(part, lo, hi int)) {
	parts = max(1, min(parts, n))
	if parts == 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Go(func() { f(p, lo, hi) })
	}
	wg.Wait()
}

// Each calls f(worker, i) for every i in [0, n), from up to workers
// goroutines (worker is which one, in [0, workers)), each taking the next
// i as it finishes one: for items of unequal cost. A worker stops at its
// first error; Each returns the error of the first item, in item order, that
// failed.
func Each(n, workers int, f func(worker, i int) error) error {
	workers = max(1, min(workers, n))
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range next {
				if errs[i] = f(w, i); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
