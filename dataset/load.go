package dataset

import "fmt"

// Spec says where a run's data comes from and how it is prepared. The zero
// value is MNIST from its Go module, grey levels, every image.
type Spec struct {
	Dir        string       // folder of IDX files (or of images); "" = MNIST from its Go module
	Binarize   Binarization // Grey, Static or Dynamic
	Seed       uint64       // the run's seed: draws a Static training set
	TrainLimit int          // keep the first N training images; 0 = all
	TestLimit  int          // keep the first N test images; 0 = all
	TestOnly   bool         // load the test set only (Data.Train stays nil)
}

// Data is a loaded data set: its training and test images and the folder
// they came from.
type Data struct {
	Train, Test *Set
	Dir         string
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
	var train, test *Set
	if spec.TestOnly {
		test, err = LoadTestSet(dir)
	} else {
		train, test, err = LoadMNIST(dir)
	}
	if err != nil {
		return nil, err
	}
	d := &Data{Train: train.Head(spec.TrainLimit), Test: test.Head(spec.TestLimit), Dir: dir}
	return d, d.binarize(spec)
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
