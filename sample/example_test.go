package sample_test

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"

	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
)

// Write pictures as a PNG grid; the extension of the path picks the format
// (.png, .npy, .idx).
func ExampleWrite() {
	pixels := make([]float32, 6*4*4) // six 4×4 images
	for i := range pixels {
		pixels[i] = float32(i%16) / 15
	}
	path := filepath.Join(os.TempDir(), "grid.png")
	if err := sample.Write(path, sample.Images{Pixels: pixels, Rows: 4, Cols: 4, Columns: 3}); err != nil {
		fmt.Println(err)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	fmt.Println(cfg.Width > cfg.Height, err)
	// Output:
	// true <nil>
}

// Stream 1,000 samples of a trained model into a NumPy array, a batch at a
// time.
func ExampleWriteSamples() {
	m, err := model.Open("../model/testdata/tiny.ckpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(os.TempDir(), "samples.npy")
	if err := sample.WriteSamples(context.Background(), path, m, nil, 1000, 1, model.NoLabel, 0, nil); err != nil {
		fmt.Println(err)
		return
	}
	info, err := os.Stat(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Size() > 1000*784*4)
	// Output:
	// true
}
