package train

import (
	"context"
	"fmt"
	"math"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// Trainer holds a run in progress: the model's weights, the optimizer, the
// data, and the graphs compiled so far (one per batch size: the last batch of
// an epoch is usually smaller and gets a graph of its own, sharing the weights).
type Trainer struct {
	Config      Config
	Params      *model.Params
	Adam        *Adam
	Epoch       int // epochs completed
	Train, Test *dataset.Set

	// Progress, if set, is told the number of steps of each epoch and then
	// called once per step.
	Progress func(epoch, steps int) (tick func())

	training, eval map[int]*machine
}

// NewTrainer starts a run from freshly initialised weights.
func NewTrainer(cfg Config, trainSet, testSet *dataset.Set) (*Trainer, error) {
	p, err := model.NewParams(cfg.Sizes(), tensor.Float32, stream(cfg.Seed, streamInit, 0))
	if err != nil {
		return nil, err
	}
	adam := NewAdam(cfg.LR, cfg.Beta1, cfg.Beta2, cfg.AdamEps)
	return newTrainer(cfg, 0, p, adam, trainSet, testSet)
}

// ResumeTrainer continues the run a checkpoint saved, with cfg (the
// checkpoint's config, perhaps with more epochs or another output folder).
func ResumeTrainer(ck *Checkpoint, cfg Config, trainSet, testSet *dataset.Set) (*Trainer, error) {
	if cfg.Sizes() != ck.Config.Sizes() {
		return nil, fmt.Errorf("config sizes %+v differ from the checkpoint's %+v", cfg.Sizes(), ck.Config.Sizes())
	}
	p, adam, err := ck.Restore()
	if err != nil {
		return nil, err
	}
	adam.LR, adam.Beta1, adam.Beta2, adam.Eps = cfg.LR, cfg.Beta1, cfg.Beta2, cfg.AdamEps
	return newTrainer(cfg, ck.Epoch, p, adam, trainSet, testSet)
}

func newTrainer(cfg Config, epoch int, p *model.Params, adam *Adam, trainSet, testSet *dataset.Set) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	for _, s := range []*dataset.Set{trainSet, testSet} {
		if s.Size() != cfg.InputSize {
			return nil, &KeyError{Key: "input_size", Msg: fmt.Sprintf("%d, but the images are %d×%d = %d pixels", cfg.InputSize, s.Rows, s.Cols, s.Size())}
		}
	}
	return &Trainer{
		Config: cfg, Params: p, Adam: adam, Epoch: epoch, Train: trainSet, Test: testSet,
		training: map[int]*machine{}, eval: map[int]*machine{},
	}, nil
}

// machine returns the compiled graph for a batch size, building it on first use.
func (t *Trainer) machine(batch int, training bool) (*machine, error) {
	cache := t.eval
	if training {
		cache = t.training
	}
	if m, ok := cache[batch]; ok {
		return m, nil
	}
	m, err := newMachine(t.Params, batch, training)
	if err != nil {
		return nil, err
	}
	cache[batch] = m
	return m, nil
}

// TrainEpoch runs one epoch over the shuffled training set and returns the
// summed loss terms divided by the number of images. It stops between two
// steps when ctx is done; the epoch then does not count.
func (t *Trainer) TrainEpoch(ctx context.Context) (Terms, error) {
	epoch := t.Epoch + 1
	batches := dataset.Batches(t.Train.Len(), t.Config.BatchSize, stream(t.Config.Seed, streamShuffle, epoch))
	noise := stream(t.Config.Seed, streamNoise, epoch)
	tick := func() {}
	if t.Progress != nil {
		tick = t.Progress(epoch, len(batches))
	}
	var sum Terms
	for i, idx := range batches {
		if err := ctx.Err(); err != nil {
			return Terms{}, err
		}
		m, err := t.machine(len(idx), true)
		if err != nil {
			return Terms{}, err
		}
		w := KLWeight(t.Config.Beta, t.Config.KLWarmupEpochs, epoch, i, len(batches))
		terms, err := m.step(t.Train, idx, noise, w, t.Adam)
		if err != nil {
			return Terms{}, fmt.Errorf("epoch %d step %d: %w", epoch, i+1, err)
		}
		if math.IsNaN(terms.Loss) || math.IsInf(terms.Loss, 0) {
			return Terms{}, fmt.Errorf("epoch %d step %d: loss is %v: training diverged (try a smaller lr)", epoch, i+1, terms.Loss)
		}
		sum.add(terms)
		tick()
	}
	t.Epoch = epoch
	return sum.PerImage(t.Train.Len()), nil
}

// Evaluate is the loss on a whole set, per image, without gradient work. The
// noise comes from the evaluation stream of the current epoch, so the figure
// is reproducible.
func (t *Trainer) Evaluate(set *dataset.Set) (Terms, error) {
	noise := stream(t.Config.Seed, streamEval, t.Epoch)
	var sum Terms
	for _, idx := range dataset.Chunks(dataset.Sequential(set.Len()), t.Config.BatchSize) {
		m, err := t.machine(len(idx), false)
		if err != nil {
			return Terms{}, err
		}
		terms, err := m.evaluate(set, idx, noise)
		if err != nil {
			return Terms{}, fmt.Errorf("evaluate: %w", err)
		}
		sum.add(terms)
	}
	return sum.PerImage(set.Len()), nil
}

// Checkpoint snapshots the run as it stands.
func (t *Trainer) Checkpoint() *Checkpoint {
	return NewCheckpoint(t.Config, t.Epoch, t.Params, t.Adam)
}
