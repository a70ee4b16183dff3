package sample

import (
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/internal/grid"
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
	var encode func(io.Writer, Images) error
	switch ext := extension(path); ext {
	case ".png":
		encode = writePNG
	case ".npy":
		encode = writeNPY
	case ".idx":
		encode = writeIDX
	case ".idx.gz":
		encode = func(w io.Writer, im Images) error {
			zw := gzip.NewWriter(w)
			if err := writeIDX(zw, im); err != nil {
				return err
			}
			return zw.Close()
		}
	default:
		return fmt.Errorf("%s: unknown extension %q: want one of %s", path, ext, strings.Join(ImageFormats, ", "))
	}
	return atomicfile.Write(path, func(w io.Writer) error { return encode(w, im) })
}

// extension is the file's extension, counting ".idx.gz" as one.
func extension(path string) string {
	if strings.HasSuffix(strings.ToLower(path), ".idx.gz") {
		return ".idx.gz"
	}
	return strings.ToLower(filepath.Ext(path))
}

func writePNG(w io.Writer, im Images) error {
	return grid.Layout{Rows: im.Rows, Cols: im.Cols, Columns: im.Columns}.PNG(w, im.Pixels)
}

// writeNPY writes NumPy's format 1.0: magic, version, a little-endian header
// length, a Python dict literal padded with spaces to a multiple of 64 bytes
// and ending in a newline, then the data.
func writeNPY(w io.Writer, im Images) error {
	dict := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", im.Len(), im.Rows*im.Cols)
	pad := 64 - (10+len(dict)+1)%64
	header := dict + strings.Repeat(" ", pad%64) + "\n"
	prefix := append([]byte("\x93NUMPY\x01\x00"), 0, 0)
	binary.LittleEndian.PutUint16(prefix[8:], uint16(len(header)))
	data := make([]byte, 4*len(im.Pixels))
	for i, v := range im.Pixels {
		binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(v))
	}
	for _, b := range [][]byte{prefix, []byte(header), data} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// writeIDX writes the images as MNIST does: bytes 0–255 (value·255, rounded).
func writeIDX(w io.Writer, im Images) error {
	header := []byte{0, 0, 0x08, 3}
	for _, d := range []int{im.Len(), im.Rows, im.Cols} {
		header = binary.BigEndian.AppendUint32(header, uint32(d))
	}
	data := make([]byte, len(im.Pixels))
	for i, v := range im.Pixels {
		data[i] = uint8(math.Round(float64(max(0, min(1, v))) * 255))
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}
