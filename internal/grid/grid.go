// Package grid lays out small images (pixel values in [0, 1], grey or
// colour) as one PNG: tiles in rows and columns separated by thin gray
// borders.
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

const borderGray = 96

// Shape is the shape of one image: Rows×Cols pixels, row-major, in 1 channel
// (grey) or 3 (colour: the red plane, then the green, then the blue).
type Shape struct {
	Channels   int
	Rows, Cols int
}

// ShapeOf is the shape of an image of n values in channels channels (0 or 1:
// grey): square when it can be (28×28 for 784), else one row.
func ShapeOf(n, channels int) Shape {
	channels = max(1, channels)
	rows, cols := Square(n / channels)
	return Shape{Channels: channels, Rows: rows, Cols: cols}
}

// Size is the number of values of one image.
func (s Shape) Size() int { return max(1, s.Channels) * s.Rows * s.Cols }

// Layout describes the tiles: images of one Shape, Columns tiles per row.
type Layout struct {
	Shape
	Columns int
}

// Size is the pixel size of a grid of n tiles.
func (l Layout) Size(n int) (width, height int) {
	gridRows := (n + l.Columns - 1) / l.Columns
	return l.Columns*(l.Cols+Border) + Border, gridRows*(l.Rows+Border) + Border
}

// Image draws pixels (n images back to back) as a grid.
func (l Layout) Image(pixels []float32) (image.Image, error) {
	per := l.Shape.Size()
	if l.Rows <= 0 || l.Cols <= 0 || l.Columns <= 0 {
		return nil, fmt.Errorf("grid: tiles of %d×%d in %d columns", l.Rows, l.Cols, l.Columns)
	}
	if len(pixels) == 0 || len(pixels)%per != 0 {
		return nil, fmt.Errorf("grid: %d values are not a whole number of %s images", len(pixels), l.Shape)
	}
	n := len(pixels) / per
	w, h := l.Size(n)
	img, err := l.canvas(image.Rect(0, 0, w, h))
	if err != nil {
		return nil, err
	}
	for k := range n {
		x0 := Border + (k%l.Columns)*(l.Cols+Border)
		y0 := Border + (k/l.Columns)*(l.Rows+Border)
		l.Shape.draw(img, x0, y0, pixels[k*per:(k+1)*per])
	}
	return img, nil
}

// canvas is an image of the layout's colour model, filled with the border's gray.
func (l Layout) canvas(r image.Rectangle) (image.Image, error) {
	switch max(1, l.Channels) {
	case 1:
		img := image.NewGray(r)
		for i := range img.Pix {
			img.Pix[i] = borderGray
		}
		return img, nil
	case 3:
		img := image.NewNRGBA(r)
		for i := range img.Pix {
			img.Pix[i] = borderGray
			if i%4 == 3 {
				img.Pix[i] = 255
			}
		}
		return img, nil
	}
	return nil, fmt.Errorf("grid: %d channels: want 1 (grey) or 3 (colour)", l.Channels)
}

// draw puts one image's values at (x0, y0) of img, made by canvas.
func (s Shape) draw(img image.Image, x0, y0 int, values []float32) {
	plane := s.Rows * s.Cols
	for r := range s.Rows {
		for c := range s.Cols {
			i := r*s.Cols + c
			switch img := img.(type) {
			case *image.Gray:
				img.SetGray(x0+c, y0+r, color.Gray{Y: toByte(values[i])})
			case *image.NRGBA:
				img.SetNRGBA(x0+c, y0+r, color.NRGBA{R: toByte(values[i]), G: toByte(values[plane+i]), B: toByte(values[2*plane+i]), A: 255})
			}
		}
	}
}

func (s Shape) String() string {
	if s.Channels > 1 {
		return fmt.Sprintf("%d×%d×%d", s.Channels, s.Rows, s.Cols)
	}
	return fmt.Sprintf("%d×%d", s.Rows, s.Cols)
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

// Tile encodes one image as a PNG, without borders.
func Tile(w io.Writer, pixels []float32, s Shape) error {
	if len(pixels) != s.Size() {
		return fmt.Errorf("grid: %d values are not one %s image", len(pixels), s)
	}
	return Layout{Shape: s, Columns: 1}.tile(w, pixels)
}

// tile draws one image without the border around it.
func (l Layout) tile(w io.Writer, pixels []float32) error {
	img, err := l.canvas(image.Rect(0, 0, l.Cols, l.Rows))
	if err != nil {
		return err
	}
	l.Shape.draw(img, 0, 0, pixels)
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
