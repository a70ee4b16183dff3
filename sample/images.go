package sample

import (
	"fmt"
	"math"

	"github.com/govae/govae/internal/grid"
)

// Images are n pictures of Rows×Cols pixels in [0, 1], back to back, to be
// laid out Columns per row when drawn as a grid. A colour picture (Channels
// 3) is three planes of Rows×Cols values: red, green, blue.
type Images struct {
	Pixels     []float32
	Channels   int // 0 or 1: grey; 3: colour
	Rows, Cols int
	Columns    int
}

// Len is the number of images.
func (im Images) Len() int { return len(im.Pixels) / im.shape().Size() }

func (im Images) shape() grid.Shape {
	return grid.Shape{Channels: max(1, im.Channels), Rows: im.Rows, Cols: im.Cols}
}

// squareColumns is the column count of a square-ish grid of n tiles.
func squareColumns(n int) int { return int(math.Ceil(math.Sqrt(float64(n)))) }

// checkIndex rejects an image index outside a set of n.
func checkIndex(i, n int) error {
	if i < 0 || i >= n {
		return fmt.Errorf("image index %d is outside the test set (0–%d)", i, n-1)
	}
	return nil
}
