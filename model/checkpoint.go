package model

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"

	"github.com/govae/govae/internal/atomicfile"
	"gorgonia.org/tensor"
)

// FormatVersion is the checkpoint layout this build writes. It reads this
// one and version 3 (checkpoint_payload.go has both).
const FormatVersion = 4

// oldestVersion is the oldest layout this build reads.
const oldestVersion = 3

// magic opens every checkpoint file.
const magic = "GOVAE-CHECKPOINT\n"

// MaxCheckpointBytes bounds a checkpoint's payload (16 GiB): Save refuses a
// larger one before it writes anything, and a file announcing more is
// refused unread. (A conv model of 512×512 colour images, with Adam's state,
// takes about 6.4 GB; the default model about 8 MB.)
const MaxCheckpointBytes = 16 << 30

// Checkpoint is a model as a file keeps it: self-describing, so that the
// file alone rebuilds the model (as nanoGPT's checkpoint carries its
// model_args). RunConfig and Training, if the file came from a run (or was
// imported for one), are the run's configuration as YAML and the trainer's
// own state; this package stores them and never reads them.
type Checkpoint struct {
	Config    Config
	Weights   []Tensor // in the order of Params.All
	Epoch     int      // epochs the weights were trained for
	DataDir   string   // the folder of the data they were trained on; "" = MNIST from its Go module
	RunConfig []byte   // the run's configuration, YAML with the keys of configs/*.yaml; empty if none
	Training  []byte   // the trainer's state (optimizer, position in an epoch), opaque here; empty if none
	Prior     *Prior   // a Gaussian fitted to the training codes when training ended; nil if none
}

// Tensor is one named float32 array: a weight tensor of a checkpoint, in
// the model's layout, or (package interop) one in PyTorch's.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// Finite reports the first value of the tensor that is NaN or infinite:
// "value 17 is NaN".
func (t Tensor) Finite() error {
	for i, v := range t.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("value %d is %v", i, v)
		}
	}
	return nil
}

// File layout: magic, then big-endian uint32 format version, uint64 payload
// length and uint32 CRC-32 (IEEE) of the payload, then the payload
// (checkpoint_payload.go).
const headerLen = len(magic) + 4 + 8 + 4

// NewCheckpoint snapshots float32 weights (a copy, so training may go on
// while the snapshot is written).
func NewCheckpoint(p *Params) *Checkpoint { return checkpointOf(p, slices.Clone[[]float32]) }

// CheckpointView is NewCheckpoint without the copy: the checkpoint holds the
// weights themselves, to be saved at once, before anything changes them.
func CheckpointView(p *Params) *Checkpoint {
	return checkpointOf(p, func(w []float32) []float32 { return w })
}

func checkpointOf(p *Params, take func([]float32) []float32) *Checkpoint {
	c := &Checkpoint{Config: p.Config}
	for _, w := range p.All() {
		c.Weights = append(c.Weights, Tensor{Name: w.Name, Shape: slices.Clone(w.Tensor.Shape()), Data: take(w.Tensor.Float32s())})
	}
	return c
}

// Params rebuilds the weights the checkpoint holds (a copy).
func (c *Checkpoint) Params() (*Params, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	tensors := make([]*tensor.Dense, len(c.Weights))
	for i, w := range c.Weights {
		tensors[i] = tensor.New(tensor.WithShape(w.Shape...), tensor.WithBacking(slices.Clone(w.Data)))
	}
	return ParamsFrom(c.Config, tensors)
}

// Save writes the checkpoint atomically: a crash or a full disk leaves the
// previous file at path intact. A weight that is not finite (NaN or ±Inf,
// from a diverged run or poisoned input) is refused before anything is
// written, naming the weight and its first bad value.
func (c *Checkpoint) Save(path string) error {
	if err := c.finite(); err != nil {
		return err
	}
	return c.save(path, nil)
}

// finite reports the first weight value that is not finite.
func (c *Checkpoint) finite() error {
	for _, w := range c.Weights {
		if err := w.Finite(); err != nil {
			return fmt.Errorf("weight %s: %w: a checkpoint holds finite weights only", w.Name, err)
		}
	}
	return nil
}

// save is Save with an optional wrapper around the file's writer, through
// which tests make a write fail. The payload streams to the file through its
// checksum; the header, which carries both, is written last.
func (c *Checkpoint) save(path string, wrap func(io.Writer) io.Writer) error {
	sum := crc32.NewIEEE()
	var size counter
	return atomicfile.WriteHeaded(path, headerLen, func(w io.Writer) error {
		if wrap != nil {
			w = wrap(w)
		}
		return c.encode(io.MultiWriter(w, sum, &size), MaxCheckpointBytes)
	}, func() []byte {
		header := make([]byte, 0, headerLen)
		header = append(header, magic...)
		header = binary.BigEndian.AppendUint32(header, FormatVersion)
		header = binary.BigEndian.AppendUint64(header, uint64(size))
		return binary.BigEndian.AppendUint32(header, sum.Sum32())
	})
}

// counter counts the bytes written to it.
type counter int64

func (c *counter) Write(p []byte) (int, error) {
	*c += counter(len(p))
	return len(p), nil
}

// ReadCheckpoint reads and verifies a checkpoint. Errors name the file and
// say what is wrong: not a checkpoint, another format version, truncated,
// corrupted, or weights that do not fit the sizes.
func ReadCheckpoint(path string) (*Checkpoint, error) {
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
		return nil, fmt.Errorf("format version %d was written by a newer govae; this build reads versions %d to %d: use the newer build", version, oldestVersion, FormatVersion)
	case version < oldestVersion:
		return nil, fmt.Errorf("format version %d was written by an older govae; this build reads versions %d to %d: train the model again with this build (go run ./cmd/train)", version, oldestVersion, FormatVersion)
	case size > MaxCheckpointBytes:
		return nil, fmt.Errorf("header announces a %d-byte payload, more than the %d allowed", size, MaxCheckpointBytes)
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
	decode := decodePayload
	if version == 3 {
		decode = decodePayload3
	}
	c, err := decode(payload)
	if err != nil {
		return nil, fmt.Errorf("decode payload: %w", err)
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

// check verifies that the weights fit the sizes.
func (c *Checkpoint) check() error {
	want, err := NewShapes(c.Config)
	if err != nil {
		return fmt.Errorf("model inside: %w", err)
	}
	if c.Epoch < 0 {
		return fmt.Errorf("epoch %d: must be 0 or more", c.Epoch)
	}
	if len(c.Weights) != len(want) {
		return fmt.Errorf("holds %d weight tensors, the model has %d", len(c.Weights), len(want))
	}
	for i, w := range c.Weights {
		if w.Name != want[i].Name || !slices.Equal(w.Shape, want[i].Shape) {
			return fmt.Errorf("weight %d is %s %v, the model's sizes need %s %v", i, w.Name, w.Shape, want[i].Name, want[i].Shape)
		}
		if len(w.Data) != product(w.Shape) {
			return fmt.Errorf("weight %s has %d values for shape %v", w.Name, len(w.Data), w.Shape)
		}
	}
	if err := c.Prior.check(c.Config.Code()); err != nil {
		return err
	}
	return c.finite()
}

func product(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
