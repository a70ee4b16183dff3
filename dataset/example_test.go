package dataset_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/govae/govae/dataset"
)

// Load a folder of IDX files (here the committed slice of real MNIST; an
// empty Spec loads all of MNIST from its Go module) and cut its training set
// into seeded mini-batches.
func ExampleLoad() {
	data, err := dataset.Load(dataset.Spec{Dir: "testdata/mnist"})
	if err != nil {
		fmt.Println(err)
		return
	}
	train := data.Train
	fmt.Printf("%d training and %d test images of %d×%d, %d classes\n",
		train.Len(), data.Test.Len(), train.Rows, train.Cols, train.Classes)
	batches := dataset.Batches(train.Len(), 128, rand.New(rand.NewPCG(1, 0)))
	fmt.Println(len(batches), "batches of", len(batches[0]))

	_, err = dataset.Load(dataset.Spec{Dir: "testdata/no-such-folder"})
	fmt.Println(err != nil)
	// Output:
	// 512 training and 128 test images of 28×28, 10 classes
	// 4 batches of 128
	// true
}
