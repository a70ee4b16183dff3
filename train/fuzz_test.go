package train

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseConfig: any bytes give a valid config or an error, never a panic.
func FuzzParseConfig(f *testing.F) {
	for _, name := range []string{"mnist.yaml", "mnist-cvae.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "configs", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("lr: [1\nbatch_size: -3\n"))
	f.Add([]byte("epochs: 1e999\n&a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("fuzz.yaml", data)
		if err == nil {
			if verr := cfg.Validate(); verr != nil {
				t.Fatalf("accepted a config that does not validate: %v", verr)
			}
		}
	})
}

// fuzzSeedCheckpoint is a real, small checkpoint.
func fuzzSeedCheckpoint(f *testing.F) []byte {
	cfg := Default()
	cfg.HiddenSize, cfg.LatentSize, cfg.InputSize = 3, 2, 4
	p, adam := mustTinyParams(f, cfg)
	path := filepath.Join(f.TempDir(), "seed.ckpt")
	if err := NewCheckpoint(cfg, 1, p, adam).Save(path); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// FuzzReadCheckpoint: any file gives a checkpoint that fits its config, or an
// error; never a panic.
func FuzzReadCheckpoint(f *testing.F) {
	seed := fuzzSeedCheckpoint(f)
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := readCheckpoint(bytes.NewReader(data)); err == nil {
			if _, _, err := c.Restore(); err != nil {
				t.Fatalf("a checkpoint that loads does not restore: %v", err)
			}
		}
	})
}

// FuzzCheckpointPayload wraps arbitrary payloads in a header with the right
// length and checksum, so that the fuzzer reaches the gob decoder and the
// shape checks behind the CRC.
func FuzzCheckpointPayload(f *testing.F) {
	seed := fuzzSeedCheckpoint(f)
	f.Add(seed[headerLen:])
	f.Fuzz(func(t *testing.T, payload []byte) {
		file := []byte(magic)
		file = binary.BigEndian.AppendUint32(file, FormatVersion)
		file = binary.BigEndian.AppendUint64(file, uint64(len(payload)))
		file = binary.BigEndian.AppendUint32(file, crc32.ChecksumIEEE(payload))
		if c, err := readCheckpoint(bytes.NewReader(append(file, payload...))); err == nil {
			if _, _, err := c.Restore(); err != nil {
				t.Fatalf("a checkpoint that loads does not restore: %v", err)
			}
		}
	})
}
