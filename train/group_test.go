package train

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/mpi"
	"github.com/govae/govae/internal/testkit/ranks"
	"github.com/govae/govae/model"
	"github.com/govae/govae/optimizer"
)

// Tolerances between a group's training and one process's. A group sums
// each rank's partial gradient, one process sums all rows in one product:
// the same numbers added in another order, which in float32 differ in the
// last bits (relative 1e-7 to 1e-6) at every step. Adam divides each
// gradient by its own running scale, so those differences stay relative
// ones: after two epochs of this tiny model the weights differ by about
// 3e-8 of their norm (the test logs it). The bounds leave a factor of ~300
// for other CPUs' kernels and still fail on any real difference: a rank
// reading another rank's noise moves the weights by 1e-2 of their norm.
const (
	weightsTol = 1e-5 // ‖w_group − w_one‖ / ‖w_one‖
	lossTol    = 1e-5 // relative, per-image loss terms
)

// groupTrainers makes the trainers of a group of n, one per rank, each with
// the whole data, as each process of an mpirun job would.
func groupTrainers(t *testing.T, cfg config.Config, n int) []*Trainer {
	t.Helper()
	ts := make([]*Trainer, n)
	for r, g := range ranks.New(n) {
		ts[r] = newTinyTrainer(t, cfg)
		ts[r].Group = g
	}
	return ts
}

