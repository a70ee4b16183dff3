package sample

import (
	"context"
	"fmt"
	"os"

	"github.com/govae/govae/internal/npy"
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model"
	"github.com/govae/govae/progress"
)

// maxCodes bounds the codes a file may hold (2^26 values, 256 MB).
const maxCodes = 1 << 26

// ReadCodes reads latent codes from a .npy file: a float32 array of shape
// [N, latent] (or [latent] for one code), as numpy.save writes it.
func ReadCodes(path string, m *model.Model) ([]float32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("codes: %w", err)
	}
	defer f.Close()
	shape, z, err := npy.Read(f, maxCodes)
	if err != nil {
		return nil, fmt.Errorf("codes %s: %w", path, err)
	}
	d := m.Config().Code()
	if !(len(shape) == 2 && shape[1] == d && shape[0] > 0) && !(len(shape) == 1 && shape[0] == d) {
		return nil, fmt.Errorf("codes %s: shape %v, want [N, %d] (the model's latent size)", path, shape, d)
	}
	return z, nil
}

// WriteDecoded decodes codes z (with label for a conditional model) and
// saves the images in the format of path's extension, as Write does: to
// .npy and .idx a batch at a time, ticking progress (if not nil) as
// WriteSamples does; a .png grid holds at most MaxImages.
func WriteDecoded(ctx context.Context, path string, m *model.Model, z []float32, label int, progress progress.Func) error {
	s := m.Config()
	n := len(z) / s.Code()
	if s.Conditional() && label == model.NoLabel {
		return &model.ArgError{Arg: "label", Msg: fmt.Sprintf("the model is conditional: give a label 0–%d for the codes", s.Classes-1)}
	}
	labels := func(k int) []int {
		if !s.Conditional() {
			return nil
		}
		out := make([]int, k)
		for i := range out {
			out[i] = label
		}
		return out
	}
	if extension(path) == ".png" {
		if err := checkCount("z", n, n); err != nil {
			return err
		}
		pixels, err := m.Decode(z, labels(n))
		if err != nil {
			return err
		}
		return Write(path, images(m, pixels, squareColumns(n)))
	}
	return stream(path, n, shape(m), progress, func(emit func([]float32) error) error {
		return runner.Chunks(n, func(start, size int) error {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("stopped before the end, nothing written: %w", err)
			}
			pixels, err := m.Decode(z[start*s.Code():(start+size)*s.Code()], labels(size))
			if err != nil {
				return err
			}
			return emit(pixels)
		})
	})
}
