package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "regenerate testdata/mnist from the full MNIST files")

// The fixture: the first fixtureTrain training and fixtureTest test images of
// real MNIST, with their labels, in the original (gzipped) IDX format.
const (
	fixtureDir   = "testdata/mnist"
	fixtureTrain = 512
	fixtureTest  = 128
)

// TestFixture checks the committed fixture against the full data set it was
// cut from; with -update it writes the fixture anew.
func TestFixture(t *testing.T) {
	full, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		n    int
	}{
		{TrainImages, fixtureTrain}, {TrainLabels, fixtureTrain},
		{TestImages, fixtureTest}, {TestLabels, fixtureTest},
	} {
		src, err := ReadIDXFile(filepath.Join(full, f.name+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		want := head(src, f.n)
		path := filepath.Join(fixtureDir, f.name+".gz")
		if *update {
			if err := os.WriteFile(path, gzipIDX(want), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := ReadIDXFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./dataset -run TestFixture -update)", err)
		}
		if !bytes.Equal(got.Data, want.Data) || len(got.Dims) != len(want.Dims) || got.Dims[0] != f.n {
			t.Errorf("%s differs from the first %d entries of MNIST", path, f.n)
		}
	}
}

// head keeps the first n entries of an IDX file.
func head(idx *IDX, n int) *IDX {
	dims := append([]int{n}, idx.Dims[1:]...)
	per := len(idx.Data) / idx.Dims[0]
	return &IDX{Dims: dims, Data: idx.Data[:n*per]}
}

// encodeIDX writes the IDX format: 0, 0, type 0x08, rank, dims, data.
func encodeIDX(idx *IDX) []byte {
	b := []byte{0, 0, 0x08, byte(len(idx.Dims))}
	for _, d := range idx.Dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, idx.Data...)
}

func gzipIDX(idx *IDX) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(encodeIDX(idx))
	zw.Close()
	return buf.Bytes()
}