// each runs f on every rank's trainer at once and fails on any error.
func each(t *testing.T, ts []*Trainer, f func(r int, tr *Trainer) error) {
	t.Helper()
	errs := ranks.Run(len(ts), func(g mpi.Group) error { return f(g.Rank(), ts[g.Rank()]) })
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// relDiff is ‖a − b‖ / ‖b‖ over all the weights.
func relDiff(a, b *model.Params) float64 {
	var d, n float64
	bw := b.All()
	for i, w := range a.All() {
		x, y := w.Tensor.Float32s(), bw[i].Tensor.Float32s()
		for j := range x {
			d += float64(x[j]-y[j]) * float64(x[j]-y[j])
			n += float64(y[j]) * float64(y[j])
		}
	}
	return math.Sqrt(d / n)
}

func closeTerms(a, b model.Terms) bool {
	return math.Abs(a.Recon-b.Recon) <= lossTol*math.Abs(b.Recon) && math.Abs(a.KL-b.KL) <= lossTol*math.Abs(b.KL)+1e-6
}

// A group of 2 or 3 trains as one process does: after two epochs every
// rank holds the same weights bit for bit, within float32 summation of one
// process's, with the same losses — with a last batch that leaves a rank no
// rows, under KL warm-up, lr stages and dynamic binarisation.
func TestGroupTrainsAsOneProcess(t *testing.T) {
	for _, tt := range []struct {
		name string
		n    int
		edit func(*config.Config)
	}{
		{"2 ranks", 2, func(*config.Config) {}},
		{"3 ranks, a rank with no rows in the last batch", 3, func(c *config.Config) { c.BatchSize = 73 }}, // 512 = 7·73 + 1
		{"2 ranks, warm-up, lr stages, binarised", 2, func(c *config.Config) {
			c.KLWarmupEpochs, c.LRDecay, c.LRStageEpochs, c.Binarize = 2, 0.5, 1, "dynamic"
		}},
		{"2 ranks, conditional", 2, func(c *config.Config) { c.Conditional = true }},
		{"3 ranks, iwae k=3, a rank with no rows", 3, func(c *config.Config) { c.Objective, c.Samples, c.BatchSize = "iwae", 3, 73 }},
		{"2 ranks, two stochastic layers, iwae k=2", 2, func(c *config.Config) {
			c.Stochastic, c.Hidden2, c.Latent2, c.Objective, c.Samples = 2, 8, 2, "iwae", 2
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tinyConfig(t)
			tt.edit(&cfg)
			one := newTinyTrainer(t, cfg)
			var want [2]EpochResult
			for e := range want {
				r, err := one.TrainEpoch(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				want[e] = r
			}
			wantTest, err := one.Evaluate(one.Test)
			if err != nil {
				t.Fatal(err)
			}

			ts := groupTrainers(t, cfg, tt.n)
			got := make([][2]EpochResult, tt.n)
			gotTest := make([]model.Terms, tt.n)
			each(t, ts, func(r int, tr *Trainer) (err error) {
				for e := range 2 {
					if got[r][e], err = tr.TrainEpoch(t.Context()); err != nil {
						return err
					}
				}
				gotTest[r], err = tr.Evaluate(tr.Test)
				return err
			})
			for r, tr := range ts {
				if d := tr.Digest(); d != ts[0].Digest() {
					t.Errorf("rank %d's weights %s differ from rank 0's %s", r, d, ts[0].Digest())
				}
				for e := range 2 {
					if !closeTerms(got[r][e].Train, want[e].Train) {
						t.Errorf("rank %d, epoch %d: training loss %+v, one process %+v", r, e+1, got[r][e].Train, want[e].Train)
					}
				}
				if !closeTerms(gotTest[r], wantTest) {
					t.Errorf("rank %d: test loss %+v, one process %+v", r, gotTest[r], wantTest)
				}
			}
			d := relDiff(ts[0].Params, one.Params)
			t.Logf("weights after 2 epochs: relative difference %.2g from one process", d)
			if d > weightsTol {
				t.Errorf("weights differ from one process's by %.3g (relative), more than %g", d, weightsTol)
			}
		})
	}
}

// A stop asked of one rank alone (its ctx ends) is taken by every rank
// after the same step, so none is left waiting in a sum; rank 0's
// checkpoint of it resumes in one process and ends where one process
// trained straight through does.
func TestGroupStopsTogetherAndResumesAlone(t *testing.T) {
	cfg := tinyConfig(t)
	ts := groupTrainers(t, cfg, 2)
	stopped, stop := context.WithCancel(t.Context())
	stop()
	errs := ranks.Run(2, func(g mpi.Group) error {
		ctx := t.Context()
		if g.Rank() == 1 {
			ctx = stopped
		}
		_, err := ts[g.Rank()].TrainEpoch(ctx)
		return err
	})
	for r, err := range errs {
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("rank %d: %v, want ErrInterrupted", r, err)
		}
		if p := ts[r].Partial; p == nil || p.Step != 1 {
			t.Fatalf("rank %d stopped at %+v, want after step 1", r, p)
		}
	}
	path := filepath.Join(t.TempDir(), "stopped.ckpt")
	if err := ts[0].Checkpoint().Save(path); err != nil {
		t.Fatal(err)
	}
	ck, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := ResumeTrainer(ck, plan(t, ck.Config), ts[0].Train, ts[0].Test)
	if err != nil {
		t.Fatal(err)
	}
	one := newTinyTrainer(t, cfg)
	for _, tr := range []*Trainer{resumed, one} {
		for tr.Epoch < 2 {
			if _, err := tr.TrainEpoch(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if d := relDiff(resumed.Params, one.Params); d > weightsTol {
		t.Errorf("stopped in a group and resumed alone, the weights differ from one straight run by %.3g", d)
	}
}

// A one-process checkpoint resumes in a group of 3, which ends where one
// process does.
func TestOneProcessCheckpointResumesInAGroup(t *testing.T) {
	cfg := tinyConfig(t)
	one := newTinyTrainer(t, cfg)
	if _, err := one.TrainEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "epoch1.ckpt")
	if err := one.Checkpoint().Save(path); err != nil {
		t.Fatal(err)
	}
	ts := make([]*Trainer, 3)
	for r, g := range ranks.New(3) {
		ck, err := LoadCheckpoint(path)
		if err != nil {
			t.Fatal(err)
		}
		if ts[r], err = ResumeTrainer(ck, plan(t, ck.Config), one.Train, one.Test); err != nil {
			t.Fatal(err)
		}
		ts[r].Group = g
	}
	each(t, ts, func(_ int, tr *Trainer) error {
		_, err := tr.TrainEpoch(t.Context())
		return err
	})
	if _, err := one.TrainEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	for r, tr := range ts {
		if d := relDiff(tr.Params, one.Params); d > weightsTol || tr.Digest() != ts[0].Digest() {
			t.Errorf("rank %d: weights %.3g from one process's, digest %s (rank 0 %s)", r, d, tr.Digest(), ts[0].Digest())
		}
	}
}

// A loss that is not finite on one rank is not finite on all: every rank
// skips the step (or stops), and no weight moves anywhere.
func TestGroupSkipsANonFiniteStepTogether(t *testing.T) {
	cfg := tinyConfig(t)
	ts := groupTrainers(t, cfg, 2)
	before := ts[0].Digest()
	idx := []int{0, 1, 2, 3}
	errs := ranks.Run(2, func(g mpi.Group) error {
		tr := ts[g.Rank()]
		eps := make([]float32, len(idx)*cfg.LatentSize)
		if g.Rank() == 1 {
			eps[len(eps)-1] = float32(math.NaN())
		}
		_, err := tr.sharedStep(t.Context(), tr.images(1), idx, eps, 1)
		return err
	})
	for r, err := range errs {
		if !errors.Is(err, optimizer.ErrNonFinite) {
			t.Errorf("rank %d: %v, want ErrNonFinite", r, err)
		}
		if d := ts[r].Digest(); d != before {
			t.Errorf("rank %d's weights moved (%s → %s) on a non-finite step", r, before, d)
		}
	}
}

// Ranks that do not start from the same weights are told so at the start,
// with both digests, rather than training apart.
func TestGroupRefusesRanksThatDisagree(t *testing.T) {
	cfg := tinyConfig(t)
	ts := groupTrainers(t, cfg, 2)
	ts[1].Params.Fc1.W.Float32s()[0] += 1
	errs := ranks.Run(2, func(g mpi.Group) error {
		_, err := ts[g.Rank()].agree("at the start")
		return err
	})
	if errs[0] != nil || errs[1] == nil || !strings.Contains(errs[1].Error(), "rank 1's weights") {
		t.Errorf("errors %v, want rank 1 alone to say its weights differ from rank 0's", errs)
	}
}
