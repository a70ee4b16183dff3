package train

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"

	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// FormatVersion is the checkpoint layout this build writes and reads. Version
// 2 added beta, kl_warmup_epochs and conditional to the config.
const FormatVersion = 2

// magic opens every checkpoint file.
const magic = "GOVAE-CHECKPOINT\n"

// maxPayload bounds the payload a header may announce (1 GiB; the default
// model's checkpoint is under 8 MB).
const maxPayload = 1 << 30

// Checkpoint is everything needed to continue a run or to use its model: the
// full config, how many epochs are done, every weight, and Adam's state. The
// random streams of an epoch are a pure function of (Config.Seed, epoch), so
// Epoch is all it takes to continue them at an epoch's start; mid-epoch,
// Partial carries the noise stream's state.
type Checkpoint struct {
	Config  Config
	Epoch   int      // epochs completed
	Weights []Tensor // in the order of model.Params.All
	Adam    AdamState
	// Partial, when not nil, is the progress of epoch Epoch+1, written when
	// a run was interrupted mid-epoch.
	Partial *EpochProgress
}

// Tensor is one named weight tensor.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// AdamState is the optimizer's step count and moments.
type AdamState struct {
	Iter int
	M, V [][]float32
}

// File layout: magic, then big-endian uint32 format version, uint64 payload
// length and uint32 CRC-32 (IEEE) of the payload, then the payload: the
// Checkpoint in encoding/gob.
const headerLen = len(magic) + 4 + 8 + 4

// Save writes the checkpoint atomically: a crash or a full disk leaves the
// previous file at path intact.
func (c *Checkpoint) Save(path string) error {
	return c.save(path, nil)
}

// save is Save with an optional wrapper around the file's writer, through
// which tests make a write fail.
func (c *Checkpoint) save(path string, wrap func(io.Writer) io.Writer) error {
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(c); err != nil {
		return fmt.Errorf("encode checkpoint: %w", err)
	}
	header := make([]byte, 0, headerLen)
	header = append(header, magic...)
	header = binary.BigEndian.AppendUint32(header, FormatVersion)
	header = binary.BigEndian.AppendUint64(header, uint64(payload.Len()))
	header = binary.BigEndian.AppendUint32(header, crc32.ChecksumIEEE(payload.Bytes()))
	return atomicfile.Write(path, func(w io.Writer) error {
		if wrap != nil {
			w = wrap(w)
		}
		if _, err := w.Write(header); err != nil {
			return err
		}
		_, err := w.Write(payload.Bytes())
		return err
	})
}

// LoadCheckpoint reads and verifies a checkpoint. Errors name the file and
// say what is wrong: not a checkpoint, another format version, truncated,
// corrupted, or weights that do not fit the config.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	defer f.Close()
	c, err := readCheckpoint(f)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return c, nil
}

func readCheckpoint(r io.Reader) (*Checkpoint, error) {
	header := make([]byte, headerLen)
	if n, err := io.ReadFull(r, header); err != nil {
		if n < len(magic) || string(header[:len(magic)]) != magic {
			return nil, errors.New("not a govae checkpoint (file too short)")
		}
		return nil, errors.New("truncated header")
	}
	if string(header[:len(magic)]) != magic {
		return nil, errors.New("not a govae checkpoint (wrong magic bytes)")
	}
	rest := header[len(magic):]
	version := binary.BigEndian.Uint32(rest)
	size := binary.BigEndian.Uint64(rest[4:])
	sum := binary.BigEndian.Uint32(rest[12:])
	switch {
	case version > FormatVersion:
		return nil, fmt.Errorf("format version %d was written by a newer govae; this build reads version %d", version, FormatVersion)
	case version < FormatVersion:
		return nil, fmt.Errorf("format version %d was written by an older govae; this build reads version %d", version, FormatVersion)
	case size > maxPayload:
		return nil, fmt.Errorf("header announces a %d-byte payload, more than the %d allowed", size, maxPayload)
	}
	payload, err := io.ReadAll(io.LimitReader(r, int64(size)+1))
	if err != nil {
		return nil, err
	}
	if uint64(len(payload)) != size {
		return nil, fmt.Errorf("truncated or padded: header announces %d payload bytes, file has %d", size, len(payload))
	}
	if crc32.ChecksumIEEE(payload) != sum {
		return nil, errors.New("checksum mismatch: the file is corrupted")
	}
	var c Checkpoint
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&c); err != nil {
		return nil, fmt.Errorf("decode payload: %w", err)
	}
	if err := c.Config.Validate(); err != nil {
		return nil, fmt.Errorf("config inside: %w", err)
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return &c, nil
}

// check verifies that the weights and optimizer state fit the config.
func (c *Checkpoint) check() error {
	want, err := model.NewShapes(c.Config.Sizes())
	if err != nil {
		return err
	}
	if len(c.Weights) != len(want) {
		return fmt.Errorf("holds %d weight tensors, the model has %d", len(c.Weights), len(want))
	}
	for i, w := range c.Weights {
		if w.Name != want[i].Name || !slices.Equal(w.Shape, want[i].Shape) {
			return fmt.Errorf("weight %d is %s %v, the config's model needs %s %v", i, w.Name, w.Shape, want[i].Name, want[i].Shape)
		}
		if len(w.Data) != product(w.Shape) {
			return fmt.Errorf("weight %s has %d values for shape %v", w.Name, len(w.Data), w.Shape)
		}
	}
	if c.Adam.Iter > 0 {
		for i, w := range c.Weights {
			if len(c.Adam.M) != len(c.Weights) || len(c.Adam.V) != len(c.Weights) ||
				len(c.Adam.M[i]) != len(w.Data) || len(c.Adam.V[i]) != len(w.Data) {
				return fmt.Errorf("optimizer state does not match weight %s", w.Name)
			}
		}
	}
	return nil
}

func product(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// NewCheckpoint snapshots the weights and the optimizer (copies, so training
// may go on while the snapshot is written).
func NewCheckpoint(cfg Config, epoch int, p *model.Params, adam *Adam) *Checkpoint {
	c := &Checkpoint{Config: cfg, Epoch: epoch}
	for _, w := range p.All() {
		c.Weights = append(c.Weights, Tensor{
			Name: w.Name, Shape: slices.Clone(w.Tensor.Shape()), Data: slices.Clone(w.Tensor.Float32s()),
		})
	}
	c.Adam.Iter = adam.Iter
	for i := range adam.M {
		c.Adam.M = append(c.Adam.M, slices.Clone(adam.M[i]))
		c.Adam.V = append(c.Adam.V, slices.Clone(adam.V[i]))
	}
	return c
}

// Restore rebuilds the weights and the optimizer the checkpoint holds.
func (c *Checkpoint) Restore() (*model.Params, *Adam, error) {
	if err := c.check(); err != nil {
		return nil, nil, err
	}
	tensors := make([]*tensor.Dense, len(c.Weights))
	for i, w := range c.Weights {
		tensors[i] = tensor.New(tensor.WithShape(w.Shape...), tensor.WithBacking(slices.Clone(w.Data)))
	}
	p, err := model.ParamsFrom(c.Config.Sizes(), tensors)
	if err != nil {
		return nil, nil, err
	}
	cfg := c.Config
	adam := NewAdam(cfg.LR, cfg.Beta1, cfg.Beta2, cfg.AdamEps)
	adam.Iter = c.Adam.Iter
	for i := range c.Adam.M {
		adam.M = append(adam.M, slices.Clone(c.Adam.M[i]))
		adam.V = append(adam.V, slices.Clone(c.Adam.V[i]))
	}
	return p, adam, nil
}
