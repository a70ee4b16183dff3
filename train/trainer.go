package train

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/mpi"
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/internal/streams"
	"github.com/govae/govae/model"
	"github.com/govae/govae/optimizer"
	"github.com/govae/govae/progress"
	"gorgonia.org/tensor"
)

// Trainer holds a run in progress: the model's weights, the optimizer, the
// data, and the training graph of its batch size (the last batch of an epoch
// is usually smaller and gets a graph of its own, sharing the weights, kept
// until the epoch ends).
type Trainer struct {
	Settings    Settings
	Params      *model.Params
	Adam        *optimizer.Adam
	Epoch       int            // epochs completed
	Partial     *EpochProgress // the next epoch's progress, if it is under way
	Train, Test *dataset.Set

	// Progress, if set, is told the number of steps of each epoch and then
	// called once per step.
	Progress progress.Func

	// Prior is the Gaussian fitted to the training codes when the run's last
	// epoch ended (FitPrior), kept in the checkpoint; nil before.
	Prior *model.Prior

	// Group, if set, is the processes this one trains with (see group.go):
	// each takes its share of every batch. Set it before the first epoch.
	Group mpi.Group

	training, eval *runner.Pool[*machine] // one goroutine trains: one machine per batch size
	model          *model.Model           // the weights as a model, for the pictures
	noise          []float32              // a batch's noise
	shared         *shared                // the buffers of training in a group
}

// NewTrainer starts a run from freshly initialised weights.
func NewTrainer(s Settings, trainSet, testSet *dataset.Set) (*Trainer, error) {
	if err := checkpointFits(s.Model); err != nil {
		return nil, err
	}
	p, err := model.NewParams(s.Model, tensor.Float32, streams.New(s.Seed, streams.Init, 0))
	if err != nil {
		return nil, err
	}
	t, err := newTrainer(s, 0, p, optimizer.State{}, trainSet, testSet)
	if err == nil && s.OutputBiasFromData {
		err = p.SetOutputBias(trainSet.Mean())
	}
	return t, err
}

// ResumeTrainer continues the run a checkpoint saved, with settings planned
// from its config (perhaps with more epochs or another output folder).
func ResumeTrainer(ck *Checkpoint, s Settings, trainSet, testSet *dataset.Set) (*Trainer, error) {
	if s.Model != ck.Model.Config {
		return nil, fmt.Errorf("config sizes %v differ from the checkpoint's %v", s.Model, ck.Model.Config)
	}
	p, err := ck.Model.Params()
	if err != nil {
		return nil, err
	}
	t, err := newTrainer(s, ck.Model.Epoch, p, ck.Adam, trainSet, testSet)
	if err != nil {
		return nil, err
	}
	t.Partial = ck.Partial
	return t, nil
}

func newTrainer(s Settings, epoch int, p *model.Params, state optimizer.State, trainSet, testSet *dataset.Set) (*Trainer, error) {
	for _, set := range []*dataset.Set{trainSet, testSet} {
		if set.Size() != s.Model.Input {
			return nil, &config.KeyError{Key: "input_size", Msg: fmt.Sprintf("%d, but the images are %d×%d = %d pixels", s.Model.Input, set.Rows, set.Cols, set.Size())}
		}
	}
	adam := optimizer.NewAdam(s.LR, s.Beta1, s.Beta2, s.AdamEps)
	adam.State = state
	m, err := model.New(p)
	if err != nil {
		return nil, err
	}
	return &Trainer{
		Settings: s, Params: p, Adam: adam, Epoch: epoch, Train: trainSet, Test: testSet, model: m,
		training: runner.NewPool(1, func(batch int) (*machine, error) { return newMachine(p, batch, true, s.Objective) }),
		eval:     runner.NewPool(1, func(batch int) (*machine, error) { return newMachine(p, batch, false, model.Objective{}) }),
	}, nil
}

// ErrInterrupted reports that TrainEpoch stopped between two steps because
// its context ended; Trainer.Partial then records where.
var ErrInterrupted = errors.New("interrupted")

// EpochProgress is how far an epoch under way has come: enough to continue
// it from the next step exactly as if it had never stopped.
type EpochProgress struct {
	Step    int         // steps done
	Sum     model.Terms // their summed loss terms
	Images  int         // images they trained on (skipped batches not counted)
	Skipped int         // batches skipped for a non-finite loss or gradient
	Seconds float64     // time they took
	Noise   []byte      // state of the epoch's noise stream after them
}

// EpochResult is a finished epoch's training figures.
type EpochResult struct {
	Train   model.Terms // per image
	Skipped int
	Seconds float64
}

