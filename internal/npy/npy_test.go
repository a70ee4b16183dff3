package npy

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, shape := range [][]int{{6}, {2, 3}, {1, 2, 3}} {
		values := []float32{0, 1.5, -2, 3e-8, 1e30, -0.25}
		var buf bytes.Buffer
		if err := Write(&buf, values, shape...); err != nil {
			t.Fatal(err)
		}
		if (buf.Len()-4*6)%64 != 0 {
			t.Errorf("shape %v: header not padded to 64 bytes", shape)
		}
		got, v, err := Read(&buf, 100)
		if err != nil || !slices.Equal(got, shape) || !slices.Equal(v, values) {
			t.Errorf("shape %v: read %v %v %v", shape, got, v, err)
		}
	}
}

func TestReadRejects(t *testing.T) {
	var good bytes.Buffer
	Write(&good, []float32{1, 2, 3, 4}, 2, 2)
	f8 := strings.Replace(good.String(), "<f4", "<f8", 1)
	fortran := strings.Replace(good.String(), "False", "True ", 1)
	for _, tt := range []struct{ name, data, want string }{
		{"not npy", "PK\x03\x04", "not a NumPy .npy file"},
		{"float64", f8, `dtype "<f8": want float32`},
		{"fortran", fortran, "want a C-ordered array"},
		{"truncated", good.String()[:good.Len()-3], "truncated: shape (2, 2) needs 16 bytes"},
		{"extra", good.String() + "x", "extra bytes"},
	} {
		_, _, err := Read(strings.NewReader(tt.data), 100)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, _, err := Read(bytes.NewReader(good.Bytes()), 3); err == nil || !strings.Contains(err.Error(), "more than the 3 values") {
		t.Errorf("over the limit: %v", err)
	}
}
