package dataset

import (
	"math/rand/v2"

	"github.com/govae/govae/internal/streams"
)

// Dequantization turns 8-bit pixels into continuous values for a Gaussian
// decoder, whose density would otherwise grow without bound on the 256
// levels: byte b becomes (b + u)/256 with u uniform on [0, 1) (Theis, van den
// Oord & Bethge 2016). The negative log-density of such values, plus
// D·ln 256 for D values, bounds the negative log-probability of the bytes;
// divided by D·ln 2 it is the usual bits per dimension.

// DequantizeTestSeed draws the test set's noise, the same for every model and
// every evaluation, like BinaryTestSeed.
const DequantizeTestSeed = 0x5EED_DE0

// Dequantized returns s (sharing its bytes) marked so that Gather adds to
// image i the noise of the PCG stream (seed, i): the same values every time.
func (s *Set) Dequantized(seed uint64) *Set {
	out := *s
	out.noise = &seed
	return &out
}

// GatherDequantized is Gather with fresh noise: image i's from the PCG stream
// (seed, round·2³² + i), so a draw depends on the seed, the round (an epoch)
// and the image alone. dst gets values in [0, 1).
func (s *Set) GatherDequantized(idx []int, dst []float32, seed uint64, round int) {
	p := s.Size()
	for k, i := range idx {
		dequantize(s.Pixels[i*p:(i+1)*p], streams.Source(seed, streams.Purpose(round), uint32(i)), dst[k*p:(k+1)*p])
	}
}

// dequantize writes (b + u)/256 for each byte b, u uniform on [0, 1) with
// 24 bits, exact in float32.
func dequantize(bytes []byte, src *rand.PCG, out []float32) {
	for j, b := range bytes {
		u := float32(src.Uint64()>>40) / (1 << 24)
		out[j] = (float32(b) + u) / 256
	}
}
