package grid

import (
	"testing"
)

func TestImage(t *testing.T) {
	// Three 2×2 images in two columns: a 2×2 grid with the last tile empty.
	pixels := []float32{
		0, 1, 0.5, -3, // image 0; -3 clamps to black
		1, 1, 1, 1, // image 1
		0, 0, 0, 2, // image 2; 2 clamps to white
	}
	l := Layout{Rows: 2, Cols: 2, Columns: 2}
	img, err := l.Image(pixels)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 7 || b.Dy() != 7 {
		t.Fatalf("grid is %d×%d, want 7×7 (2 tiles of 2 plus 3 borders each way)", b.Dx(), b.Dy())
	}
	for _, tt := range []struct {
		x, y int
		want uint8
	}{
		{0, 0, borderGray.Y}, {1, 1, 0}, {2, 1, 255}, {1, 2, 128}, {2, 2, 0}, // image 0
		{3, 1, borderGray.Y}, {4, 1, 255}, {5, 2, 255}, // image 1
		{2, 5, 255}, {4, 4, borderGray.Y}, // image 2, and the empty tile
	} {
		if got := img.GrayAt(tt.x, tt.y).Y; got != tt.want {
			t.Errorf("pixel (%d,%d) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
	}
	if _, err := l.Image(pixels[:5]); err == nil {
		t.Error("5 values are not whole 2×2 images; want an error")
	}
}
