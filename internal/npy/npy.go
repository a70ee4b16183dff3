// Package npy reads and writes NumPy's .npy format (version 1.0) for
// float32 arrays: a magic string, a little-endian header length, a Python
// dict literal padded with spaces to a multiple of 64 bytes, then the data.
package npy

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/govae/govae/internal/le"
)

const magic = "\x93NUMPY"

// WriteHeader writes the header of a little-endian float32 array of the
// given shape, in C order. The values follow (AppendFloat32s).
func WriteHeader(w io.Writer, shape ...int) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	tuple := strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	dict := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }", tuple)
	pad := 64 - (10+len(dict)+1)%64
	header := dict + strings.Repeat(" ", pad%64) + "\n"
	prefix := append([]byte(magic+"\x01\x00"), 0, 0)
	binary.LittleEndian.PutUint16(prefix[8:], uint16(len(header)))
	_, err := w.Write(append(prefix, header...))
	return err
}

// Write writes a whole float32 array.
func Write(w io.Writer, values []float32, shape ...int) error {
	if err := WriteHeader(w, shape...); err != nil {
		return err
	}
	return le.WriteFloat32s(w, values)
}

var (
	descrRe = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	orderRe = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	shapeRe = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// Read reads a float32 array ('<f4', C order) of at most maxValues values,
// and returns its shape and values. Any other array is an error that says
// what it is.
func Read(r io.Reader, maxValues int) (shape []int, values []float32, err error) {
	br := bufio.NewReader(r)
	pre := make([]byte, 10)
	if _, err := io.ReadFull(br, pre); err != nil || string(pre[:6]) != magic {
		return nil, nil, errors.New("not a NumPy .npy file (no \\x93NUMPY magic)")
	}
	var hlen int
	switch pre[6] {
	case 1:
		hlen = int(binary.LittleEndian.Uint16(pre[8:]))
	case 2, 3:
		more := make([]byte, 2)
		if _, err := io.ReadFull(br, more); err != nil {
			return nil, nil, errors.New("truncated header")
		}
		hlen = int(binary.LittleEndian.Uint32(append(pre[8:10:10], more...)))
	default:
		return nil, nil, fmt.Errorf("format version %d.%d: this reader knows 1.0 to 3.0", pre[6], pre[7])
	}
	if hlen > 1<<16 {
		return nil, nil, fmt.Errorf("header of %d bytes is too long", hlen)
	}
	header := make([]byte, hlen)
	if _, err := io.ReadFull(br, header); err != nil {
		return nil, nil, errors.New("truncated header")
	}
	h := string(header)
	descr, order, dims := descrRe.FindStringSubmatch(h), orderRe.FindStringSubmatch(h), shapeRe.FindStringSubmatch(h)
	if descr == nil || order == nil || dims == nil {
		return nil, nil, fmt.Errorf("header %q lacks descr, fortran_order or shape", strings.TrimSpace(h))
	}
	if descr[1] != "<f4" {
		return nil, nil, fmt.Errorf("dtype %q: want float32 ('<f4'; numpy: a.astype(np.float32))", descr[1])
	}
	if order[1] == "True" {
		return nil, nil, errors.New("fortran_order: want a C-ordered array (numpy: np.ascontiguousarray(a))")
	}
	n := 1
	for _, f := range strings.Split(dims[1], ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		d, err := strconv.Atoi(f)
		if err != nil || d < 0 {
			return nil, nil, fmt.Errorf("shape (%s): not a list of sizes", dims[1])
		}
		if d > 0 && n > maxValues/d {
			return nil, nil, fmt.Errorf("shape (%s) holds more than the %d values this reads", dims[1], maxValues)
		}
		shape = append(shape, d)
		n *= d
	}
	data := make([]byte, 4*n)
	if _, err := io.ReadFull(br, data); err != nil {
		return nil, nil, fmt.Errorf("truncated: shape (%s) needs %d bytes of data", dims[1], 4*n)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, nil, fmt.Errorf("extra bytes after the %d values of shape (%s)", n, dims[1])
	}
	return shape, le.Float32s(data), nil
}
