package dataset

import (
	"cmp"
	"fmt"

	"github.com/govae/govae/progress"
)

// Spec says where a run's data comes from and how it is prepared. The zero
// value is MNIST from its Go module, grey levels, every image.
type Spec struct {
	Dir        string       // folder of IDX files or of images; "" = MNIST from its Go module
	Binarize   Binarization // Grey, Static or Dynamic
	Dequantize bool         // continuous values for a Gaussian decoder: the test set gets fixed noise (DequantizeTestSeed)

	// Image folders only (IDX files say their own size; giving another is an error).
	ImageSize      int           // side of the square images are resized to; 0 = 28
	Channels       int           // 1 (grey) or 3 (colour); 0 = 1
	TestFraction   float64       // share of a folder without train/ and test/ held out for testing; 0 = 0.1
	SkipUnreadable bool          // leave out files that cannot be decoded (Data.Skipped names them)
	Progress       progress.Func // told the number of image files, then ticked per file decoded

	Seed       uint64 // the run's seed: draws a Static training set
	TrainLimit int    // keep the first N training images; 0 = all
	TestLimit  int    // keep the first N test images; 0 = all
	TestOnly   bool   // load the test set only (Data.Train stays nil)
}

// Data is a loaded data set: its training and test images and the folder
// they came from.
type Data struct {
	Train, Test *Set
	Dir         string
	Folder      bool     // read from image files, not IDX
	Skipped     []string // unreadable image files left out (Spec.SkipUnreadable)
}

// Defaults of an image folder's Spec.
const (
	DefaultImageSize    = 28
	DefaultTestFraction = 0.1
)

func (s Spec) imageSize() int { return cmp.Or(s.ImageSize, DefaultImageSize) }
func (s Spec) channels() int  { return cmp.Or(s.Channels, 1) }
func (s Spec) testFraction() float64 {
	return cmp.Or(s.TestFraction, DefaultTestFraction)
}

// Load reads the data a Spec names. A binarised test set is drawn with
// BinaryTestSeed, so every model meets the same one; a Static training set is
// drawn once with the run's seed; a Dynamic one stays grey here, for the
// trainer to draw with GatherBinary each time it uses an image.
func Load(spec Spec) (*Data, error) {
	dir, err := Locate(spec.Dir)
	if err != nil {
		return nil, err
	}
	var d *Data
	if IsIDX(dir) {
		d, err = loadIDX(dir, spec)
	} else {
		d, err = LoadFolder(dir, spec)
	}
	if err != nil {
		return nil, err
	}
	d.Train, d.Test = d.Train.Head(spec.TrainLimit), d.Test.Head(spec.TestLimit)
	if spec.Dequantize {
		if spec.Binarize != Grey {
			return nil, fmt.Errorf("binarised data cannot be dequantized: binarisation is for a Bernoulli decoder")
		}
		d.Test = d.Test.Dequantized(DequantizeTestSeed)
	}
	return d, d.binarize(spec)
}

// loadIDX reads an IDX folder, whose files set the image size: a Spec that
// asks for another size or for colour is an error.
func loadIDX(dir string, spec Spec) (*Data, error) {
	d := &Data{Dir: dir}
	var err error
	if spec.TestOnly {
		d.Test, err = LoadTestSet(dir)
	} else {
		d.Train, d.Test, err = LoadIDX(dir)
	}
	if err != nil {
		return nil, err
	}
	if s := d.Test; spec.ImageSize != 0 && (s.Rows != spec.ImageSize || s.Cols != spec.ImageSize) {
		return nil, fmt.Errorf("image size %d: the IDX images in %s are %d×%d (IDX files keep their own size)", spec.ImageSize, dir, s.Rows, s.Cols)
	}
	if spec.Channels > 1 {
		return nil, fmt.Errorf("channels %d: the IDX images in %s are grey (1 channel)", spec.Channels, dir)
	}
	return d, nil
}

// binarize draws the sets black and white as spec says.
func (d *Data) binarize(spec Spec) error {
	switch spec.Binarize {
	case Grey, Dynamic:
	case Static:
		if d.Train != nil {
			d.Train = d.Train.Binarized(spec.Seed)
		}
	default:
		return fmt.Errorf("binarization %d: unknown", spec.Binarize)
	}
	if spec.Binarize != Grey {
		d.Test = d.Test.Binarized(BinaryTestSeed)
	}
	return nil
}
