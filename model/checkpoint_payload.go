package model

// The payload of a checkpoint file, after its header (checkpoint.go).
//
// Version 4: a big-endian uint32 n, then n bytes of encoding/gob holding
// everything but the arrays (head: the config, each weight's name and shape,
// the epoch, the data folder, the run's YAML, the prior, the length of the
// trainer's state), then each weight's values as little-endian float32 in
// head's order, then the trainer's state as it was given. The arrays stream
// to the file as they are, so saving holds no second copy of the weights.
//
// Version 3: the whole Checkpoint in one gob value (stored3).

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/internal/le"
)

// head is version 4's gob part, under the field names it keeps whatever the
// Go fields are called.
type head struct {
	Config    Config
	Tensors   []tensorHead
	Epoch     int
	DataDir   string
	RunConfig []byte
	Prior     *Prior
	Training  int // bytes of the trainer's state after the weights
}

// tensorHead is a weight without its values.
type tensorHead struct {
	Name  string
	Shape []int
}

// encode writes the version 4 payload, or nothing if it would be more than
// limit bytes.
func (c *Checkpoint) encode(w io.Writer, limit int64) error {
	h := head{Config: c.Config, Epoch: c.Epoch, DataDir: c.DataDir, RunConfig: c.RunConfig, Prior: c.Prior, Training: len(c.Training)}
	for _, t := range c.Weights {
		h.Tensors = append(h.Tensors, tensorHead{t.Name, t.Shape})
	}
	var desc bytes.Buffer
	if err := gob.NewEncoder(&desc).Encode(h); err != nil {
		return fmt.Errorf("encode checkpoint: %w", err)
	}
	size := int64(4 + desc.Len() + len(c.Training))
	for _, t := range c.Weights {
		size += 4 * int64(len(t.Data))
	}
	if size > limit {
		return fmt.Errorf("a checkpoint of %s: more than the %s one holds", atomicfile.Bytes(uint64(size)), atomicfile.Bytes(uint64(limit)))
	}
	if _, err := w.Write(binary.BigEndian.AppendUint32(nil, uint32(desc.Len()))); err != nil {
		return err
	}
	if _, err := w.Write(desc.Bytes()); err != nil {
		return err
	}
	for _, t := range c.Weights {
		if err := le.WriteFloat32s(w, t.Data); err != nil {
			return err
		}
	}
	_, err := w.Write(c.Training)
	return err
}

// decodePayload reads a version 4 payload. The shapes are checked against the bytes
// there are before any array is made, so a damaged head cannot ask for more
// memory than the file holds.
func decodePayload(payload []byte) (*Checkpoint, error) {
	if len(payload) < 4 {
		return nil, errors.New("shorter than its own length field")
	}
	n := binary.BigEndian.Uint32(payload)
	rest := payload[4:]
	if uint64(n) > uint64(len(rest)) {
		return nil, fmt.Errorf("a description of %d bytes in %d", n, len(rest))
	}
	var h head
	if err := gob.NewDecoder(bytes.NewReader(rest[:n])).Decode(&h); err != nil {
		return nil, err
	}
	rest = rest[n:]
	c := &Checkpoint{Config: h.Config, Epoch: h.Epoch, DataDir: h.DataDir, RunConfig: h.RunConfig, Prior: h.Prior}
	for _, t := range h.Tensors {
		values, ok := count(t.Shape, len(rest)/4)
		if !ok {
			return nil, fmt.Errorf("weight %s of shape %v: more values than the %d bytes left", t.Name, t.Shape, len(rest))
		}
		c.Weights = append(c.Weights, Tensor{Name: t.Name, Shape: t.Shape, Data: le.Float32s(rest[:4*values])})
		rest = rest[4*values:]
	}
	if h.Training != len(rest) {
		return nil, fmt.Errorf("the trainer's state is announced as %d bytes, %d are left", h.Training, len(rest))
	}
	if len(rest) > 0 {
		c.Training = slices.Clone(rest) // not a view that would keep the whole payload
	}
	return c, nil
}

// count is the number of values of shape, if each dimension is at least 0
// and there are at most most of them.
func count(shape []int, most int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d < 0 || (d > 0 && n > most/d) {
			return 0, false
		}
		n *= d
	}
	return n, n <= most
}

// stored3 is version 3's payload: the Checkpoint in one gob value, under the
// field names of that version.
type stored3 struct {
	Sizes    Config
	Weights  []Tensor
	Epoch    int
	DataDir  string
	Config   []byte
	Training []byte
	Prior    *Prior
}

// decodePayload3 reads a version 3 payload.
func decodePayload3(payload []byte) (*Checkpoint, error) {
	var s stored3
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&s); err != nil {
		return nil, err
	}
	return &Checkpoint{s.Sizes, s.Weights, s.Epoch, s.DataDir, s.Config, s.Training, s.Prior}, nil
}
