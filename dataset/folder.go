package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// An image folder is read like torchvision's ImageFolder: one subfolder per
// class, the class names sorted to give labels 0, 1, ..., or a flat folder
// of unlabelled images. If the folder holds both a train/ and a test/
// subfolder, each is such a folder and they are the two sets; otherwise the
// images are split by Spec.TestFraction, drawn with SplitSeed.

// ImageExtensions are the files an image folder reads (in any letter case);
// other files, and names starting with ".", are passed over.
var ImageExtensions = []string{".png", ".jpg", ".jpeg"}

// SplitSeed draws the test images of a folder without train/ and test/, the
// same for every run, so that models trained with other seeds meet the same
// test set.
const SplitSeed = 0x5EED_5B17

// file is one image of a folder and its label (-1 when unlabelled).
type file struct {
	path  string
	label int
}

// listing is what a folder holds: its images and the class names.
type listing struct {
	files   []file
	classes []string // nil for a flat folder
}

// listFolder lists a folder of images: class subfolders (searched to any
// depth) or images directly inside.
func listFolder(dir string) (listing, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return listing{}, fmt.Errorf("data folder: %w", err)
	}
	var l listing
	var loose []string
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), "."):
		case e.IsDir():
			l.classes = append(l.classes, e.Name())
		case isImage(e.Name()):
			loose = append(loose, filepath.Join(dir, e.Name()))
		}
	}
	if len(l.classes) > 0 && len(loose) > 0 {
		return listing{}, fmt.Errorf("%s: an image beside class folders (%s); put every image in its class's folder", loose[0], strings.Join(l.classes, ", "))
	}
	for _, p := range loose {
		l.files = append(l.files, file{path: p, label: -1})
	}
	for label, class := range l.classes {
		n := len(l.files)
		err := filepath.WalkDir(filepath.Join(dir, class), func(p string, d os.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case strings.HasPrefix(d.Name(), ".") && p != filepath.Join(dir, class):
				if d.IsDir() {
					return filepath.SkipDir
				}
			case !d.IsDir() && isImage(d.Name()):
				l.files = append(l.files, file{path: p, label: label})
			}
			return nil
		})
		if err != nil {
			return listing{}, fmt.Errorf("data folder: %w", err)
		}
		if len(l.files) == n {
			return listing{}, fmt.Errorf("%s: class folder holds no images (%s)", filepath.Join(dir, class), strings.Join(ImageExtensions, ", "))
		}
	}
	if len(l.files) == 0 {
		return listing{}, fmt.Errorf("data folder %s: holds neither IDX files (%s...) nor images (%s), loose or in class folders", dir, TrainImages, strings.Join(ImageExtensions, ", "))
	}
	return l, nil
}

// relabel maps a test folder's labels onto the training folder's classes.
func (l *listing) relabel(train listing, dir string) error {
	if (train.classes == nil) != (l.classes == nil) {
		return fmt.Errorf("data folder %s: train/ and test/ must both hold class folders, or neither", dir)
	}
	for i, f := range l.files {
		if f.label < 0 {
			continue
		}
		name := l.classes[f.label]
		j := slices.Index(train.classes, name)
		if j < 0 {
			return fmt.Errorf("%s: class %q is not among the training classes (%s)", filepath.Join(dir, "test", name), name, strings.Join(train.classes, ", "))
		}
		l.files[i].label = j
	}
	l.classes = train.classes
	return nil
}

func isImage(name string) bool {
	return slices.Contains(ImageExtensions, strings.ToLower(filepath.Ext(name)))
}

// splitDirs are a folder's train/ and test/ subfolders, if it has both.
func splitDirs(dir string) (train, test string, ok bool) {
	train, test = filepath.Join(dir, "train"), filepath.Join(dir, "test")
	a, errA := os.Stat(train)
	b, errB := os.Stat(test)
	return train, test, errA == nil && errB == nil && a.IsDir() && b.IsDir()
}
