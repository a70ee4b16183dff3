package sample

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

// tinyModel trains a small VAE for one epoch on the fixture and opens its
// checkpoint, as cmd/sample does.
func tinyModel(t *testing.T, latent int) *model.Model {
	return openTrained(t, func(c *config.Config) { c.LatentSize = latent })
}

// tinyConditional is tinyModel for a conditional VAE.
func tinyConditional(t *testing.T) *model.Model {
	return openTrained(t, func(c *config.Config) { c.Conditional = true })
}

func openTrained(t *testing.T, edit func(*config.Config)) *model.Model {
	t.Helper()
	m, err := model.Open(fixture.Trained(t, fixture.Config(t, edit)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSamplesNPY(t *testing.T) {
	m := tinyModel(t, 4)
	im, err := Samples(m, nil, 10, 7, model.NoLabel)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.npy")
	if err := Write(path, im); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte("\x93NUMPY\x01\x00")) {
		t.Fatalf("no NumPy magic: %q", data[:8])
	}
	hlen := int(binary.LittleEndian.Uint16(data[8:]))
	header := string(data[10 : 10+hlen])
	if (10+hlen)%64 != 0 || !strings.HasSuffix(header, "\n") ||
		!strings.Contains(header, "'descr': '<f4'") || !strings.Contains(header, "'shape': (10, 784)") {
		t.Fatalf("header %q (length %d)", header, hlen)
	}
	values := data[10+hlen:]
	if len(values) != 10*784*4 {
		t.Fatalf("%d data bytes, want %d", len(values), 10*784*4)
	}
	for i := 0; i < len(values); i += 4 {
		v := math.Float32frombits(binary.LittleEndian.Uint32(values[i:]))
		if !(v >= 0 && v <= 1) {
			t.Fatalf("value %d = %v, outside [0, 1]", i/4, v)
		}
		if float32(v) != im.Pixels[i/4] {
			t.Fatalf("value %d = %v, the sample has %v", i/4, v, im.Pixels[i/4])
		}
	}
}

func TestSamplesIDXReadBack(t *testing.T) {
	m := tinyModel(t, 4)
	im, err := Samples(m, nil, 5, 1, model.NoLabel)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"s.idx", "s.idx.gz"} {
		path := filepath.Join(t.TempDir(), name)
		if err := Write(path, im); err != nil {
			t.Fatal(err)
		}
		idx, err := dataset.ReadIDXFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(idx.Dims) != 3 || idx.Dims[0] != 5 || idx.Dims[1] != 28 || idx.Dims[2] != 28 {
			t.Errorf("%s: dims %v, want [5 28 28]", name, idx.Dims)
		}
		if got, want := idx.Data[100], uint8(math.Round(float64(im.Pixels[100])*255)); got != want {
			t.Errorf("%s: pixel 100 = %d, want %d", name, got, want)
		}
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	m := tinyModel(t, 4)
	write := func(seed uint64) []byte {
		im, err := Samples(m, nil, 16, seed, model.NoLabel)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "g.png")
		if err := Write(path, im); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		return data
	}
	a, b, c := write(3), write(3), write(4)
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different files")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same file")
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 4*29+1 || b.Dy() != 4*29+1 {
		t.Errorf("16 samples drew a %d×%d grid, want 117×117 (4×4 tiles of 28 and 1-pixel borders)", b.Dx(), b.Dy())
	}
}

// The ends of an interpolation are the reconstructions of its two images.
func TestInterpolationEndsAreReconstructions(t *testing.T) {
	m := tinyModel(t, 4)
	test, err := TestSet(m, "")
	if err != nil {
		t.Fatal(err)
	}
	recon, err := Reconstructions(m, test, []int{3, 5})
	if err != nil {
		t.Fatal(err)
	}
	const px = 784
	for _, spherical := range []bool{false, true} {
		im, err := Interpolate(m, test, [][2]int{{3, 5}}, 6, spherical)
		if err != nil {
			t.Fatal(err)
		}
		if im.Len() != 6 || im.Columns != 6 {
			t.Fatalf("%d images in %d columns, want 6 and 6", im.Len(), im.Columns)
		}
		first, last := im.Pixels[:px], im.Pixels[5*px:]
		wantFirst, wantLast := recon.Pixels[2*px:3*px], recon.Pixels[3*px:]
		for i := range px {
			if math.Abs(float64(first[i]-wantFirst[i])) > 1e-5 || math.Abs(float64(last[i]-wantLast[i])) > 1e-5 {
				t.Fatalf("spherical=%v: pixel %d of the ends is %v, %v; reconstructions %v, %v",
					spherical, i, first[i], last[i], wantFirst[i], wantLast[i])
			}
		}
	}
}

