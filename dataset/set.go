package dataset

import (
	"fmt"
	"os"
	"path/filepath"
)

// Set is a labelled set of images, each flattened row-major, pixels scaled to
// [0, 1] (byte/255).
type Set struct {
	Images     []float32 // N × Rows·Cols
	Labels     []int     // N digits
	Rows, Cols int
}

// Len is the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Pixels is the number of pixels of one image.
func (s *Set) Pixels() int { return s.Rows * s.Cols }

// Image returns the i-th image's pixels (a view, not a copy).
func (s *Set) Image(i int) []float32 {
	p := s.Pixels()
	return s.Images[i*p : (i+1)*p]
}

// Head returns a Set of the first n images (all if n ≤ 0 or n ≥ Len). It
// shares memory with s.
func (s *Set) Head(n int) *Set {
	if n <= 0 || n >= s.Len() {
		return s
	}
	return &Set{Images: s.Images[:n*s.Pixels()], Labels: s.Labels[:n], Rows: s.Rows, Cols: s.Cols}
}

// Gather copies the images with the given indices, in order, into dst, which
// must hold len(idx)·Pixels values.
func (s *Set) Gather(idx []int, dst []float32) {
	p := s.Pixels()
	for k, i := range idx {
		copy(dst[k*p:(k+1)*p], s.Images[i*p:(i+1)*p])
	}
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
	if st, err := os.Stat(dir); err != nil {
		return nil, nil, fmt.Errorf("data folder: %w", err)
	} else if !st.IsDir() {
		return nil, nil, fmt.Errorf("data folder %s: not a directory", dir)
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
	s := &Set{Rows: img.Dims[1], Cols: img.Dims[2], Images: make([]float32, len(img.Data)), Labels: make([]int, len(lab.Data))}
	for i, b := range img.Data {
		s.Images[i] = float32(b) / 255
	}
	for i, b := range lab.Data {
		if b > 9 {
			return nil, fmt.Errorf("%s: label %d of image %d is not a digit 0–9", labelsPath, b, i)
		}
		s.Labels[i] = int(b)
	}
	return s, nil
}
