package streams

import (
	"math/rand/v2"
	"testing"
)

// The derivation is PCG(seed, purpose·2³² + index), as the package says;
// checkpoints and figures depend on these exact streams.
func TestStreamNumbers(t *testing.T) {
	for _, tt := range []struct {
		seed    uint64
		purpose Purpose
		index   uint32
		stream  uint64
	}{
		{1, Items, 0, 0},
		{1, Items, 42, 42},
		{7, Init, 0, 1 << 32},
		{7, Noise, 3, 3<<32 | 3},
		{DataSeed(9), Purpose(5), 11, 5<<32 | 11},
	} {
		got, want := New(tt.seed, tt.purpose, tt.index).Uint64(), rand.New(rand.NewPCG(tt.seed, tt.stream)).Uint64()
		if got != want {
			t.Errorf("New(%d, %d, %d) drew %d, PCG(%d, %d) %d", tt.seed, tt.purpose, tt.index, got, tt.seed, tt.stream, want)
		}
	}
	if DataSeed(1) == 1 || DataSeed(DataSeed(1)) != 1 {
		t.Errorf("DataSeed(1) = %#x", DataSeed(1))
	}
}
