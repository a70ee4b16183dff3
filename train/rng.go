package train

import "math/rand/v2"

// The random streams of a run. Each is a PCG generator seeded with the run's
// seed and a stream number made of its purpose and the epoch, so the numbers an
// epoch draws depend on (seed, epoch) alone: a run resumed at an epoch's start
// draws exactly what an uninterrupted one would. Only a run stopped mid-epoch
// saves a generator's state: the noise stream's (EpochProgress.Noise).
const (
	streamInit    = iota + 1 // initial weights
	streamShuffle            // order of the training images, per epoch
	streamNoise              // eps of the training steps, per epoch
	streamEval               // eps of the test-set pass, per epoch
	streamSamples            // z of the sample grids (the same every epoch)
)

// drawSalt keeps the streams of dynamic binarisation or dequantization,
// PCG(seed ^ drawSalt, epoch·2³² + image), apart from the streams above.
const drawSalt = 0xB1A_0000_0000_0000

func stream(seed uint64, purpose, epoch int) *rand.Rand {
	return rand.New(source(seed, purpose, epoch))
}

// source is a stream's generator, whose state can be saved mid-epoch.
func source(seed uint64, purpose, epoch int) *rand.PCG {
	return rand.NewPCG(seed, uint64(purpose)<<32|uint64(uint32(epoch)))
}
