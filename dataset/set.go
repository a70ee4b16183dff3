package dataset

import (
	"fmt"
	"os"
	"path/filepath"
)

// Set is a labelled set of images, each flattened row-major. It keeps the
// pixels as the bytes of the file (a quarter of the memory of float32) and
// scales them to [0, 1] (byte/255) as batches are gathered.
type Set struct {
	Pixels     []byte // N × Rows·Cols, 0–255
	Labels     []int  // N digits
	Rows, Cols int
}

// scaled maps a byte to its pixel value byte/255, exactly as a division would.
var scaled = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// Len is the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Size is the number of pixels of one image.
func (s *Set) Size() int { return s.Rows * s.Cols }

// Image returns the i-th image's pixels in [0, 1].
func (s *Set) Image(i int) []float32 {
	dst := make([]float32, s.Size())
	s.Gather([]int{i}, dst)
	return dst
}

// Head returns a Set of the first n images (all if n ≤ 0 or n ≥ Len). It
// shares memory with s. The head of no set (nil) is nil.
func (s *Set) Head(n int) *Set {
	if s == nil || n <= 0 || n >= s.Len() {
		return s
	}
	return &Set{Pixels: s.Pixels[:n*s.Size()], Labels: s.Labels[:n], Rows: s.Rows, Cols: s.Cols}
}

// Gather writes the images with the given indices, in order, into dst as
// values in [0, 1]; dst must hold len(idx)·Size values.
func (s *Set) Gather(idx []int, dst []float32) {
	p := s.Size()
	for k, i := range idx {
		out := dst[k*p : (k+1)*p]
		for j, b := range s.Pixels[i*p : (i+1)*p] {
			out[j] = scaled[b]
		}
	}
}

// LabelsOf returns the labels of the images with the given indices, in order.
func (s *Set) LabelsOf(idx []int) []int {
	out := make([]int, len(idx))
	for k, i := range idx {
		out[k] = s.Labels[i]
	}
	return out
}

// The MNIST file names, as LeCun published them; each may also end in ".gz".
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
)

// LoadMNIST reads the training and test sets from a folder holding the four
// MNIST IDX files, gzipped or not.
func LoadMNIST(dir string) (train, test *Set, err error) {
	if err := checkDir(dir); err != nil {
		return nil, nil, err
	}
	if train, err = loadPair(dir, TrainImages, TrainLabels); err != nil {
		return nil, nil, err
	}
	if test, err = loadPair(dir, TestImages, TestLabels); err != nil {
		return nil, nil, err
	}
	if train.Rows != test.Rows || train.Cols != test.Cols {
		return nil, nil, fmt.Errorf("data folder %s: training images are %d×%d but test images are %d×%d",
			dir, train.Rows, train.Cols, test.Rows, test.Cols)
	}
	return train, test, nil
}

// LoadTestSet reads only the test set (t10k files) from an MNIST folder.
func LoadTestSet(dir string) (*Set, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	return loadPair(dir, TestImages, TestLabels)
}

// checkDir reports a data folder that is missing or not a folder.
func checkDir(dir string) error {
	if st, err := os.Stat(dir); err != nil {
		return fmt.Errorf("data folder: %w", err)
	} else if !st.IsDir() {
		return fmt.Errorf("data folder %s: not a directory", dir)
	}
	return nil
}

func loadPair(dir, images, labels string) (*Set, error) {
	ip, err := find(dir, images)
	if err != nil {
		return nil, err
	}
	lp, err := find(dir, labels)
	if err != nil {
		return nil, err
	}
	return LoadSet(ip, lp)
}

// find returns dir/name or dir/name.gz, whichever exists.
func find(dir, name string) (string, error) {
	for _, candidate := range []string{name, name + ".gz"} {
		p := filepath.Join(dir, candidate)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("data folder %s: no %s or %s.gz", dir, name, name)
}

// LoadSet reads one images file (3 dimensions: count, rows, cols) and its
// labels file (1 dimension: count, values 0–9).
func LoadSet(imagesPath, labelsPath string) (*Set, error) {
	img, err := ReadIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	if len(img.Dims) != 3 {
		return nil, fmt.Errorf("%s: images need 3 dimensions (count, rows, cols), header has %d", imagesPath, len(img.Dims))
	}
	lab, err := ReadIDXFile(labelsPath)
	if err != nil {
		return nil, err
	}
	if len(lab.Dims) != 1 {
		return nil, fmt.Errorf("%s: labels need 1 dimension (count), header has %d", labelsPath, len(lab.Dims))
	}
	if img.Dims[0] != lab.Dims[0] {
		return nil, fmt.Errorf("%s has %d images but %s has %d labels", imagesPath, img.Dims[0], labelsPath, lab.Dims[0])
	}
	if img.Dims[0] == 0 {
		return nil, fmt.Errorf("%s: holds no images", imagesPath)
	}
	s := &Set{Rows: img.Dims[1], Cols: img.Dims[2], Pixels: img.Data, Labels: make([]int, len(lab.Data))}
	for i, b := range lab.Data {
		if b > 9 {
			return nil, fmt.Errorf("%s: label %d of image %d is not a digit 0–9", labelsPath, b, i)
		}
		s.Labels[i] = int(b)
	}
	return s, nil
}
