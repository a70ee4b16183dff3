package train

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/internal/grid"
	"github.com/govae/govae/model"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Reconstruct returns the decoder's means for the images idx of set, decoded
// from their latent means (eps = 0, so z = mu), back to back.
func (t *Trainer) Reconstruct(set *dataset.Set, idx []int) ([]float32, error) {
	m, err := t.machine(len(idx), false)
	if err != nil {
		return nil, err
	}
	defer m.vm.Reset()
	if _, err := m.forward(set, idx, nil); err != nil {
		return nil, err
	}
	return append([]float32(nil), m.vae.Recon.Value().Data().([]float32)...), nil
}

// Decode maps latent codes z (n codes of Latent values, back to back) to the
// decoder's pixel means.
func Decode(p *model.Params, z []float32) ([]float32, error) {
	n := len(z) / p.Sizes.Latent
	if n == 0 || n*p.Sizes.Latent != len(z) {
		return nil, fmt.Errorf("decode: %d values are not a whole number of %d-dimensional codes", len(z), p.Sizes.Latent)
	}
	d, err := model.NewDecoder(p, n)
	if err != nil {
		return nil, err
	}
	zt := tensor.New(tensor.WithShape(n, p.Sizes.Latent), tensor.WithBacking(z))
	if err := G.Let(d.Z, zt); err != nil {
		return nil, err
	}
	vm := G.NewTapeMachine(d.Graph)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return append([]float32(nil), d.Recon.Value().Data().([]float32)...), nil
}

// The pictures each epoch leaves in the output folder.
const (
	reconImages = 8 // test images above their reconstructions
	sampleSide  = 8 // an 8×8 grid of samples
)

// writePictures saves reconstruction_<epoch>.png and sample_<epoch>.png. The
// samples decode the same codes every epoch, so the files show the decoder
// learning.
func (t *Trainer) writePictures(dir string) error {
	n := min(reconImages, t.Test.Len())
	idx := dataset.Sequential(n)
	recon, err := t.Reconstruct(t.Test, idx)
	if err != nil {
		return err
	}
	originals := make([]float32, len(recon))
	t.Test.Gather(idx, originals)
	layout := grid.Layout{Rows: t.Test.Rows, Cols: t.Test.Cols, Columns: n}
	if err := writePNG(filepath.Join(dir, fmt.Sprintf("reconstruction_%d.png", t.Epoch)), layout, append(originals, recon...)); err != nil {
		return err
	}

	z := make([]float32, sampleSide*sampleSide*t.Config.LatentSize)
	fillNormal(z, stream(t.Config.Seed, streamSamples, 0))
	samples, err := Decode(t.Params, z)
	if err != nil {
		return err
	}
	layout.Columns = sampleSide
	return writePNG(filepath.Join(dir, fmt.Sprintf("sample_%d.png", t.Epoch)), layout, samples)
}

func writePNG(path string, layout grid.Layout, pixels []float32) error {
	return atomicfile.Write(path, func(w io.Writer) error { return layout.PNG(w, pixels) })
}