// TrainEpoch runs the next epoch over the shuffled training set, or the rest
// of it if Partial says it is under way. When ctx ends it stops between two
// steps, records its position in Partial and returns ErrInterrupted. A loss or
// gradient that is not finite stops it with an error naming the epoch and
// step, unless skip_nonfinite is set: then the batch is skipped and counted.
func (t *Trainer) TrainEpoch(ctx context.Context) (EpochResult, error) {
	epoch := t.Epoch + 1
	batches := dataset.Batches(t.Train.Len(), t.Settings.BatchSize, streams.New(t.Settings.Seed, streams.Shuffle, uint32(epoch)))
	src := streams.Source(t.Settings.Seed, streams.Noise, uint32(epoch))
	noise := rand.New(src)
	p := &EpochProgress{}
	if t.Partial != nil {
		p = t.Partial
		if err := src.UnmarshalBinary(p.Noise); err != nil {
			return EpochResult{}, fmt.Errorf("restore noise stream of epoch %d: %w", epoch, err)
		}
	}
	t.Adam.LR = LearningRate(t.Settings.LR, t.Settings.LRDecay, t.Settings.LRStageEpochs, t.Settings.LRStageGrowth, epoch)
	tick := t.Progress.Start("epoch "+strconv.Itoa(epoch), len(batches))
	start := time.Now()
	for p.Step < len(batches) {
		if t.stopping(ctx) {
			p.Noise, _ = src.MarshalBinary()
			p.Seconds += time.Since(start).Seconds()
			t.Partial = p
			return EpochResult{}, fmt.Errorf("epoch %d after step %d of %d: %w", epoch, p.Step, len(batches), ErrInterrupted)
		}
		idx := batches[p.Step]
		terms, err := t.step(ctx, epoch, p.Step, len(batches), idx, noise)
		p.Step++
		switch {
		case errors.Is(err, optimizer.ErrNonFinite) && t.Settings.SkipNonFinite:
			p.Skipped++
		case err != nil:
			return EpochResult{}, fmt.Errorf("epoch %d step %d: %w", epoch, p.Step, err)
		default:
			p.Sum.Add(terms)
			p.Images += len(idx)
		}
		tick()
	}
	t.training.Drop(t.Settings.BatchSize) // the last batch's graph: rebuilt next epoch, its memory free till then
	if p.Images == 0 {
		return EpochResult{}, fmt.Errorf("epoch %d: every one of its %d batches had a non-finite loss or gradient", epoch, len(batches))
	}
	t.Epoch, t.Partial = epoch, nil
	return EpochResult{Train: p.Sum.PerImage(p.Images), Skipped: p.Skipped, Seconds: p.Seconds + time.Since(start).Seconds()}, nil
}

// step trains on one batch with the KL weight of its place in the run.
func (t *Trainer) step(ctx context.Context, epoch, step, steps int, idx []int, noise *rand.Rand) (model.Terms, error) {
	w := KLWeight(t.Settings.Beta, t.Settings.KLWarmupEpochs, epoch, step, steps)
	eps := t.batchNoise(noise, len(idx), t.Settings.Objective.K())
	var terms model.Terms
	var err error
	if t.Group != nil {
		terms, err = t.sharedStep(ctx, t.images(epoch), idx, eps, w)
	} else {
		err = t.training.With(len(idx), func(m *machine) (err error) {
			terms, err = m.step(t.images(epoch), idx, eps, w, t.Adam)
			return err
		})
	}
	if errors.Is(err, optimizer.ErrNonFinite) && !t.Settings.SkipNonFinite {
		err = fmt.Errorf("%w: training diverged (try a smaller lr, or skip_nonfinite: true)", err)
	}
	return terms, err
}

// images are the training images as epoch `epoch` reads them: drawn black
// and white afresh under dynamic binarisation, dequantised afresh for a
// Gaussian decoder, else as loaded.
func (t *Trainer) images(epoch int) images {
	im := images{set: t.Train, seed: streams.DataSeed(t.Settings.Seed), round: epoch}
	switch {
	case t.Settings.Draw.Binarize == dataset.Dynamic:
		im.draw = binary
	case t.Settings.Draw.Dequantize:
		im.draw = dequantized
	}
	return im
}

// Evaluate is the loss on a whole set, per image, without gradient work. The
// noise comes from the evaluation stream of the current epoch, so the figure
// is reproducible. It runs batches of the training's size, or fewer of
// images wider than MNIST's (runner.BatchFor), and lets its graphs go when
// done: a test pass runs once an epoch, and its memory is the training's
// the rest of the time.
func (t *Trainer) Evaluate(set *dataset.Set) (model.Terms, error) {
	noise := streams.New(t.Settings.Seed, streams.Eval, uint32(t.Epoch))
	var sum model.Terms
	defer t.eval.Drop() // its graphs hold activations the next epoch's training can use
	for _, idx := range dataset.Chunks(dataset.Sequential(set.Len()), min(t.Settings.BatchSize, runner.BatchFor(set.Size()))) {
		eps := t.batchNoise(noise, len(idx), 1)
		if idx, eps = t.share(idx, eps); len(idx) == 0 {
			continue
		}
		err := t.eval.With(len(idx), func(m *machine) error {
			terms, err := m.evaluate(set, idx, eps)
			sum.Add(terms)
			return err
		})
		if err != nil {
			return model.Terms{}, fmt.Errorf("evaluate: %w", err)
		}
	}
	if err := t.sumTerms(&sum); err != nil {
		return model.Terms{}, fmt.Errorf("evaluate: %w", err)
	}
	return sum.PerImage(set.Len()), nil
}

// batchNoise draws the noise of a whole batch of n images, k codes each,
// from rng, as one process draws it, whichever of its rows this process
// takes: an image's k codes are consecutive rows, each of
// Model.Noise() values (z1's, then z2's for two stochastic layers).
func (t *Trainer) batchNoise(rng *rand.Rand, n, k int) []float32 {
	size := n * k * t.Settings.Model.Noise()
	t.noise = slices.Grow(t.noise[:0], size)[:size]
	model.FillNormal(t.noise, rng)
	return t.noise
}
