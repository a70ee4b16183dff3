// Package grid lays out small grayscale images (pixel values in [0, 1]) as
// one PNG: tiles in rows and columns separated by thin gray borders.
package grid

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
)

// Border is the width in pixels of the lines between tiles.
const Border = 1

var borderGray = color.Gray{Y: 96}

// Layout describes the tiles: each image is Rows×Cols pixels, row-major, and
// the grid has Columns tiles per row.
type Layout struct {
	Rows, Cols int
	Columns    int
}

// Size is the pixel size of a grid of n tiles.
func (l Layout) Size(n int) (width, height int) {
	gridRows := (n + l.Columns - 1) / l.Columns
	return l.Columns*(l.Cols+Border) + Border, gridRows*(l.Rows+Border) + Border
}

// Image draws pixels (n images back to back) as a grid.
func (l Layout) Image(pixels []float32) (*image.Gray, error) {
	per := l.Rows * l.Cols
	if per <= 0 || l.Columns <= 0 {
		return nil, fmt.Errorf("grid: tiles of %d×%d in %d columns", l.Rows, l.Cols, l.Columns)
	}
	if len(pixels) == 0 || len(pixels)%per != 0 {
		return nil, fmt.Errorf("grid: %d values are not a whole number of %d×%d images", len(pixels), l.Rows, l.Cols)
	}
	n := len(pixels) / per
	w, h := l.Size(n)
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = borderGray.Y
	}
	for k := range n {
		x0 := Border + (k%l.Columns)*(l.Cols+Border)
		y0 := Border + (k/l.Columns)*(l.Rows+Border)
		for r := range l.Rows {
			for c := range l.Cols {
				img.SetGray(x0+c, y0+r, color.Gray{Y: toByte(pixels[k*per+r*l.Cols+c])})
			}
		}
	}
	return img, nil
}

// PNG encodes the grid of pixels to w.
func (l Layout) PNG(w io.Writer, pixels []float32) error {
	img, err := l.Image(pixels)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// toByte maps [0, 1] to 0–255, clamping values outside.
func toByte(v float32) uint8 {
	switch {
	case !(v > 0): // also NaN
		return 0
	case v >= 1:
		return 255
	}
	return uint8(v*255 + 0.5)
}

// Tile encodes one image of rows×cols pixels as a PNG, without borders.
func Tile(w io.Writer, pixels []float32, rows, cols int) error {
	if len(pixels) != rows*cols {
		return fmt.Errorf("grid: %d values are not one %d×%d image", len(pixels), rows, cols)
	}
	img := image.NewGray(image.Rect(0, 0, cols, rows))
	for i, v := range pixels {
		img.Pix[i] = toByte(v)
	}
	return png.Encode(w, img)
}

// Square is the shape of an image of n pixels: square when it can be
// (28×28 for 784), else one row.
func Square(n int) (rows, cols int) {
	for r := 1; r*r <= n; r++ {
		if r*r == n {
			return r, r
		}
	}
	return 1, n
}
