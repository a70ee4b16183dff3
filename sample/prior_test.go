package sample

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govae/govae/internal/npy"
	"github.com/govae/govae/model"
)

// Samples from a prior are the model's SampleFrom of it, in every format,
// and differ from those of N(0, I).
func TestSamplesFromAPrior(t *testing.T) {
	m := openTiny(t)
	d := m.Config().Latent
	prior := &model.Prior{Mean: make([]float64, d), Chol: make([]float64, d*d)}
	for i := range d {
		prior.Mean[i], prior.Chol[i*d+i] = 2, 0.5
	}
	want, err := m.SampleFrom(prior, 12, 3, model.NoLabel)
	if err != nil {
		t.Fatal(err)
	}
	standard, err := m.Sample(12, 3, model.NoLabel)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(want, standard) {
		t.Fatal("a prior of mean 2 decodes to the same pixels as N(0, I)")
	}
	dir := t.TempDir()
	if err := WriteSamples(t.Context(), filepath.Join(dir, "s.npy"), m, prior, 12, 3, model.NoLabel, 0, nil); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "s.npy"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, got, err := npy.Read(f, 1<<20); err != nil || !slices.Equal(got, want) {
		t.Errorf(".npy: %v, or its pixels are not SampleFrom's", err)
	}
	im, err := Samples(m, prior, 12, 3, model.NoLabel)
	if err != nil || !slices.Equal(im.Pixels, want) {
		t.Fatalf("Samples: %v, or its pixels are not SampleFrom's", err)
	}
	if err := Write(filepath.Join(dir, "want.png"), im); err != nil {
		t.Fatal(err)
	}
	if err := WriteSamples(t.Context(), filepath.Join(dir, "s.png"), m, prior, 12, 3, model.NoLabel, 0, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "s.png"))
	wantPNG, _ := os.ReadFile(filepath.Join(dir, "want.png"))
	if !bytes.Equal(got, wantPNG) {
		t.Error(".png: not the picture of SampleFrom's pixels")
	}
}
