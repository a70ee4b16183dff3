package train

import (
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/streams"
	"github.com/govae/govae/model"
)

// The benchmarks run the reference model on real MNIST with the BLAS that
// GOVAE_BLAS picks (OpenBLAS when installed; see TestMain). Compare the two paths with
//
//	go test ./train -run '^$' -bench . -benchmem -count 5
//	GOVAE_BLAS=go go test ./train -run '^$' -bench . -benchmem -count 5

func benchTrainer(b *testing.B) *Trainer {
	return benchTrainerOf(b, config.Default())
}

func benchTrainerOf(b *testing.B, cfg config.Config) *Trainer {
	b.Helper()
	cfg, d, err := LoadData(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	t, err := NewTrainer(plan(b, cfg), d.Train, d.Test)
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// BenchmarkTrainStep is one step of 128 images: forward, backward, Adam.
func BenchmarkTrainStep(b *testing.B) { benchmarkStep(b, benchTrainer(b)) }

// BenchmarkConvTrainStep is a step of the conv model (configs/mnist-conv.yaml).
func BenchmarkConvTrainStep(b *testing.B) {
	cfg := config.Default()
	cfg.Arch, cfg.HiddenSize = "conv", 256
	benchmarkStep(b, benchTrainerOf(b, cfg))
}

func benchmarkStep(b *testing.B, t *Trainer) {
	m, err := newMachine(t.Params, 128, true, t.Settings.Objective)
	if err != nil {
		b.Fatal(err)
	}
	batches := dataset.Batches(t.Train.Len(), 128, streams.New(1, streams.Shuffle, 1))
	noise := streams.New(1, streams.Noise, 1)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := m.step(images{set: t.Train}, batches[i%468], t.batchNoise(noise, len(batches[i%468]), 1), 1, t.Adam); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*128)/b.Elapsed().Seconds(), "images/s")
}

// BenchmarkEvaluate is the loss over all 10,000 test images, no gradients.
func BenchmarkEvaluate(b *testing.B) {
	t := benchTrainer(b)
	for b.Loop() {
		if _, err := t.Evaluate(t.Test); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode10000 decodes 10,000 codes from the prior into images.
func BenchmarkDecode10000(b *testing.B) {
	t := benchTrainer(b)
	z := make([]float32, 10000*t.Settings.Model.Latent)
	model.FillNormal(z, streams.New(1, streams.Samples, 0))
	for b.Loop() {
		if _, err := t.model.Decode(z, nil); err != nil {
			b.Fatal(err)
		}
	}
}
