package classifier

import (
	"testing"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/testkit/fixture"
)

// Trained on the fixture's 512 images, the classifier must read most of its
// 128 test images right (chance is 10%).
func TestLearnsDigits(t *testing.T) {
	train, test, err := dataset.LoadIDX(fixture.Dir())
	if err != nil {
		t.Fatal(err)
	}
	opts := Defaults
	opts.Epochs, opts.Batch = 15, 32
	c, err := Train(train, opts)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := c.Accuracy(test)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("accuracy on the fixture's test images: %.3f", acc)
	if acc < 0.75 {
		t.Errorf("accuracy %.3f, want at least 0.75", acc)
	}
	if _, err := c.Predict(make([]float32, 100)); err == nil {
		t.Error("100 values were taken for whole images")
	}
}
