// Package streams derives every random stream of govae from three numbers:
// a seed, a purpose and an index. The stream is the PCG generator
//
//	PCG(seed, purpose·2³² + index)
//
// so what one stream draws never depends on another's use: a run resumed at
// an epoch's start draws exactly what an uninterrupted one would, an image's
// binarisation does not depend on which worker decodes it, and two commands
// given the same seed draw the same weights.
//
// A training run uses its seed with the purposes below, the index being the
// epoch. Draws made per image use index = the image, with Items as purpose,
// or, when they are drawn afresh each epoch (dynamic binarisation,
// dequantization), the epoch as purpose under the run's DataSeed, which
// keeps them apart from the run's own purposes.
package streams

import "math/rand/v2"

// Purpose is what a stream is drawn for: the high word of its stream number.
type Purpose uint32

// The purposes of a run's streams.
const (
	Items   Purpose = iota // one stream per item: image i of an estimate, of a static binarisation; a prior's codes (index 0)
	Init                   // initial weights (index 0)
	Shuffle                // the order of the training images (index: epoch)
	Noise                  // eps of the training steps (index: epoch)
	Eval                   // eps of the test-set pass (index: epoch)
	Samples                // z of a run's sample grids, the same every epoch (index 0)
)

// Source is the generator of stream (purpose, index) of seed, whose state a
// caller may save and restore mid-stream.
func Source(seed uint64, purpose Purpose, index uint32) *rand.PCG {
	return rand.NewPCG(seed, uint64(purpose)<<32|uint64(index))
}

// New is Source as a *rand.Rand.
func New(seed uint64, purpose Purpose, index uint32) *rand.Rand {
	return rand.New(Source(seed, purpose, index))
}

// DataSeed is the seed of a run's per-epoch draws of its data: the run's
// seed with its high bits flipped, so that stream (epoch, image) of it is
// none of the run's own streams.
func DataSeed(seed uint64) uint64 { return seed ^ 0xB1A_0000_0000_0000 }
