// Package shapes draws a small colour data set on the spot: circles, squares
// and triangles of random colours, sizes and places on random backgrounds,
// written as an image folder (one subfolder per class, PNG and JPEG). Tests
// and the README's colour example train on it, since no data set can be
// downloaded here.
package shapes

import (
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/govae/govae/internal/streams"
)

// Classes are the shapes, in the order of their labels (the folder names
// sort the same way).
var Classes = []string{"circle", "square", "triangle"}

// Draw draws one image of the class with index class, size×size pixels.
func Draw(class, size int, rng *rand.Rand) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	bg, fg := randomColour(rng), randomColour(rng)
	s := float64(size)
	r := s * (0.2 + 0.15*rng.Float64()) // half the shape's width
	cx, cy := r+(s-2*r)*rng.Float64(), r+(s-2*r)*rng.Float64()
	for y := range size {
		for x := range size {
			px, py := float64(x)+0.5-cx, float64(y)+0.5-cy
			c := bg
			if inside(class, px, py, r) {
				c = fg
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// inside tells whether (x, y), relative to the centre, lies in the shape of
// half-width r.
func inside(class int, x, y, r float64) bool {
	switch Classes[class] {
	case "circle":
		return x*x+y*y <= r*r
	case "square":
		return -r <= x && x <= r && -r <= y && y <= r
	default: // triangle, point up
		return -r <= y && y <= r && 2*abs(x) <= y+r
	}
}

func abs(v float64) float64 { return max(v, -v) }

// randomColour is a colour far enough from grey that shapes stand out.
func randomColour(rng *rand.Rand) color.NRGBA {
	return color.NRGBA{R: uint8(rng.IntN(256)), G: uint8(rng.IntN(256)), B: uint8(rng.IntN(256)), A: 255}
}

// WriteFolder writes perClass images of each class into dir/<class>/, every
// image size×size, PNG and JPEG in turn, drawn from seed.
func WriteFolder(dir string, perClass, size int, seed uint64) error {
	rng := streams.New(seed, streams.Items, 0)
	for c, name := range Classes {
		sub := filepath.Join(dir, name)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return fmt.Errorf("folder %s: %w", dir, err)
		}
		for i := range perClass {
			img := Draw(c, size, rng)
			path := filepath.Join(sub, fmt.Sprintf("%04d.png", i))
			encode := func(w io.Writer) error { return png.Encode(w, img) }
			if i%2 == 1 {
				path = filepath.Join(sub, fmt.Sprintf("%04d.jpg", i))
				encode = func(w io.Writer) error { return jpeg.Encode(w, img, &jpeg.Options{Quality: 95}) }
			}
			if err := writeFile(path, encode); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeFile(path string, encode func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := encode(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
