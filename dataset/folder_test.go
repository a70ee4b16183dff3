package dataset

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/govae/govae/internal/shapes"
)

// writePNG writes img to path, making its folder.
func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// digitFolder writes the first n MNIST fixture training images as PNGs, one
// folder per digit, and returns the folder and the images.
func digitFolder(t *testing.T, n int) (string, *Set) {
	t.Helper()
	train, _, err := LoadIDX(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	train = train.Head(n)
	dir := t.TempDir()
	for i := range n {
		img := image.NewGray(image.Rect(0, 0, 28, 28))
		copy(img.Pix, train.Pixels[i*784:(i+1)*784])
		writePNG(t, filepath.Join(dir, strconv.Itoa(train.Labels[i]), fmt.Sprintf("%03d.png", i)), img)
	}
	return dir, train
}

// A folder of class folders of 28×28 grey PNGs reads back byte for byte:
// the digits are the classes, the split is seeded and the same every time,
// and every image lands in exactly one set.
func TestFolderOfDigits(t *testing.T) {
	dir, want := digitFolder(t, 200)
	d, err := Load(Spec{Dir: dir, TestFraction: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Folder || d.Train.Len() != 150 || d.Test.Len() != 50 {
		t.Fatalf("folder: %v, %d train + %d test images, want 150 + 50", d.Folder, d.Train.Len(), d.Test.Len())
	}
	if d.Train.Classes != 10 || d.Train.Rows != 28 || d.Train.Channels != 1 {
		t.Fatalf("classes %d, %d×%d×%d", d.Train.Classes, d.Train.Channels, d.Train.Rows, d.Train.Cols)
	}
	// Every original image is found, with its digit, exactly once.
	found := map[string]int{}
	for _, s := range []*Set{d.Train, d.Test} {
		for i := range s.Len() {
			found[string(s.Pixels[i*784:(i+1)*784])+string(rune('0'+s.Labels[i]))]++
		}
	}
	for i := range want.Len() {
		if found[string(want.Pixels[i*784:(i+1)*784])+string(rune('0'+want.Labels[i]))] != 1 {
			t.Fatalf("training image %d (a %d) is not in the folder's sets exactly once", i, want.Labels[i])
		}
	}
	again, err := Load(Spec{Dir: dir, TestFraction: 0.25, Seed: 99})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.Test.Pixels, d.Test.Pixels) {
		t.Error("the split changed between two loads (or with the run's seed)")
	}
}

// train/ and test/ subfolders are the two sets; the test set's classes are
// numbered as the training set's.
func TestFolderWithTrainAndTest(t *testing.T) {
	dir := t.TempDir()
	dot := func(v uint8) image.Image {
		img := image.NewGray(image.Rect(0, 0, 4, 4))
		img.Pix[5] = v
		return img
	}
	writePNG(t, filepath.Join(dir, "train", "a", "1.png"), dot(10))
	writePNG(t, filepath.Join(dir, "train", "b", "1.png"), dot(20))
	writePNG(t, filepath.Join(dir, "train", "c", "1.png"), dot(30))
	writePNG(t, filepath.Join(dir, "test", "c", "1.png"), dot(40))
	d, err := Load(Spec{Dir: dir, ImageSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 3 || d.Test.Len() != 1 || d.Test.Labels[0] != 2 || d.Test.Classes != 3 || d.Test.Pixels[5] != 40 {
		t.Errorf("train %d, test %d with labels %v of %d classes, pixel %d", d.Train.Len(), d.Test.Len(), d.Test.Labels, d.Test.Classes, d.Test.Pixels[5])
	}
	writePNG(t, filepath.Join(dir, "test", "z", "1.png"), dot(1))
	if _, err := Load(Spec{Dir: dir, ImageSize: 4}); err == nil || !strings.Contains(err.Error(), `class "z" is not among the training classes (a, b, c)`) {
		t.Errorf("a test class unknown to training: got %v", err)
	}
}

// Colour: shapes drawn in PNG and JPEG load as three planes; the same files
// as grey are the luma of those planes; mixed sizes are resized.
func TestColourFolder(t *testing.T) {
	dir := t.TempDir()
	if err := shapes.WriteFolder(dir, 10, 24, 1); err != nil {
		t.Fatal(err)
	}
	writePNG(t, filepath.Join(dir, "square", "big.png"), shapes.Draw(1, 100, rand.New(rand.NewPCG(1, 2))))
	rgb, err := Load(Spec{Dir: dir, ImageSize: 16, Channels: 3, TestFraction: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	grey, err := Load(Spec{Dir: dir, ImageSize: 16, TestFraction: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if s := rgb.Train; s.Channels != 3 || s.Rows != 16 || s.Size() != 768 || s.Classes != 3 || s.Len()+rgb.Test.Len() != 31 {
		t.Fatalf("colour set: %d×%d×%d, %d classes, %d+%d images", s.Channels, s.Rows, s.Cols, s.Classes, s.Len(), rgb.Test.Len())
	}
	for i := range grey.Train.Len() {
		c, g := rgb.Train.Pixels[i*768:(i+1)*768], grey.Train.Pixels[i*256:(i+1)*256]
		for j := range 256 {
			want := color.GrayModel.Convert(color.RGBA{c[j], c[256+j], c[512+j], 255}).(color.Gray).Y
			if d := int(g[j]) - int(want); d < -1 || d > 1 {
				t.Fatalf("image %d pixel %d: grey %d, luma of (%d,%d,%d) is %d", i, j, g[j], c[j], c[256+j], c[512+j], want)
			}
		}
	}
}

// Bad folders fail with one line naming the folder or file; an unreadable
// file may be skipped when asked, and is then named in Data.Skipped.
func TestBadFolders(t *testing.T) {
	grey := image.NewGray(image.Rect(0, 0, 8, 8))
	tests := []struct {
		name    string
		setup   func(dir string)
		spec    Spec
		wantErr string
	}{
		{"empty folder", func(string) {}, Spec{}, "holds neither IDX files (train-images-idx3-ubyte...) nor images (.png, .jpg, .jpeg), loose or in class folders"},
		{"no images", func(dir string) { os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hi"), 0o644) }, Spec{}, "nor images"},
		{"empty class folder", func(dir string) {
			writePNG(t, filepath.Join(dir, "a", "1.png"), grey)
			os.MkdirAll(filepath.Join(dir, "b"), 0o755)
		}, Spec{}, "b: class folder holds no images"},
		{"image beside class folders", func(dir string) {
			writePNG(t, filepath.Join(dir, "a", "1.png"), grey)
			writePNG(t, filepath.Join(dir, "loose.png"), grey)
		}, Spec{}, "loose.png: an image beside class folders (a)"},
		{"one image", func(dir string) { writePNG(t, filepath.Join(dir, "1.png"), grey) }, Spec{}, "one image cannot be split"},
		{"corrupt PNG", func(dir string) {
			writePNG(t, filepath.Join(dir, "1.png"), grey)
			writePNG(t, filepath.Join(dir, "2.png"), grey)
			os.WriteFile(filepath.Join(dir, "3.png"), []byte("\x89PNG\r\n\x1a\nnot really"), 0o644)
		}, Spec{}, "3.png: "},
		{"test fraction 1", func(dir string) {
			writePNG(t, filepath.Join(dir, "1.png"), grey)
			writePNG(t, filepath.Join(dir, "2.png"), grey)
		}, Spec{TestFraction: 1}, "test fraction 1: want a share strictly between 0 and 1"},
		{"colour IDX", func(dir string) {}, Spec{Dir: fixtureDir, Channels: 3}, "channels 3: the IDX images in testdata/mnist are grey"},
		{"resized IDX", func(dir string) {}, Spec{Dir: fixtureDir, ImageSize: 32}, "image size 32: the IDX images in testdata/mnist are 28×28"},
		{"huge image size", func(dir string) { writePNG(t, filepath.Join(dir, "1.png"), grey) }, Spec{ImageSize: 100000}, "image size 100000: want 1 to 512"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		tt.setup(dir)
		if tt.spec.Dir == "" {
			tt.spec.Dir = dir
		}
		_, err := Load(tt.spec)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.wantErr)
		}
	}
	// Asked to, the loader leaves the corrupt file out and names it.
	dir := t.TempDir()
	for _, name := range []string{"1.png", "2.png", "4.png"} {
		writePNG(t, filepath.Join(dir, name), grey)
	}
	os.WriteFile(filepath.Join(dir, "3.png"), []byte("\x89PNG\r\n\x1a\nnot really"), 0o644)
	d, err := Load(Spec{Dir: dir, SkipUnreadable: true, TestFraction: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Skipped) != 1 || filepath.Base(d.Skipped[0]) != "3.png" || d.Train.Len()+d.Test.Len() != 3 {
		t.Errorf("skipped %v, kept %d+%d", d.Skipped, d.Train.Len(), d.Test.Len())
	}
}
