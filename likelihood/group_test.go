package likelihood

import (
	"math"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/mpi"
	"github.com/govae/govae/internal/testkit/ranks"
)

// A group of 3 processes, each on its share of the images, gives every
// rank the estimates one process gives. Each image draws its codes from its
// own stream, so only the encoder's batch size differs (float32 rounding
// of the codes, relative 1e-7): 1e-6 relative holds with margin, and a rank
// that drew another image's stream, or counted an image twice, is off by
// far more.
func TestGroupEstimatesAsOneProcess(t *testing.T) {
	m, testSet := trainedOnFixture(t, func(c *config.Config) { c.HiddenSize, c.LatentSize, c.BatchSize = 64, 8, 32 })
	opts := Options{K: 50, N: 31, Seed: 1, Chunk: 20}
	want, err := Evaluate(m, testSet, opts)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]Result, 3)
	errs := ranks.Run(3, func(g mpi.Group) (err error) {
		o := opts
		o.Group = g
		got[g.Rank()], err = Evaluate(m, testSet, o)
		return err
	})
	for r, res := range got {
		if errs[r] != nil {
			t.Fatalf("rank %d: %v", r, errs[r])
		}
		for _, v := range [][2]float64{{res.NLL, want.NLL}, {res.Recon, want.Recon}, {res.KL, want.KL}} {
			if math.Abs(v[0]-v[1]) > 1e-6*math.Abs(v[1]) {
				t.Errorf("rank %d: %+v, one process %+v", r, res, want)
				break
			}
		}
		if res.N != want.N || res.K != want.K {
			t.Errorf("rank %d counts %d images × %d samples, want %d × %d", r, res.N, res.K, want.N, want.K)
		}
		for i, b := range res.Bounds {
			if len(res.Bounds) != len(want.Bounds) || math.Abs(b.NLL-want.Bounds[i].NLL) > 1e-6*math.Abs(want.Bounds[i].NLL) {
				t.Errorf("rank %d: bounds %+v, one process %+v", r, res.Bounds, want.Bounds)
				break
			}
		}
	}
	// Two images on three processes: one has none, and still sums alike.
	opts.N = 2
	want, err = Evaluate(m, testSet, opts)
	if err != nil {
		t.Fatal(err)
	}
	errs = ranks.Run(3, func(g mpi.Group) (err error) {
		o := opts
		o.Group = g
		got[g.Rank()], err = Evaluate(m, testSet, o)
		return err
	})
	for r, res := range got {
		if errs[r] != nil || math.Abs(res.NLL-want.NLL) > 1e-6*want.NLL || len(res.Bounds) != len(want.Bounds) {
			t.Errorf("2 images, rank %d of 3: %+v (%v), one process %+v", r, res, errs[r], want)
		}
	}
}
