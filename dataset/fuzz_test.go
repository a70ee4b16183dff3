package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadIDX feeds arbitrary bytes to the IDX reader: it must return data or
// an error, never panic, and never allocate for more data than it was given.
// Seeds: testdata/fuzz/FuzzReadIDX and the fixture's first bytes.
func FuzzReadIDX(f *testing.F) {
	for _, name := range []string{TrainLabels, TestImages} {
		data, err := os.ReadFile(filepath.Join(fixtureDir, name+".gz"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(encodeIDX(&IDX{Dims: []int{2, 2}, Data: []byte{1, 2, 3, 4}}))
	f.Add([]byte{0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28})
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := ReadIDX(bytes.NewReader(data))
		if err != nil {
			return
		}
		n := 1
		for _, d := range idx.Dims {
			n *= d
		}
		if n != len(idx.Data) {
			t.Fatalf("dims %v hold %d elements, data has %d", idx.Dims, n, len(idx.Data))
		}
	})
}
