package dataset

import (
	"fmt"
	"image"
	_ "image/jpeg" // decode JPEG
	_ "image/png"  // decode PNG
	"os"

	"golang.org/x/image/draw"
)

// MaxSourcePixels bounds the images a folder may hold (64 megapixels), so
// that a hostile or mistaken file cannot make the decoder allocate without
// limit: its size is read from the header before anything else.
const MaxSourcePixels = 1 << 26

// decodeImage reads one image file and writes it into dst as bytes in the
// layout of a Set: its centre square (the whole image, if it is square)
// resized to size×size with the Catmull-Rom filter (golang.org/x/image/draw,
// which widens the kernel when shrinking, so small images are not aliased),
// then as one grey plane (luma: 0.299 R + 0.587 G + 0.114 B) or three
// planes R, G, B. Transparent pixels count as black.
func decodeImage(path string, size, channels int, dst []byte) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > MaxSourcePixels {
		return fmt.Errorf("%s: %d×%d pixels: want at least 1×1 and at most %d megapixels", path, cfg.Width, cfg.Height, MaxSourcePixels>>20)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	src, _, err := image.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	scaled := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.CatmullRom.Scale(scaled, scaled.Bounds(), src, centreSquare(src.Bounds()), draw.Src, nil)
	planes(scaled, channels, dst)
	return nil
}

// centreSquare is the largest square in the middle of r.
func centreSquare(r image.Rectangle) image.Rectangle {
	side := min(r.Dx(), r.Dy())
	x0 := r.Min.X + (r.Dx()-side)/2
	y0 := r.Min.Y + (r.Dy()-side)/2
	return image.Rect(x0, y0, x0+side, y0+side)
}

// planes writes an RGBA image as a grey plane or as R, G, B planes.
func planes(img *image.RGBA, channels int, dst []byte) {
	n := len(img.Pix) / 4
	for i := range n {
		r, g, b := uint32(img.Pix[4*i]), uint32(img.Pix[4*i+1]), uint32(img.Pix[4*i+2])
		if channels == 1 {
			// The weights of Go's color.GrayModel, in 16.16 fixed point.
			dst[i] = byte((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
			continue
		}
		dst[i], dst[n+i], dst[2*n+i] = byte(r), byte(g), byte(b)
	}
}
