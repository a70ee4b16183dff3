package sample

import (
	"fmt"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
	"github.com/govae/govae/train"
)

// Model is a trained VAE loaded from a checkpoint, with the config it was
// trained with.
type Model struct {
	Path   string
	Config train.Config
	Epoch  int
	Params *model.Params
}

// Open loads a checkpoint written by training.
func Open(path string) (*Model, error) {
	ck, err := train.LoadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	p, _, err := ck.Restore()
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return &Model{Path: path, Config: ck.Config, Epoch: ck.Epoch, Params: p}, nil
}

// TestSet loads the test images the model was trained next to: from dataDir
// if given, else from the checkpoint config's data_dir (the MNIST module's
// copy when that is empty).
func (m *Model) TestSet(dataDir string) (*dataset.Set, error) {
	cfg := m.Config
	if dataDir != "" {
		cfg.DataDir = dataDir
	}
	dir, err := train.DataDir(cfg)
	if err != nil {
		return nil, err
	}
	test, err := dataset.LoadTestSet(dir)
	if err != nil {
		return nil, err
	}
	if test.Size() != m.Params.Sizes.Input {
		return nil, fmt.Errorf("test images in %s have %d pixels, the model takes %d", dir, test.Size(), m.Params.Sizes.Input)
	}
	return test, nil
}

// shape is the image size for the model's input width: square when it can
// be (28×28 for 784), else one row.
func (m *Model) shape() (rows, cols int) {
	n := m.Params.Sizes.Input
	for r := 1; r*r <= n; r++ {
		if r*r == n {
			return r, r
		}
	}
	return 1, n
}
