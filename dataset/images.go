package dataset

import (
	"fmt"
	"math"
	"slices"

	"github.com/govae/govae/internal/parallel"
	"github.com/govae/govae/internal/streams"
)

// MaxImageBytes bounds the pixels a folder may load (4 GiB: 5.4 million
// colour images of 16×16... or 72,000 of 128×128×3).
const MaxImageBytes = 1 << 32

// MaxImageSize is the largest side images are resized to.
const MaxImageSize = 512

// LoadFolder reads a folder of PNG and JPEG images (see listFolder), each
// decoded once, resized to spec.ImageSize and kept as bytes in
// spec.Channels channels. A file that cannot be read is an error naming it,
// unless spec.SkipUnreadable: then it is left out and named in Data.Skipped.
func LoadFolder(dir string, spec Spec) (*Data, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	size, channels := spec.imageSize(), spec.channels()
	if size < 1 || size > MaxImageSize {
		return nil, fmt.Errorf("image size %d: want 1 to %d", size, MaxImageSize)
	}
	if channels != 1 && channels != 3 {
		return nil, fmt.Errorf("channels %d: want 1 (grey) or 3 (colour)", channels)
	}
	train, test, err := listSplit(dir, spec)
	if err != nil {
		return nil, err
	}
	d := &Data{Dir: dir}
	all := slices.Clone(test.files)
	if !spec.TestOnly {
		all = append(all, train.files...)
	}
	sets, err := decodeAll(all, size, channels, spec)
	if err != nil {
		return nil, err
	}
	classes := len(train.classes)
	d.Test, d.Skipped, d.Folder = sets.take(0, len(test.files), classes), sets.skipped, true
	if !spec.TestOnly {
		d.Train = sets.take(len(test.files), len(all), classes)
	}
	switch {
	case d.Test.Len() == 0:
		return nil, fmt.Errorf("data folder %s: no readable test images", dir)
	case !spec.TestOnly && d.Train.Len() == 0:
		return nil, fmt.Errorf("data folder %s: no readable training images", dir)
	}
	return d, nil
}

// listSplit lists the training and test images: train/ and test/ if the
// folder has both, else the folder's images split by spec.TestFraction.
func listSplit(dir string, spec Spec) (train, test listing, err error) {
	if trainDir, testDir, ok := splitDirs(dir); ok {
		if train, err = listFolder(trainDir); err != nil {
			return train, test, err
		}
		if test, err = listFolder(testDir); err != nil {
			return train, test, err
		}
		return train, test, test.relabel(train, dir)
	}
	all, err := listFolder(dir)
	if err != nil {
		return train, test, err
	}
	frac := spec.testFraction()
	if !(frac > 0 && frac < 1) {
		return train, test, fmt.Errorf("test fraction %g: want a share strictly between 0 and 1", frac)
	}
	n := len(all.files)
	if n < 2 {
		return train, test, fmt.Errorf("data folder %s: one image cannot be split into a training and a test set", dir)
	}
	nTest := min(n-1, max(1, int(math.Round(frac*float64(n)))))
	order := streams.New(SplitSeed, streams.Items, 0).Perm(n)
	testIdx, trainIdx := slices.Sorted(slices.Values(order[:nTest])), slices.Sorted(slices.Values(order[nTest:]))
	train, test = listing{classes: all.classes}, listing{classes: all.classes}
	for _, i := range trainIdx {
		train.files = append(train.files, all.files[i])
	}
	for _, i := range testIdx {
		test.files = append(test.files, all.files[i])
	}
	return train, test, nil
}

// decoded are files decoded into one block of bytes, with the files that
// could not be read.
type decoded struct {
	pixels  []byte
	labels  []int
	ok      []bool
	per     int
	shape   [2]int // channels, side
	skipped []string
}

// decodeAll decodes files on every CPU, ticking spec.Progress per file.
func decodeAll(files []file, size, channels int, spec Spec) (*decoded, error) {
	per := channels * size * size
	if uint64(len(files))*uint64(per) > MaxImageBytes {
		return nil, fmt.Errorf("%d images of %d×%d×%d would take %d MB, more than the %d MB a data set may: use a smaller image size",
			len(files), channels, size, size, uint64(len(files))*uint64(per)>>20, MaxImageBytes>>20)
	}
	d := &decoded{pixels: make([]byte, len(files)*per), ok: make([]bool, len(files)), per: per, shape: [2]int{channels, size}}
	errs := make([]error, len(files))
	tick := spec.Progress.Start("loading", len(files))
	parallel.Each(len(files), parallel.CPUs(), func(_, i int) error {
		errs[i] = decodeImage(files[i].path, size, channels, d.pixels[i*per:(i+1)*per])
		tick()     // a progress.Func's tick may be called from any goroutine
		return nil // each file's error is kept, and the others still decoded
	})
	var bad []error
	for i, err := range errs {
		d.ok[i] = err == nil
		d.labels = append(d.labels, files[i].label)
		if err != nil {
			bad = append(bad, err)
			d.skipped = append(d.skipped, files[i].path)
		}
	}
	if len(bad) > 0 && !spec.SkipUnreadable {
		more := ""
		if len(bad) > 1 {
			more = fmt.Sprintf(" (and %d more unreadable files)", len(bad)-1)
		}
		return nil, fmt.Errorf("%w%s; to leave unreadable files out, set skip_unreadable: true", bad[0], more)
	}
	return d, nil
}

// take is the Set of the readable files among files[from:to].
func (d *decoded) take(from, to, classes int) *Set {
	s := &Set{Channels: d.shape[0], Rows: d.shape[1], Cols: d.shape[1], Classes: classes}
	if !slices.Contains(d.ok[from:to], false) {
		s.Pixels = d.pixels[from*d.per : to*d.per]
		if classes > 0 {
			s.Labels = d.labels[from:to]
		}
		return s
	}
	for i := from; i < to; i++ {
		if !d.ok[i] {
			continue
		}
		s.Pixels = append(s.Pixels, d.pixels[i*d.per:(i+1)*d.per]...)
		if classes > 0 {
			s.Labels = append(s.Labels, d.labels[i])
		}
	}
	return s
}
