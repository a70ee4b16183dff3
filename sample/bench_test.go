package sample

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/internal/blas/openblas"
	"github.com/govae/govae/internal/npy"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

// The cost of `govae sample -n 10000 -out x.npy` past start-up, against its
// floor: the in-process decode of the same 10,000 codes (one Decode call,
// its batches on every CPU) plus the time to write the same .npy file whole
// (atomicfile, synced) from memory. bench/sample_file.sh runs them in turn.
//
//	go test ./sample -run '^$' -bench 'SamplesToFile|Decode|WriteFile' -benchtime 10x

const benchSamples = 10000

func mnistModel(b *testing.B) *model.Model {
	b.Helper()
	if _, err := openblas.Use(); err != nil {
		b.Fatal(err)
	}
	return fixture.Reference(b)
}

// BenchmarkSamplesToFile is what the command does: WriteSamples, streaming.
func BenchmarkSamplesToFile(b *testing.B) {
	m := mnistModel(b)
	path := filepath.Join(b.TempDir(), "x.npy")
	for b.Loop() {
		if err := WriteSamples(context.Background(), path, m, nil, benchSamples, 1, model.NoLabel, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode is the first half of the floor: the in-process decode of
// the same codes, all in one call.
func BenchmarkDecode(b *testing.B) {
	m := mnistModel(b)
	z := make([]float32, benchSamples*20)
	model.FillNormal(z, model.PriorStream(1))
	for b.Loop() {
		if _, err := m.Decode(z, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteFile is the second half: writing the .npy file's bytes,
// encoded beforehand, whole and synced (atomicfile, as the command does).
func BenchmarkWriteFile(b *testing.B) {
	m := mnistModel(b)
	path := filepath.Join(b.TempDir(), "x.npy")
	images, err := m.Sample(benchSamples, 1, model.NoLabel)
	if err != nil {
		b.Fatal(err)
	}
	var file bytes.Buffer
	if err := npy.Write(&file, images, benchSamples, 28, 28); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		err := atomicfile.Write(path, func(w io.Writer) error {
			_, err := w.Write(file.Bytes())
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
