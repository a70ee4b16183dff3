package dataset

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// IDX is the content of one IDX file: the sizes of its dimensions and its
// elements, unsigned bytes in row-major order.
//
// The format (LeCun et al., the MNIST page): two zero bytes, an element-type
// byte (0x08 = unsigned byte, the only type MNIST uses), a byte giving the
// number of dimensions, one big-endian uint32 per dimension, then the data.
type IDX struct {
	Dims []int
	Data []byte
}

// maxElements bounds what a header may claim (2^31 bytes), so a hostile header
// cannot make the reader plan an absurd allocation. MNIST's largest file holds
// 47 million.
const maxElements = 1 << 31

// idxTypes names the element types the IDX format defines.
var idxTypes = map[byte]string{
	0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "short",
	0x0C: "int", 0x0D: "float", 0x0E: "double",
}

// ReadIDXFile reads an IDX file, gzipped or not. Errors name the file.
func ReadIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not an IDX file", path)
	}
	idx, err := ReadIDX(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return idx, nil
}

// ReadIDX decodes an IDX stream. A gzip stream (recognised by its magic bytes)
// is decompressed on the fly. The data must hold exactly the number of elements
// the header promises; memory grows with the data actually read, never with
// the header's claim alone.
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	dims, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	total := 1
	for _, d := range dims {
		total *= d
		if total > maxElements {
			return nil, fmt.Errorf("header claims %v elements, more than the %d this reader accepts", dims, maxElements)
		}
	}
	data, err := io.ReadAll(io.LimitReader(br, int64(total)+1))
	if err != nil {
		return nil, fmt.Errorf("read data: %w", unexpected(err))
	}
	switch {
	case len(data) < total:
		return nil, fmt.Errorf("truncated: header %v promises %d bytes of data, found %d", dims, total, len(data))
	case len(data) > total:
		return nil, fmt.Errorf("extra bytes after the %d bytes of data that header %v promises", total, dims)
	}
	return &IDX{Dims: dims, Data: data}, nil
}

func readHeader(r io.Reader) ([]int, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("read header: %w", unexpected(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("bad magic number %#08x: an IDX file starts with two zero bytes", binary.BigEndian.Uint32(magic[:]))
	}
	if magic[2] != 0x08 {
		name, ok := idxTypes[magic[2]]
		if !ok {
			return nil, fmt.Errorf("unknown element type %#02x", magic[2])
		}
		return nil, fmt.Errorf("element type %#02x (%s) is not supported: MNIST images and labels are unsigned bytes (0x08)", magic[2], name)
	}
	n := int(magic[3])
	if n == 0 {
		return nil, errors.New("header declares zero dimensions")
	}
	raw := make([]byte, 4*n)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("read %d dimension sizes: %w", n, unexpected(err))
	}
	dims := make([]int, n)
	for i := range dims {
		dims[i] = int(binary.BigEndian.Uint32(raw[4*i:]))
	}
	return dims, nil
}

// unexpected turns a plain EOF in the middle of a file into "file ends early".
func unexpected(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("file ends early (truncated)")
	}
	return err
}
