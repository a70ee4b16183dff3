package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadIDX(t *testing.T) {
	valid := &IDX{Dims: []int{2, 2, 3}, Data: []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}}
	raw := encodeIDX(valid)
	gz := gzipIDX(valid)
	tests := []struct {
		name    string
		data    []byte
		wantErr string // "" = must decode to valid
	}{
		{"raw", raw, ""},
		{"gzipped", gz, ""},
		{"empty", nil, "file ends early"},
		{"bad magic", append([]byte{1, 0}, raw[2:]...), "bad magic number"},
		{"float elements", append([]byte{0, 0, 0x0D}, raw[3:]...), "element type 0x0d (float) is not supported"},
		{"unknown element type", append([]byte{0, 0, 0x42}, raw[3:]...), "unknown element type"},
		{"zero dimensions", []byte{0, 0, 8, 0}, "zero dimensions"},
		{"cut in dims", raw[:9], "file ends early"},
		{"cut in data", raw[:len(raw)-1], "truncated: header [2 2 3] promises 12 bytes of data, found 11"},
		{"extra bytes", append(append([]byte{}, raw...), 7), "extra bytes"},
		{"gzip cut", gz[:len(gz)-10], "file ends early"},
		{"gzip checksum wrong", append(append([]byte{}, gz[:len(gz)-8]...), 1, 2, 3, 4, 12, 0, 0, 0), "invalid checksum"},
		{"huge claim", []byte{0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28}, "more than"},
		{"large claim, little data", []byte{0, 0, 8, 1, 0x40, 0, 0, 0, 1, 2}, "promises 1073741824 bytes of data, found 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadIDX(bytes.NewReader(tt.data))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Data, valid.Data) || len(got.Dims) != 3 || got.Dims[2] != 3 {
				t.Errorf("decoded %v %v, want %v %v", got.Dims, got.Data, valid.Dims, valid.Data)
			}
		})
	}
}

func TestReadIDXFileNamesFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad-idx")
	os.WriteFile(bad, []byte{9, 9, 9, 9}, 0o644)
	for _, tt := range []struct{ path, want string }{
		{bad, bad + ": bad magic number"},
		{dir, dir + ": is a directory"},
		{filepath.Join(dir, "missing"), "no such file"},
	} {
		_, err := ReadIDXFile(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadIDXFile(%s) = %v, want %q", tt.path, err, tt.want)
		}
	}
}
