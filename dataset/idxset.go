package dataset

import (
	"fmt"
	"os"
	"path/filepath"
)

// The file names of an IDX data set, as LeCun published MNIST's (and
// Fashion-MNIST, KMNIST and EMNIST kept); each may also end in ".gz".
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
)

// IsIDX tells whether dir holds an IDX data set: any of the four files
// (LoadIDX then names those that are missing).
func IsIDX(dir string) bool {
	for _, name := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		if _, err := find(dir, name); err == nil {
			return true
		}
	}
	return false
}

// LoadIDX reads the training and test sets from a folder holding IDX files
// under the four standard names, gzipped or not: MNIST, Fashion-MNIST,
// KMNIST, EMNIST... The image size comes from the files. The two label files
// are optional, together: without them the images are unlabelled; with them
// the number of classes is the largest label plus one.
func LoadIDX(dir string) (train, test *Set, err error) {
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
	if train.Labelled() != test.Labelled() {
		return nil, nil, fmt.Errorf("data folder %s: labels for one set only: give both %s and %s, or neither", dir, TrainLabels, TestLabels)
	}
	train.Classes = max(train.Classes, test.Classes)
	test.Classes = train.Classes
	return train, test, nil
}

// LoadTestSet reads only the test set (t10k files) from an IDX folder.
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

// loadPair reads an images file and, if there is one, its labels file.
func loadPair(dir, images, labels string) (*Set, error) {
	ip, err := find(dir, images)
	if err != nil {
		return nil, err
	}
	lp, err := find(dir, labels)
	if err != nil {
		lp = ""
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
// labels file (1 dimension: count), or no labels if labelsPath is "".
func LoadSet(imagesPath, labelsPath string) (*Set, error) {
	img, err := ReadIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	if len(img.Dims) != 3 {
		return nil, fmt.Errorf("%s: images need 3 dimensions (count, rows, cols), header has %d", imagesPath, len(img.Dims))
	}
	if img.Dims[0] == 0 || img.Dims[1] == 0 || img.Dims[2] == 0 {
		return nil, fmt.Errorf("%s: holds no images (dimensions %v)", imagesPath, img.Dims)
	}
	s := &Set{Rows: img.Dims[1], Cols: img.Dims[2], Channels: 1, Pixels: img.Data}
	if labelsPath == "" {
		return s, nil
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
	s.Labels = make([]int, len(lab.Data))
	for i, b := range lab.Data {
		s.Labels[i] = int(b)
		s.Classes = max(s.Classes, int(b)+1)
	}
	return s, nil
}
