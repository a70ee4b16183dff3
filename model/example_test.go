package model_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// Build the training graph of the reference model and find the nodes of the
// diagram by name.
func ExampleNewTraining() {
	sizes := model.Sizes{Input: 784, Hidden: 400, Latent: 20}
	params, err := model.NewParams(sizes, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	vae, err := model.NewTraining(params, 128)
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
