package likelihood_test

import (
	"fmt"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/likelihood"
	"github.com/govae/govae/model"
)

// Estimate a trained model's test NLL with K importance samples per image.
// The estimate bounds log p(x) more tightly than the ELBO does, so the NLL
// is below the negative ELBO.
func ExampleEvaluate() {
	m, err := model.Open("../model/testdata/tiny.ckpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	test, err := dataset.LoadTestSet("../dataset/testdata/mnist")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := likelihood.Evaluate(m, test, likelihood.Options{K: 100, N: 16, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d images, K = %d: NLL below −ELBO: %v\n", r.N, r.K, r.NLL < r.NegELBO)
	// Output:
	// 16 images, K = 100: NLL below −ELBO: true
}
