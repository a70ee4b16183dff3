package le

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 7, chunk, chunk + 3, 3*chunk - 1} {
		values := make([]float32, n)
		for i := range values {
			values[i] = float32(i)*0.37 - 11
		}
		if n > 2 {
			values[1], values[2] = float32(math.Inf(-1)), -0
		}
		var w bytes.Buffer
		if err := WriteFloat32s(&w, values); err != nil {
			t.Fatal(err)
		}
		appended := AppendFloat32s([]byte("x"), values)
		if !bytes.Equal(appended[1:], w.Bytes()) || appended[0] != 'x' {
			t.Errorf("n=%d: WriteFloat32s and AppendFloat32s differ", n)
		}
		if got := Float32s(w.Bytes()); !slices.Equal(got, values) {
			t.Errorf("n=%d: read back differs", n)
		}
	}
}

// The bytes are IEEE 754 little-endian, as numpy's '<f4' reads them.
func TestLayout(t *testing.T) {
	got := AppendFloat32s(nil, []float32{1, -2.5})
	want := binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 0x3f800000), 0xc0200000)
	if !bytes.Equal(got, want) {
		t.Errorf("% x, want % x", got, want)
	}
}
