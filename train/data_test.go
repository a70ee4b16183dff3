package train

import (
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/shapes"
	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
)

// A conditional model trains on a folder of colour PNG and JPEG shapes, as an
// MLP and as a conv model: sizes and classes follow the data, the checkpoint
// opens as a colour model of three classes, the pictures are in colour with
// one row per class, and the loss falls below what an untrained decoder
// scores.
func TestTrainsOnAColourImageFolder(t *testing.T) {
	dir := t.TempDir()
	if err := shapes.WriteFolder(dir, 100, 20, 1); err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"mlp", "conv"} {
		t.Run(arch, func(t *testing.T) {
			cfg := tinyConfig(t)
			cfg.DataDir, cfg.ImageSize, cfg.Channels, cfg.Conditional, cfg.Arch = dir, 16, 3, true, arch
			cfg.InputSize, cfg.Epochs, cfg.BatchSize, cfg.LR = 0, 10, 16, 3e-3
			trainsOnColour(t, cfg)
		})
	}
}

func trainsOnColour(t *testing.T, cfg config.Config) {
	if err := Run(t.Context(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	m, err := model.Open(filepath.Join(cfg.OutDir, CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Config(); s.Input != 3*16*16 || s.Channels != 3 || s.Classes != 3 {
		t.Fatalf("model sizes %+v, want input 768, 3 channels, 3 classes", s)
	}
	img := decodePNG(t, filepath.Join(cfg.OutDir, "sample_10.png"))
	if _, grey := img.(*image.Gray); grey || img.Bounds().Dy() != 3*17+1 {
		t.Errorf("sample_10.png is a %T of height %d, want colour with 3 rows of 16+1", img, img.Bounds().Dy())
	}
	csv, _ := os.ReadFile(filepath.Join(cfg.OutDir, MetricsFile))
	rows := strings.Split(strings.TrimSpace(string(csv)), "\n")
	t.Logf("%s\n%s", rows[1], rows[len(rows)-1])
	first, last := strings.Split(rows[1], ","), strings.Split(rows[len(rows)-1], ",")
	// An untrained decoder (logits near 0) scores about 768·ln 2 = 532 nats;
	// ten epochs must take the test loss well below that and below epoch 1's.
	if loss := parse(t, last[2]); !(loss < 768*math.Ln2-15 && loss < parse(t, first[2])-15) {
		t.Errorf("test loss after 10 epochs %g (epoch 1: %s), want 15 nats below epoch 1's and below %g", loss, first[2], 768*math.Ln2-15)
	}
}

// input_size must match the folder's images when the config gives it.
func TestImageFolderSizeMismatch(t *testing.T) {
	dir := t.TempDir()
	if err := shapes.WriteFolder(dir, 3, 8, 1); err != nil {
		t.Fatal(err)
	}
	cfg := tinyConfig(t)
	cfg.DataDir, cfg.ImageSize, cfg.Channels, cfg.InputSize = dir, 8, 3, 784
	_, _, err := LoadData(cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "input_size: 784, but the images in "+dir+" are 8×8×3 = 192 values") {
		t.Errorf("got %v", err)
	}
	cfg.InputSize, cfg.Channels = 0, 1
	os.RemoveAll(dir)
	for _, name := range []string{"a.png", "b.png"} {
		writeGrey(t, filepath.Join(dir, name))
	}
	cfg.Conditional = true
	if _, _, err := LoadData(cfg, nil); err == nil || !strings.Contains(err.Error(), "conditional: true, but the images in "+dir+" carry no labels") {
		t.Errorf("conditional on a flat folder: got %v", err)
	}
}

func writeGrey(t *testing.T, path string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	png.Encode(f, image.NewGray(image.Rect(0, 0, 8, 8)))
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// An IDX set of another size trains: 20×20 crops of the fixture's digits,
// written without label files (so unlabelled), give a 400-input model.
func TestTrainsOnAnotherIDXSize(t *testing.T) {
	cfg := tinyConfig(t)
	train, test, err := dataset.LoadIDX(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, s := range map[string]*dataset.Set{dataset.TrainImages: train, dataset.TestImages: test} {
		var crops []float32
		for i := range s.Len() {
			img := s.Image(i)
			for r := 4; r < 24; r++ {
				crops = append(crops, img[r*28+4:r*28+24]...)
			}
		}
		if err := sample.Write(filepath.Join(dir, name+".idx"), sample.Images{Pixels: crops, Rows: 20, Cols: 20, Columns: 1}); err != nil {
			t.Fatal(err)
		}
		os.Rename(filepath.Join(dir, name+".idx"), filepath.Join(dir, name))
	}
	cfg.DataDir, cfg.InputSize, cfg.Epochs = dir, 0, 5
	if err := Run(t.Context(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	m, err := model.Open(filepath.Join(cfg.OutDir, CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Config(); s.Input != 400 || s.Classes != 0 {
		t.Errorf("model sizes %v, want 400 inputs", s)
	}
	csv, _ := os.ReadFile(filepath.Join(cfg.OutDir, MetricsFile))
	rows := strings.Split(strings.TrimSpace(string(csv)), "\n")
	first, last := parse(t, strings.Split(rows[1], ",")[2]), parse(t, strings.Split(rows[len(rows)-1], ",")[2])
	if !(last < 0.8*first) {
		t.Errorf("test loss %g after epoch 1, %g after 5: want a fifth lower", first, last)
	}
}
