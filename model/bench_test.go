package model

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/govae/govae/internal/blas/openblas"
	"gorgonia.org/tensor"
)

// BenchmarkConcurrentDecode decodes from many goroutines at once (as a
// server would), with the model's graphs pooled, as many running at once as
// there are CPUs, or serialised on one. Compare with
//
//	go test ./model -run '^$' -bench ConcurrentDecode -cpu 2 -count 5
func BenchmarkConcurrentDecode(b *testing.B) {
	if _, err := openblas.Use(); err != nil {
		b.Fatal(err)
	}
	p, err := NewParams(Config{Input: 784, Hidden: 400, Latent: 20}, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	for _, codes := range []int{1, 64} {
		for _, c := range []struct {
			name       string
			concurrent int
		}{{"pooled", runtime.GOMAXPROCS(0)}, {"serialised", 1}} {
			b.Run(fmt.Sprintf("codes=%d/%s", codes, c.name), func(b *testing.B) {
				m, err := newModel(p, c.concurrent)
				if err != nil {
					b.Fatal(err)
				}
				z := make([]float32, codes*20)
				FillNormal(z, rand.New(rand.NewPCG(2, 2)))
				b.SetParallelism(16) // 16 goroutines per CPU
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := m.Decode(z, nil); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}
