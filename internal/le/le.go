// Package le converts float32 arrays to and from little-endian bytes, the
// layout of every float array the project writes raw: checkpoints, .npy,
// safetensors and ONNX initializers.
package le

import (
	"encoding/binary"
	"io"
	"math"
	"slices"
)

// AppendFloat32s appends values as little-endian float32, growing dst once.
func AppendFloat32s(dst []byte, values []float32) []byte {
	n := len(dst)
	dst = slices.Grow(dst, 4*len(values))[:n+4*len(values)]
	for i, v := range values {
		binary.LittleEndian.PutUint32(dst[n+4*i:], math.Float32bits(v))
	}
	return dst
}

// Float32s reads b as little-endian float32 values (len(b)/4 of them; a
// trailing partial value is ignored).
func Float32s(b []byte) []float32 {
	values := make([]float32, len(b)/4)
	for i := range values {
		values[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return values
}

// chunk is how many values WriteFloat32s converts at a time.
const chunk = 16 << 10

// WriteFloat32s writes values as little-endian float32 through a buffer of
// 64 kB, so that writing an array takes no copy of it.
func WriteFloat32s(w io.Writer, values []float32) error {
	buf := make([]byte, 0, 4*min(chunk, len(values)))
	for len(values) > 0 {
		n := min(chunk, len(values))
		if _, err := w.Write(AppendFloat32s(buf[:0], values[:n])); err != nil {
			return err
		}
		values = values[n:]
	}
	return nil
}
