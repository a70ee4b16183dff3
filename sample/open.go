package sample

import (
	"fmt"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/grid"
	"github.com/govae/govae/model"
)

// TestSet loads the test images the model was trained next to: from dataDir
// if given, else from the folder its checkpoint names (MNIST from its Go
// module when that is empty).
func TestSet(m *model.Model, dataDir string) (*dataset.Set, error) {
	if dataDir == "" {
		dataDir = m.DataDir()
	}
	dir, err := dataset.Locate(dataDir)
	if err != nil {
		return nil, err
	}
	test, err := dataset.LoadTestSet(dir)
	if err != nil {
		return nil, err
	}
	if test.Size() != m.Sizes().Input {
		return nil, fmt.Errorf("test images in %s have %d pixels, the model takes %d", dir, test.Size(), m.Sizes().Input)
	}
	return test, nil
}

// images lays out a model's output, columns per row.
func images(m *model.Model, pixels []float32, columns int) Images {
	rows, cols := shape(m)
	return Images{Pixels: pixels, Rows: rows, Cols: cols, Columns: columns}
}

// shape is the image size for the model's input width: square when it can
// be (28×28 for 784), else one row.
func shape(m *model.Model) (rows, cols int) { return grid.Square(m.Sizes().Input) }
