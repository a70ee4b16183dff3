package train

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/internal/grid"
	"github.com/govae/govae/internal/streams"
	"github.com/govae/govae/model"
)

// The pictures each epoch leaves in the output folder.
const (
	reconImages = 8 // test images above their reconstructions
	sampleSide  = 8 // an 8×8 grid of samples
)

// writePictures saves reconstruction_<epoch>.png and sample_<epoch>.png. The
// samples decode the same codes every epoch, so the files show the decoder
// learning. A conditional model draws one row per digit instead.
func (t *Trainer) writePictures(dir string) error {
	m := t.model
	n := min(reconImages, t.Test.Len())
	idx := dataset.Sequential(n)
	originals := make([]float32, n*t.Test.Size())
	t.Test.Gather(idx, originals)
	recon, err := m.Reconstruct(originals, t.labels(t.Test.LabelsOf(idx)))
	if err != nil {
		return err
	}
	layout := grid.Layout{Shape: grid.Shape{Channels: t.Test.Channels, Rows: t.Test.Rows, Cols: t.Test.Cols}, Columns: n}
	if err := writePNG(filepath.Join(dir, fmt.Sprintf("reconstruction_%d.png", t.Epoch)), layout, append(originals, recon...)); err != nil {
		return err
	}

	rows, digits := sampleSide, []int(nil)
	if t.Settings.Model.Conditional() {
		rows = t.Params.Config.Classes
		for i := range rows * sampleSide {
			digits = append(digits, i/sampleSide)
		}
	}
	z := make([]float32, rows*sampleSide*t.Settings.Model.Code())
	model.FillNormal(z, streams.New(t.Settings.Seed, streams.Samples, 0))
	samples, err := m.Decode(z, digits)
	if err != nil {
		return err
	}
	layout.Columns = sampleSide
	return writePNG(filepath.Join(dir, fmt.Sprintf("sample_%d.png", t.Epoch)), layout, samples)
}

// labels are the labels of a conditional model's inputs, nil for a plain one.
func (t *Trainer) labels(digits []int) []int {
	if !t.Settings.Model.Conditional() {
		return nil
	}
	return digits
}

func writePNG(path string, layout grid.Layout, pixels []float32) error {
	return atomicfile.Write(path, func(w io.Writer) error { return layout.PNG(w, pixels) })
}
