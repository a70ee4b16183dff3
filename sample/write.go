package sample

import (
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/internal/grid"
	"github.com/govae/govae/internal/le"
	"github.com/govae/govae/internal/npy"
	"github.com/govae/govae/model"
	"github.com/govae/govae/progress"
)

// ImageFormats are the extensions Write understands.
var ImageFormats = []string{".png", ".npy", ".idx", ".idx.gz"}

// Write saves images in the format the extension of path names:
//
//	.png     a grid, Columns tiles per row, thin gray borders between tiles
//	.npy     a NumPy array, float32, shape (n, Rows·Cols), values in [0, 1]
//	.idx     the MNIST format: unsigned bytes, shape n × Rows × Cols
//	.idx.gz  the same, gzipped
//
// The file appears whole or not at all.
func Write(path string, im Images) error {
	if extension(path) == ".png" {
		return atomicfile.Write(path, func(w io.Writer) error {
			return grid.Layout{Shape: im.shape(), Columns: im.Columns}.PNG(w, im.Pixels)
		})
	}
	return stream(path, im.Len(), im.shape(), nil, func(emit func([]float32) error) error { return emit(im.Pixels) })
}

// WriteSamples draws n samples from prior (nil: N(0, I)) as
// model.Model.SampleFrom does and saves them in
// the format of path's extension, as Write does. To .npy and .idx the
// samples stream, the header first and then a batch at a time, so memory
// does not grow with n; a file that would not fit on its disk is refused
// before it is begun. A .png grid holds at most MaxImages. When ctx ends,
// the writing stops and leaves no file behind. progress, if not nil, is told
// how many images a stream will write and returns what to call after each
// (logging.Progress draws it).
func WriteSamples(ctx context.Context, path string, m *model.Model, prior *model.Prior, n int, seed uint64, label, columns int, progress progress.Func) error {
	if extension(path) == ".png" {
		im, err := Samples(m, prior, n, seed, label)
		if err != nil {
			return err
		}
		if columns > 0 {
			im.Columns = columns
		}
		return Write(path, im)
	}
	format, err := arrayFormat(path)
	if err != nil {
		return err
	}
	s := shape(m)
	if n > 0 && !format.gzip {
		if err := atomicfile.CheckSpace(path, uint64(n)*uint64(s.Size())*uint64(format.bytesPerValue)); err != nil {
			return err
		}
	}
	return stream(path, n, s, progress, func(emit func([]float32) error) error {
		return m.SampleEachFrom(prior, n, seed, label, func(images []float32) error {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("stopped before the end, nothing written: %w", err)
			}
			return emit(images)
		})
	})
}

// stream writes n images of shape s to an array file (.npy, .idx,
// .idx.gz): the header, then the pixels produce emits, in order, ticking
// progress (if not nil) once an image. The file appears whole or not at
// all; a count that does not match n is an error.
func stream(path string, n int, s grid.Shape, progress progress.Func, produce func(emit func(pixels []float32) error) error) error {
	format, err := arrayFormat(path)
	if err != nil {
		return err
	}
	if n < 1 {
		return &model.ArgError{Arg: "n", Value: n, Msg: "need at least one image"}
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		out, finish := w, func() error { return nil }
		if format.gzip {
			zw := gzip.NewWriter(w)
			out, finish = zw, zw.Close
		}
		if err := format.header(out, n, s); err != nil {
			return err
		}
		tick := progress.Start(filepath.Base(path), n)
		written := 0
		var buf []byte
		err := produce(func(pixels []float32) error {
			written += len(pixels)
			buf = format.encode(buf[:0], pixels)
			if _, err := out.Write(buf); err != nil {
				return err
			}
			for range len(pixels) / s.Size() {
				tick()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if written != n*s.Size() {
			return fmt.Errorf("wrote %d values, the header promises %d images of %v", written, n, s)
		}
		return finish()
	})
}

// format is how an array file begins and how it stores pixels.
type format struct {
	header        func(w io.Writer, n int, s grid.Shape) error
	encode        func(dst []byte, pixels []float32) []byte
	bytesPerValue int
	gzip          bool
}

// arrayFormat is the format of path's extension, for the array formats.
func arrayFormat(path string) (format, error) {
	switch ext := extension(path); ext {
	case ".npy":
		return format{header: npyHeader, encode: le.AppendFloat32s, bytesPerValue: 4}, nil
	case ".idx":
		return format{header: idxHeader, encode: idxValues, bytesPerValue: 1}, nil
	case ".idx.gz":
		return format{header: idxHeader, encode: idxValues, bytesPerValue: 1, gzip: true}, nil
	default:
		return format{}, fmt.Errorf("%s: unknown extension %q: want one of %s", path, ext, strings.Join(ImageFormats, ", "))
	}
}

// extension is the file's extension, counting ".idx.gz" as one.
func extension(path string) string {
	if strings.HasSuffix(strings.ToLower(path), ".idx.gz") {
		return ".idx.gz"
	}
	return strings.ToLower(filepath.Ext(path))
}

// npyHeader writes NumPy's header of an n × (values of an image) float32 array.
func npyHeader(w io.Writer, n int, s grid.Shape) error { return npy.WriteHeader(w, n, s.Size()) }

// idxHeader writes the header of MNIST's format: unsigned bytes, n × rows ×
// cols, or n × 3 × rows × cols for colour images.
func idxHeader(w io.Writer, n int, s grid.Shape) error {
	dims := []int{n, s.Rows, s.Cols}
	if s.Channels > 1 {
		dims = []int{n, s.Channels, s.Rows, s.Cols}
	}
	header := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		if d > math.MaxUint32 {
			return &model.ArgError{Arg: "n", Value: n, Msg: fmt.Sprintf("an IDX file holds at most %d images", uint32(math.MaxUint32))}
		}
		header = binary.BigEndian.AppendUint32(header, uint32(d))
	}
	_, err := w.Write(header)
	return err
}

// idxValues appends pixels as MNIST stores them: bytes 0–255 (value·255, rounded).
func idxValues(dst []byte, pixels []float32) []byte {
	for _, v := range pixels {
		dst = append(dst, uint8(math.Round(float64(max(0, min(1, v)))*255)))
	}
	return dst
}
