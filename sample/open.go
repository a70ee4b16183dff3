package sample

import (
	"fmt"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/grid"
	"github.com/govae/govae/model"
)

// TestSet loads the test images the model was trained next to, prepared as
// its run prepared them (binarised, if it was): from dataDir if given, else
// from the folder its checkpoint names (MNIST from its Go module when that
// is empty).
func TestSet(m *model.Model, dataDir string) (*dataset.Set, error) {
	d, err := load(m, dataDir, true)
	if err != nil {
		return nil, err
	}
	return d.Test, nil
}

// Data loads every image of the data the model trained on, as TestSet loads
// its test set.
func Data(m *model.Model, dataDir string) (*dataset.Data, error) { return load(m, dataDir, false) }

// load loads the data of the run that trained m, every image of it, or only
// the test set.
func load(m *model.Model, dataDir string, testOnly bool) (*dataset.Data, error) {
	cfg, err := config.OfModel(m, dataDir)
	if err != nil {
		return nil, err
	}
	spec := cfg.Data()
	spec.TrainLimit, spec.TestLimit, spec.TestOnly = 0, 0, testOnly
	d, err := dataset.Load(spec)
	if err != nil {
		return nil, err
	}
	if d.Test.Size() != m.Config().Input {
		return nil, fmt.Errorf("test images in %s have %d pixels, the model takes %d", d.Dir, d.Test.Size(), m.Config().Input)
	}
	return d, nil
}

// images lays out a model's output, columns per row.
func images(m *model.Model, pixels []float32, columns int) Images {
	s := shape(m)
	return Images{Pixels: pixels, Channels: s.Channels, Rows: s.Rows, Cols: s.Cols, Columns: columns}
}

// shape is the image shape of the model's input: square when it can be
// (28×28 for 784), else one row.
func shape(m *model.Model) grid.Shape { return grid.ShapeOf(m.Config().Input, m.Config().Channels) }
