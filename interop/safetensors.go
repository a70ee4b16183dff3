package interop

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/govae/govae/internal/le"
	"github.com/govae/govae/model"
)

// The safetensors format (huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON — for each tensor {"dtype", "shape",
// "data_offsets": [begin, end]} relative to the data, and an optional
// "__metadata__" of strings — then the data, little-endian.

// maxHeader bounds the JSON header a file may announce.
const maxHeader = 100 << 20

type entry struct {
	Dtype   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// WriteSafetensors writes tensors (float32, in order) and string metadata.
func WriteSafetensors(w io.Writer, tensors []model.Tensor, metadata map[string]string) error {
	header := map[string]any{}
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	var offset int64
	for _, t := range tensors {
		size := int64(4 * len(t.Data))
		header[t.Name] = entry{Dtype: "F32", Shape: t.Shape, Offsets: [2]int64{offset, offset + size}}
		offset += size
	}
	js, err := json.Marshal(header)
	if err != nil {
		return err
	}
	for len(js)%8 != 0 { // the data starts 8-byte aligned
		js = append(js, ' ')
	}
	if err := binary.Write(w, binary.LittleEndian, uint64(len(js))); err != nil {
		return err
	}
	if _, err := w.Write(js); err != nil {
		return err
	}
	for _, t := range tensors {
		if err := le.WriteFloat32s(w, t.Data); err != nil {
			return err
		}
	}
	return nil
}

// ReadSafetensors reads a safetensors file of size bytes whole: its float32
// tensors in the order of their offsets, and its metadata. A truncated or
// foreign file, a header that lies about offsets or sizes, or a dtype other
// than F32 is an error that says which.
func ReadSafetensors(r io.Reader, size int64) ([]model.Tensor, map[string]string, error) {
	header, meta, n, err := readHeader(r, size)
	if err != nil {
		return nil, nil, err
	}
	entries, err := layout(header, size-8-n)
	if err != nil {
		return nil, nil, err
	}
	out := make([]model.Tensor, 0, len(entries))
	for _, ne := range entries {
		buf := make([]byte, ne.e.Offsets[1]-ne.e.Offsets[0])
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, nil, fmt.Errorf("tensor %s: truncated", ne.name)
		}
		out = append(out, model.Tensor{Name: ne.name, Shape: ne.e.Shape, Data: le.Float32s(buf)})
	}
	return out, meta, nil
}

// readHeader reads a safetensors file's header: its tensors' entries by
// name, its metadata, and the header's length n in bytes.
func readHeader(r io.Reader, size int64) (header map[string]json.RawMessage, meta map[string]string, n int64, err error) {
	if size < 8 {
		return nil, nil, 0, errors.New("not a safetensors file: too short for its 8-byte header length")
	}
	var length uint64
	if err := binary.Read(r, binary.LittleEndian, &length); err != nil {
		return nil, nil, 0, fmt.Errorf("read the header length: %w", err)
	}
	if length < 2 || length > maxHeader || int64(length) > size-8 {
		return nil, nil, 0, fmt.Errorf("not a safetensors file: it announces a %d-byte header in a %d-byte file", length, size)
	}
	raw := make([]byte, length)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, nil, 0, errors.New("truncated in its header")
	}
	if err := json.Unmarshal(raw, &header); err != nil {
		return nil, nil, 0, fmt.Errorf("not a safetensors file: its header is not a JSON object (%v)", err)
	}
	if m, ok := header["__metadata__"]; ok {
		if err := json.Unmarshal(m, &meta); err != nil {
			return nil, nil, 0, fmt.Errorf("__metadata__: not a map of strings (%v)", err)
		}
		delete(header, "__metadata__")
	}
	return header, meta, int64(length), nil
}

// namedEntry is a tensor's header entry with its name.
type namedEntry struct {
	name string
	e    entry
}

// layout checks the header's entries against the dataSize bytes of data
// after it (dtype F32, offsets that hold their shapes and tile the data
// without gap or overlap) and gives them in the order of the data.
func layout(header map[string]json.RawMessage, dataSize int64) ([]namedEntry, error) {
	var entries []namedEntry
	for name, js := range header {
		var e entry
		if err := json.Unmarshal(js, &e); err != nil {
			return nil, fmt.Errorf("tensor %s: bad header entry (%v)", name, err)
		}
		if e.Dtype != "F32" {
			return nil, fmt.Errorf("tensor %s: dtype %s, want F32 (float32; in PyTorch: .float())", name, e.Dtype)
		}
		count := int64(1)
		for _, d := range e.Shape {
			if d < 0 || (d > 0 && count > dataSize/int64(d)) {
				return nil, fmt.Errorf("tensor %s: shape %v does not fit in the file's %d bytes of data", name, e.Shape, dataSize)
			}
			count *= int64(d)
		}
		if e.Offsets[0] < 0 || e.Offsets[1] < e.Offsets[0] || e.Offsets[1]-e.Offsets[0] != 4*count {
			return nil, fmt.Errorf("tensor %s: offsets %v hold %d bytes, its shape %v needs %d", name, e.Offsets, e.Offsets[1]-e.Offsets[0], e.Shape, 4*count)
		}
		entries = append(entries, namedEntry{name, e})
	}
	// In the order of the data; an empty tensor before a full one at the same
	// place, and names to order what remains alike, so that the result does
	// not depend on the header's order.
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if a.e.Offsets != b.e.Offsets {
			return a.e.Offsets[0] < b.e.Offsets[0] || a.e.Offsets[0] == b.e.Offsets[0] && a.e.Offsets[1] < b.e.Offsets[1]
		}
		return a.name < b.name
	})
	var at int64
	for _, ne := range entries {
		if ne.e.Offsets[0] != at {
			return nil, fmt.Errorf("tensor %s: begins at byte %d of the data, not at %d where the one before it ends (the offsets overlap or leave a gap)", ne.name, ne.e.Offsets[0], at)
		}
		at = ne.e.Offsets[1]
	}
	if at != dataSize {
		return nil, fmt.Errorf("the tensors' offsets cover %d bytes of data, the file holds %d", at, dataSize)
	}
	return entries, nil
}