func TestTraverseAndManifoldShapes(t *testing.T) {
	m := tinyModel(t, 2)
	test, err := TestSet(m, "")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Traverse(m, test, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Len() != 2*7 || tr.Columns != 7 {
		t.Errorf("traversal: %d images in rows of %d, want 2 rows of 7", tr.Len(), tr.Columns)
	}
	mf, err := Manifold(m, 5, model.NoLabel)
	if err != nil {
		t.Fatal(err)
	}
	if mf.Len() != 25 || mf.Columns != 5 {
		t.Errorf("manifold: %d images in rows of %d, want 5×5", mf.Len(), mf.Columns)
	}
	for _, name := range []string{"scatter.png", "scatter.svg"} {
		if err := Scatter(m, filepath.Join(t.TempDir(), name), test, 0); err != nil {
			t.Error(err)
		}
	}
}

func TestBadRequests(t *testing.T) {
	m := tinyModel(t, 4)
	test, err := TestSet(m, "")
	if err != nil {
		t.Fatal(err)
	}
	im, _ := Samples(m, nil, 2, 1, model.NoLabel)
	for name, err := range map[string]error{
		"no samples":        second(Samples(m, nil, 0, 1, model.NoLabel)),
		"index outside":     second(Reconstructions(m, test, []int{0, 128})),
		"negative index":    second(Traverse(m, test, -1, 5)),
		"one step":          second(Interpolate(m, test, [][2]int{{0, 1}}, 1, false)),
		"manifold needs 2D": second(Manifold(m, 10, model.NoLabel)),
		"unknown extension": Write(filepath.Join(t.TempDir(), "x.jpg"), im),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_, err = Reconstructions(m, test, []int{128})
	if err == nil || !strings.Contains(err.Error(), "image index 128 is outside the test set (0–127)") {
		t.Errorf("got %v", err)
	}
}

func second(_ Images, err error) error { return err }

func TestLossCurves(t *testing.T) {
	dir := t.TempDir()
	metrics := filepath.Join(dir, "metrics.csv")
	os.WriteFile(metrics, []byte("epoch,train_loss,test_loss,seconds\n1,160,125,9\n2,120,115,9\n"), 0o644)
	out := filepath.Join(dir, "losses.png")
	if err := LossCurves(out, metrics); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(out); err != nil || st.Size() < 1000 {
		t.Errorf("plot: %v", err)
	}
	os.WriteFile(metrics, []byte("epoch,train_loss\n1,160\n"), 0o644)
	if err := LossCurves(out, metrics); err == nil || !strings.Contains(err.Error(), `no "test_loss" column`) {
		t.Errorf("got %v", err)
	}
}

func TestConditionalLabels(t *testing.T) {
	m := tinyConditional(t)
	three, err := Samples(m, nil, 4, 9, 3)
	if err != nil {
		t.Fatal(err)
	}
	eight, err := Samples(m, nil, 4, 9, 8)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(three.Pixels, eight.Pixels) {
		t.Error("the same codes drawn as 3 and as 8 give the same images")
	}
	if _, err := Digits(m, 0, 1); err == nil || !strings.Contains(err.Error(), "n 0: need at least one sample per digit") {
		t.Errorf("no digits: %v", err)
	}
	grid, err := Digits(m, 6, 1)
	if err != nil {
		t.Fatal(err)
	}
	if grid.Len() != 60 || grid.Columns != 6 {
		t.Errorf("digits grid: %d images in rows of %d, want 10 rows of 6", grid.Len(), grid.Columns)
	}
	if _, err := Samples(m, nil, 4, 9, 10); err == nil || !strings.Contains(err.Error(), "label 10: outside 0–9") {
		t.Errorf("label 10: %v", err)
	}
	test, err := TestSet(m, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Interpolate(m, test, [][2]int{{0, 1}}, 4, false); err != nil {
		t.Error(err)
	}
	plain := tinyModel(t, 4)
	if _, err := Samples(plain, nil, 4, 9, 3); err == nil || !strings.Contains(err.Error(), "label 3: the model is not conditional") {
		t.Errorf("a plain model asked for a label: %v", err)
	}
}
