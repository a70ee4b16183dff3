package model_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
	"gorgonia.org/tensor"
)

// Build the training graph of the reference model and find the nodes of the
// diagram by name.
func ExampleNewTraining() {
	sizes := model.Config{Input: 784, Hidden: 400, Latent: 20}
	params, err := model.NewParams(sizes, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	vae, err := model.NewTraining(params, 128, model.Objective{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range []interface {
		Name() string
		Shape() tensor.Shape
	}{vae.X, vae.Mu, vae.Logvar, vae.Eps, vae.Z, vae.Recon, vae.BCE, vae.KL, vae.Loss} {
		fmt.Println(n.Name(), n.Shape())
	}
	fmt.Println(len(vae.Learnables), "weight tensors,", params.Count(), "weights")
	// Output:
	// x (128, 784)
	// mu (128, 20)
	// logvar (128, 20)
	// eps (128, 20)
	// z (128, 20)
	// recon (128, 784)
	// bce ()
	// kl ()
	// loss ()
	// 10 weight tensors, 652824 weights
}

// The importance-weighted bound of 5 codes an image: the noise has a row
// per code, the decoder runs on batch·k rows, and the loss reads each code's
// log-weight.
func ExampleNewTraining_iwae() {
	sizes := model.Config{Input: 784, Hidden: 400, Latent: 20}
	params, err := model.NewParams(sizes, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	obj := model.Objective{Bound: model.IWAE, Samples: 5}
	vae, err := model.NewTraining(params, 128, obj)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(obj)
	for _, n := range []interface {
		Name() string
		Shape() tensor.Shape
	}{vae.Mu, vae.Eps, vae.Z, vae.Recon, vae.LogW, vae.Loss} {
		fmt.Println(n.Name(), n.Shape())
	}
	// Output:
	// iwae, k = 5
	// mu (128, 20)
	// eps (640, 20)
	// z (640, 20)
	// recon (640, 784)
	// log_w (640)
	// loss ()
}

// Load a trained model from its checkpoint and write a PNG of 64 samples:
// the whole program a Go user needs (the README shows it with its imports).
func ExampleOpen() {
	m, err := model.Open("testdata/tiny.ckpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	pixels, err := m.Sample(64, 1, model.NoLabel) // z ~ N(0, I), seed 1
	if err != nil {
		fmt.Println(err)
		return
	}
	grid := sample.Images{Pixels: pixels, Rows: 28, Cols: 28, Columns: 8}
	path := filepath.Join(os.TempDir(), "samples.png")
	if err := sample.Write(path, grid); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d samples of %d pixels from a model of %d epochs\n", len(pixels)/m.Config().Input, m.Config().Input, m.Epochs())
	// Output:
	// 64 samples of 784 pixels from a model of 2 epochs
}

// Encode images to their codes, decode the means back, and ask for a label
// that a plain model does not take.
func ExampleModel_Encode() {
	m, err := model.Open("testdata/tiny.ckpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	images := make([]float32, 3*m.Config().Input) // three blank images
	codes, err := m.Encode(images, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	recon, err := m.Decode(codes.Mu, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(codes.Mu), "code values,", len(recon), "pixels")
	_, err = m.Decode(codes.Mu, []int{7, 7, 7})
	fmt.Println(err)
	_, err = m.Sample(0, 1, model.NoLabel)
	fmt.Println(err)
	// Output:
	// 12 code values, 2352 pixels
	// labels: the model is not conditional: it takes no labels
	// n 0: need at least one sample
}

// Fit a Gaussian to some codes and sample a model from it rather than from
// N(0, I): how a plain autoencoder is sampled honestly.
func ExampleFitPrior() {
	m, err := model.Open("testdata/tiny.ckpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	images := make([]float32, 50*m.Config().Input)
	for i := range images {
		images[i] = float32(i%7) / 6
	}
	codes, err := m.Encode(images, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	prior, err := model.FitPrior(codes.Mu, m.Config().Latent)
	if err != nil {
		fmt.Println(err)
		return
	}
	pixels, err := m.SampleFrom(prior, 8, 1, model.NoLabel)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("fitted to", prior.Codes, "codes of", prior.Latent(), "values;", len(pixels)/m.Config().Input, "samples")
	// Output:
	// fitted to 50 codes of 4 values; 8 samples
}
