package diagram

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

var update = flag.Bool("update", false, "rewrite the golden dot files in testdata")

var reference = model.Config{Input: 784, Hidden: 400, Latent: 20}

// autoencoder is the reference model as a plain autoencoder.
var autoencoder = model.Config{Input: 784, Hidden: 400, Latent: 20, Autoencoder: true}

func dot(t *testing.T, view string, grad bool) []byte { return dotOf(t, reference, view, grad) }

func dotOf(t *testing.T, s model.Config, view string, grad bool) []byte {
	t.Helper()
	p, err := model.NewParams(s, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(view, s, 128, model.Objective{}, grad, p)
	if err != nil {
		t.Fatal(err)
	}
	return g.Dot()
}

// TestGolden compares the export of the reference model with the files in
// testdata; go test ./diagram -update rewrites them.
func TestGolden(t *testing.T) {
	for _, tt := range []struct {
		model model.Config
		view  string
		grad  bool
		file  string
	}{
		{reference, ViewTraining, false, "vae.dot"},
		{reference, ViewTraining, true, "vae-grad.dot"},
		{reference, ViewDecoder, false, "decoder.dot"},
		{autoencoder, ViewTraining, false, "ae.dot"}, // encoder → mu → decoder → bce: no eps, logvar or KL
	} {
		t.Run(tt.file, func(t *testing.T) {
			got := dotOf(t, tt.model, tt.view, tt.grad)
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the export; if the change is intended, run go test ./diagram -update", path)
			}
		})
	}
}
