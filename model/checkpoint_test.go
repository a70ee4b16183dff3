package model

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"gorgonia.org/tensor"
)

// tinyCheckpoint is a checkpoint of a small random float32 model.
func tinyCheckpoint(tb testing.TB, s Config) *Checkpoint {
	tb.Helper()
	p, err := NewParams(s, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		tb.Fatal(err)
	}
	c := NewCheckpoint(p)
	c.Epoch, c.DataDir, c.Training = 3, "some/folder", []byte("the trainer's own")
	return c
}

func TestCheckpointRoundTrip(t *testing.T) {
	saved := tinyCheckpoint(t, Config{Input: 6, Hidden: 5, Latent: 3, Classes: 2})
	path := filepath.Join(t.TempDir(), "a.ckpt")
	if err := saved.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(saved, loaded) {
		t.Fatalf("loaded %+v, saved %+v", loaded, saved)
	}
	p, err := loaded.Params()
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range p.All() {
		if !reflect.DeepEqual(w.Tensor.Float32s(), saved.Weights[i].Data) || w.Name != saved.Weights[i].Name {
			t.Errorf("restored %s differs", w.Name)
		}
	}
	m, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if m.Epochs() != 3 || m.DataDir() != "some/folder" || m.Config() != saved.Config {
		t.Errorf("Open: epochs %d, data %q, sizes %+v", m.Epochs(), m.DataDir(), m.Config())
	}
}

// A file of format version 3 (testdata/v3.ckpt, written by that build from
// tinyCheckpoint) still reads, whole.
func TestReadsVersion3(t *testing.T) {
	const path = "testdata/v3.ckpt"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.BigEndian.Uint32(data[len(magic):]); v != 3 {
		t.Fatalf("%s is version %d: it is the version 3 fixture", path, v)
	}
	got, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := tinyCheckpoint(t, Config{Input: 6, Hidden: 5, Latent: 3, Classes: 2}); !reflect.DeepEqual(got, want) {
		t.Errorf("read %+v, want %+v", got, want)
	}
}

// Saving streams the weights to the file: it allocates a small fraction of
// the weights' size (a whole encoded copy, and more while it grew, before).
func TestSaveHoldsNoCopy(t *testing.T) {
	ck := tinyCheckpoint(t, Config{Input: 784, Hidden: 2000, Latent: 20})
	size := 0
	for _, w := range ck.Weights {
		size += 4 * len(w.Data)
	}
	path := filepath.Join(t.TempDir(), "c.ckpt")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := ck.Save(path); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(size)/8 {
		t.Errorf("saving %d bytes of weights allocated %d bytes", size, alloc)
	}
}

func TestReadCheckpointRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.ckpt")
	if err := tinyCheckpoint(t, Config{Input: 6, Hidden: 5, Latent: 3}).Save(good); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	flip := append([]byte(nil), data...)
	flip[len(flip)/2] ^= 0x10
	newer := append([]byte(nil), data...)
	binary.BigEndian.PutUint32(newer[len(magic):], FormatVersion+1)
	older := append([]byte(nil), data...)
	binary.BigEndian.PutUint32(older[len(magic):], 2)
	lying := tinyCheckpoint(t, Config{Input: 6, Hidden: 5, Latent: 3})
	lying.Config.Latent = 4
	longer := tinyCheckpoint(t, Config{Input: 6, Hidden: 5, Latent: 3})
	longer.Weights[len(longer.Weights)-1].Shape = []int{1000, 1000}
	shorter := tinyCheckpoint(t, Config{Input: 6, Hidden: 5, Latent: 3})
	shorter.Weights[len(shorter.Weights)-1].Data = shorter.Weights[len(shorter.Weights)-1].Data[1:] // its 4 bytes read as the state's

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a govae checkpoint"},
		{"foreign", []byte("PK\x03\x04 this is a zip file, not a checkpoint at all"), "not a govae checkpoint (wrong magic bytes)"},
		{"truncated header", data[:len(magic)+3], "truncated header"},
		{"truncated payload", data[:len(data)-100], "truncated"},
		{"bit flipped", flip, "checksum mismatch"},
		{"newer version", newer, "written by a newer govae"},
		{"older version", older, "format version 2 was written by an older govae; this build reads versions 3 to 4: train the model again"},
		{"a weight past the end", encodeFile(t, longer), "decode payload: weight fc4.b of shape [1000 1000]: more values than the"},
		{"a trainer's state of another length", encodeFile(t, shorter), "decode payload: the trainer's state is announced as 17 bytes, 13 are left"},
		{"weights that do not fit the sizes", encodeFile(t, lying), "weight 2 is fc21.W [5 3], the model's sizes need fc21.W [5 4]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			os.WriteFile(path, tt.data, 0o644)
			_, err := ReadCheckpoint(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v, want it to name %s and say %q", err, path, tt.want)
			}
			if _, err := Open(path); err == nil {
				t.Error("Open accepted it")
			}
		})
	}
}

