package grid

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func TestImage(t *testing.T) {
	// Three 2×2 images in two columns: a 2×2 grid with the last tile empty.
	pixels := []float32{
		0, 1, 0.5, -3, // image 0; -3 clamps to black
		1, 1, 1, 1, // image 1
		0, 0, 0, 2, // image 2; 2 clamps to white
	}
	l := Layout{Shape: Shape{Rows: 2, Cols: 2}, Columns: 2}
	im, err := l.Image(pixels)
	if err != nil {
		t.Fatal(err)
	}
	img := im.(*image.Gray)
	if b := img.Bounds(); b.Dx() != 7 || b.Dy() != 7 {
		t.Fatalf("grid is %d×%d, want 7×7 (2 tiles of 2 plus 3 borders each way)", b.Dx(), b.Dy())
	}
	for _, tt := range []struct {
		x, y int
		want uint8
	}{
		{0, 0, borderGray}, {1, 1, 0}, {2, 1, 255}, {1, 2, 128}, {2, 2, 0}, // image 0
		{3, 1, borderGray}, {4, 1, 255}, {5, 2, 255}, // image 1
		{2, 5, 255}, {4, 4, borderGray}, // image 2, and the empty tile
	} {
		if got := img.GrayAt(tt.x, tt.y).Y; got != tt.want {
			t.Errorf("pixel (%d,%d) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
	}
	if _, err := l.Image(pixels[:5]); err == nil {
		t.Error("5 values are not whole 2×2 images; want an error")
	}
}

// A colour image's values are three planes, red, green, blue (C×H×W): the
// tile of a 1×2 image shows each pixel's own three values.
func TestColourTile(t *testing.T) {
	values := []float32{
		1, 0, // red plane
		0, 0.5, // green
		0, 1, // blue
	}
	var buf bytes.Buffer
	if err := Tile(&buf, values, Shape{Channels: 3, Rows: 1, Cols: 2}); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := []color.NRGBA{{255, 0, 0, 255}, {0, 128, 255, 255}}
	for x, w := range want {
		if got := color.NRGBAModel.Convert(img.At(x, 0)).(color.NRGBA); got != w {
			t.Errorf("pixel %d = %v, want %v", x, got, w)
		}
	}
	if err := Tile(&buf, values[:5], Shape{Channels: 3, Rows: 1, Cols: 2}); err == nil {
		t.Error("5 values are not one 3×1×2 image; want an error")
	}
	if got := ShapeOf(3*32*32, 3); got != (Shape{3, 32, 32}) {
		t.Errorf("ShapeOf(3072, 3) = %v, want 3×32×32", got)
	}
}
