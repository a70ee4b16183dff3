package serve

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govae/govae/internal/testkit/fixture"
)

var loadFor = flag.Duration("load-duration", 3*time.Second, "how long each scenario of TestLoad runs")

// TestLoad runs 32 clients against a server on loopback, each sending its
// next request as soon as the last is answered, for -load-duration per
// scenario (and at most 200,000 requests): a one-code decode, then samples
// of 64. It requires every answer to be a 200 and the live heap not to grow
// over the run, and logs throughput and latency (p50, p99):
//
//	go test ./serve -run TestLoad -v -load-duration 20s
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	base, stop := referenceServer(t)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}

	z := "[" + strings.TrimSuffix(strings.Repeat("0.3,", 20), ",") + "]"
	scenarios := []struct{ name, path, body string }{
		{"decode one code", "/v1/decode", `{"z": [` + z + `]}`},
		{"sample 64", "/v1/sample", `{"n": 64, "seed": 1}`},
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var heaps []uint64
	for _, sc := range scenarios {
		r := load(t, client, base+sc.path, sc.body, 32, *loadFor, 200000)
		heaps = append(heaps, heap())
		t.Logf("%s, 32 clients, %v: %d requests, %.0f/s, p50 %.1f ms, p99 %.1f ms, errors %d",
			sc.name, *loadFor, r.n, float64(r.n)/r.elapsed.Seconds(), ms(r.p(0.50)), ms(r.p(0.99)), r.errors)
		if r.errors > 0 {
			t.Errorf("%s: %d errors, first: %s", sc.name, r.errors, r.firstError)
		}
	}
	// A second round of the first scenario: the live heap after it is
	// where it was after the first.
	load(t, client, base+scenarios[0].path, scenarios[0].body, 32, *loadFor, 200000)
	if end := heap(); end > heaps[0]+32<<20 {
		t.Errorf("live heap grew from %d MB to %d MB", heaps[0]>>20, end>>20)
	}
	stop()
}

// referenceServer runs a server of the reference model's sizes (random
// weights cost the same) on loopback, and returns its URL and a function
// that shuts it down, failing the test if that fails.
func referenceServer(t *testing.T) (base string, stop func()) {
	t.Helper()
	m := fixture.Reference(t)
	ctx, cancel := context.WithCancel(t.Context())
	addr := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- New(m, Options{}).Run(ctx, "127.0.0.1:0", func(a string) { addr <- a }) }()
	return "http://" + <-addr, func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}
}

type loadResult struct {
	n, errors  int
	firstError string
	latencies  []time.Duration
	elapsed    time.Duration
}

func (r loadResult) p(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(q*float64(len(r.latencies))))]
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// load runs clients that post body to url back to back until the time or
// the request budget is spent.
func load(t *testing.T, client *http.Client, url, body string, clients int, d time.Duration, budget int) loadResult {
	var mu sync.Mutex
	var r loadResult
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			errs, first := 0, ""
			for time.Now().Before(deadline) {
				mu.Lock()
				if r.n >= budget {
					mu.Unlock()
					break
				}
				r.n++
				mu.Unlock()
				t0 := time.Now()
				res, err := client.Post(url, "application/json", strings.NewReader(body))
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != 200 {
						err = fmt.Errorf("status %d", res.StatusCode)
					}
				}
				mine = append(mine, time.Since(t0))
				if err != nil {
					if errs == 0 {
						first = err.Error()
					}
					errs++
				}
			}
			mu.Lock()
			r.latencies = append(r.latencies, mine...)
			r.errors += errs
			if r.firstError == "" {
				r.firstError = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	slices.Sort(r.latencies)
	return r
}
