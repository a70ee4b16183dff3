package likelihood

import (
	"math/rand/v2"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// BenchmarkImageK5000 estimates one test image's likelihood with K = 5000
// under the reference model's sizes (untrained weights cost the same).
func BenchmarkImageK5000(b *testing.B) {
	cfg := config.Default()
	p, err := model.NewParams(cfg.Model(), tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	dir, err := dataset.DefaultDir()
	if err != nil {
		b.Fatal(err)
	}
	test, err := dataset.LoadTestSet(dir)
	if err != nil {
		b.Fatal(err)
	}
	x := test.Image(0)
	m, err := model.New(p)
	if err != nil {
		b.Fatal(err)
	}
	codes, err := m.Encode(x, nil)
	if err != nil {
		b.Fatal(err)
	}
	est, err := NewEstimator(p, DefaultChunk)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := est.Image(x, nil, codes.Mu, codes.Logvar, 5000, rand.New(rand.NewPCG(2, 2))); err != nil {
			b.Fatal(err)
		}
	}
}