// encodeFile writes c as a checkpoint file, unchecked, and returns its bytes.
func encodeFile(tb testing.TB, c *Checkpoint) []byte {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "c.ckpt")
	if err := c.Save(path); err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// FuzzReadCheckpoint: any file gives a checkpoint whose weights fit its
// sizes, or an error; never a panic.
func FuzzReadCheckpoint(f *testing.F) {
	seed := encodeFile(f, tinyCheckpoint(f, Config{Input: 4, Hidden: 3, Latent: 2}))
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := readCheckpoint(bytes.NewReader(data)); err == nil {
			if _, err := c.Params(); err != nil {
				t.Fatalf("a checkpoint that loads does not give its weights: %v", err)
			}
		}
	})
}

// FuzzCheckpointPayload wraps arbitrary payloads in a header with the right
// length and checksum, so that the fuzzer reaches the gob decoder and the
// shape checks behind the CRC.
func FuzzCheckpointPayload(f *testing.F) {
	seed := encodeFile(f, tinyCheckpoint(f, Config{Input: 4, Hidden: 3, Latent: 2}))
	f.Add(seed[headerLen:])
	f.Fuzz(func(t *testing.T, payload []byte) {
		file := []byte(magic)
		file = binary.BigEndian.AppendUint32(file, FormatVersion)
		file = binary.BigEndian.AppendUint64(file, uint64(len(payload)))
		file = binary.BigEndian.AppendUint32(file, crc32.ChecksumIEEE(payload))
		if c, err := readCheckpoint(bytes.NewReader(append(file, payload...))); err == nil {
			if _, err := c.Params(); err != nil {
				t.Fatalf("a checkpoint that loads does not give its weights: %v", err)
			}
		}
	})
}

// A checkpoint write that fails half-way leaves the previous one loadable.
func TestFailedSaveKeepsPreviousCheckpoint(t *testing.T) {
	ck := tinyCheckpoint(t, Config{Input: 6, Hidden: 5, Latent: 3})
	ck.Epoch = 0
	path := filepath.Join(t.TempDir(), "c.ckpt")
	if err := ck.Save(path); err != nil {
		t.Fatal(err)
	}
	ck.Epoch = 1
	diskFull := errors.New("no space left on device")
	err := ck.save(path, func(w io.Writer) io.Writer { return &failingWriter{w: w, left: 100, err: diskFull} })
	if !errors.Is(err, diskFull) {
		t.Fatalf("error %v, want %v", err, diskFull)
	}
	loaded, err := ReadCheckpoint(path)
	if err != nil || loaded.Epoch != 0 {
		t.Fatalf("after a failed save: %v, epoch %v; want the previous checkpoint (epoch 0)", err, loaded)
	}
}

// A checkpoint with a weight that is not finite is not written (the file
// already there stays byte for byte), and is not read.
func TestNonFiniteWeightsAreRefused(t *testing.T) {
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
		ck := tinyCheckpoint(t, Config{Input: 6, Hidden: 5, Latent: 3})
		path := filepath.Join(t.TempDir(), "c.ckpt")
		if err := ck.Save(path); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(path)
		ck.Weights[4].Data[2] = bad
		want := fmt.Sprintf("weight %s: value 2 is %v", ck.Weights[4].Name, bad)
		if err := ck.Save(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("save: %v, want %q", err, want)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("%v: the file changed", bad)
		}
		poisoned := filepath.Join(t.TempDir(), "p.ckpt")
		if err := ck.save(poisoned, nil); err != nil { // past Save's check
			t.Fatal(err)
		}
		if _, err := ReadCheckpoint(poisoned); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("read: %v, want %q", err, want)
		}
	}
}

// failingWriter accepts left bytes, then fails.
type failingWriter struct {
	w    io.Writer
	left int
	err  error
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n, _ := f.w.Write(p[:f.left])
		f.left = 0
		return n, f.err
	}
	f.left -= len(p)
	return f.w.Write(p)
}

// A checkpoint larger than one may be is refused before a byte is written,
// with its size and the bound.
func TestOversizedCheckpointIsRefused(t *testing.T) {
	var w bytes.Buffer
	err := tinyCheckpoint(t, Config{Input: 6, Hidden: 5, Latent: 3}).encode(&w, 100)
	if err == nil || !strings.Contains(err.Error(), "more than the 100 B one holds") || w.Len() != 0 {
		t.Errorf("error %v after %d bytes; want a refusal naming the 100 B bound, before any byte", err, w.Len())
	}
}
