package dataset

import (
	"fmt"
	"math/rand/v2"

	"github.com/govae/govae/internal/streams"
)

// Binarization is how grey levels become the black-and-white pixels that a
// Bernoulli decoder models (Burda, Grosse & Salakhutdinov 2015): each pixel is
// drawn as 1 with probability equal to its grey level.
type Binarization int

const (
	// Grey keeps the grey levels (the PyTorch example's data: the
	// Bernoulli likelihood of grey pixels is then no likelihood of the data).
	Grey Binarization = iota
	// Static draws every image once: the training set is fixed for the run.
	Static
	// Dynamic redraws a training image each time it is used.
	Dynamic
)

// ParseBinarization reads a binarisation's name: none, static or dynamic,
// the words configs use.
func ParseBinarization(name string) (Binarization, error) {
	for b := Grey; b <= Dynamic; b++ {
		if b.String() == name {
			return b, nil
		}
	}
	return Grey, fmt.Errorf("%q: must be none, static or dynamic", name)
}

// String is the binarisation's name, as ParseBinarization reads it.
func (b Binarization) String() string {
	switch b {
	case Grey:
		return "none"
	case Static:
		return "static"
	case Dynamic:
		return "dynamic"
	}
	return fmt.Sprintf("Binarization(%d)", int(b))
}

// BinaryTestSeed draws the binarised test set, whatever the run's seed, so
// every model is evaluated on the same black-and-white test images.
const BinaryTestSeed = 0x5EED_B1A

// Binarized returns a copy of s drawn black and white: image i's pixels come
// from the PCG stream (seed, i), so each image's draw depends on the seed and
// its index alone. Pixels are 0 or 255.
func (s *Set) Binarized(seed uint64) *Set {
	out := *s
	out.Pixels = make([]byte, len(s.Pixels))
	p := s.Size()
	drawn := make([]float32, p)
	for i := range s.Len() {
		drawBinary(s.Pixels[i*p:(i+1)*p], streams.Source(seed, streams.Items, uint32(i)), drawn)
		for j, v := range drawn {
			out.Pixels[i*p+j] = byte(255 * v)
		}
	}
	return &out
}

// GatherBinary is Gather with every pixel drawn black or white afresh: image
// i's pixels come from the PCG stream (seed, round·2³² + i), so a draw
// depends on the seed, the round (an epoch) and the image alone, whatever
// order the images are gathered in. dst gets values 0 and 1.
func (s *Set) GatherBinary(idx []int, dst []float32, seed uint64, round int) {
	p := s.Size()
	for k, i := range idx {
		drawBinary(s.Pixels[i*p:(i+1)*p], streams.Source(seed, streams.Purpose(round), uint32(i)), dst[k*p:(k+1)*p])
	}
}

// drawBinary draws each grey level g (0–255) as on with probability g/255
// exactly: u uniform on 0..254 (the top bits of a 32-bit draw times 255), on
// when u < g. One 64-bit draw serves two pixels. out gets 0 or 1 per pixel.
func drawBinary(grey []byte, src *rand.PCG, out []float32) {
	var bits uint64
	for j, g := range grey {
		if j%2 == 0 {
			bits = src.Uint64()
		} else {
			bits >>= 32
		}
		u := (bits & 0xFFFF_FFFF) * 255 >> 32
		out[j] = 0
		if u < uint64(g) {
			out[j] = 1
		}
	}
}
