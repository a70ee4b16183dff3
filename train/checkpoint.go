package train

import (
	"errors"
	"fmt"
	"slices"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/model"
	"github.com/govae/govae/optimizer"
)

// Checkpoint is a run as its checkpoint file keeps it: the model's own
// checkpoint, and inside it the run's state, enough to continue exactly:
// the config, the optimizer, and the position within an epoch under way.
// The random streams of an epoch are a pure function of (Config.Seed,
// epoch), so the epoch is all it takes to continue them at an epoch's
// start; mid-epoch, Partial carries the noise stream's state.
type Checkpoint struct {
	Model   *model.Checkpoint
	Config  config.Config // the run's config, parsed from Model.RunConfig by LoadCheckpoint
	Adam    optimizer.State
	Partial *EpochProgress // the progress of epoch Model.Epoch+1, if it was interrupted
}

// Checkpoint snapshots the run as it stands, mid-epoch position included
// (copies, so training may go on while the snapshot is written).
func (t *Trainer) Checkpoint() *Checkpoint {
	c := &Checkpoint{Model: model.NewCheckpoint(t.Params), Partial: t.Partial}
	c.Adam.Iter = t.Adam.Iter
	for i := range t.Adam.M {
		c.Adam.M = append(c.Adam.M, slices.Clone(t.Adam.M[i]))
		c.Adam.V = append(c.Adam.V, slices.Clone(t.Adam.V[i]))
	}
	t.describe(c.Model)
	return c
}

// Save writes the run as it stands to path, atomically, as
// Checkpoint().Save(path) would but without the copies: the file is written
// before the run moves on, and saving holds no more than the optimizer's
// state in the file's layout.
func (t *Trainer) Save(path string) error {
	c := &Checkpoint{Model: model.CheckpointView(t.Params), Adam: t.Adam.State, Partial: t.Partial}
	t.describe(c.Model)
	return c.Save(path)
}

// describe fills in what a checkpoint says about the run beside its weights.
func (t *Trainer) describe(c *model.Checkpoint) {
	c.Epoch, c.DataDir, c.RunConfig, c.Prior = t.Epoch, t.Settings.DataDir, t.Settings.RunConfig, t.Prior
}

// Save writes the checkpoint atomically: a crash or a full disk leaves the
// previous file at path intact.
func (c *Checkpoint) Save(path string) error {
	training, err := encodeState(c.Adam, c.Partial)
	if err != nil {
		return err
	}
	c.Model.Training = training
	return c.Model.Save(path)
}

// checkpointBytes is what a run's checkpoint takes a weight: the weight and
// Adam's two moments, as float32.
const checkpointBytes = 12

// checkpointFits refuses, before any weight is made, a model whose
// checkpoints would be larger than one may be (model.MaxCheckpointBytes):
// hours of training that could not be saved.
func checkpointFits(c model.Config) error {
	shapes, err := model.NewShapes(c)
	if err != nil {
		return err
	}
	var weights int64
	for _, s := range shapes {
		weights += int64(s.Values())
	}
	if need := checkpointBytes * weights; need > model.MaxCheckpointBytes {
		return fmt.Errorf("a model of %d weights: its checkpoints, with Adam's moments, would take %s, more than the %s one holds; a smaller image_size or hidden_size fits",
			weights, atomicfile.Bytes(uint64(need)), atomicfile.Bytes(model.MaxCheckpointBytes))
	}
	return nil
}

// LoadCheckpoint reads a checkpoint to continue the run it holds: one a run
// wrote, or one that carries a config but no trainer's state (cmd/import
// writes those), which continues from its weights with a fresh optimizer.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	mc, err := model.ReadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	c, err := fromModel(mc)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return c, nil
}

// fromModel decodes and checks the run's state inside a model's checkpoint.
func fromModel(mc *model.Checkpoint) (*Checkpoint, error) {
	if len(mc.RunConfig) == 0 {
		return nil, errors.New("holds a model but no run configuration to continue (cmd/import writes one from a config file)")
	}
	cfg, err := config.Parse("config inside", mc.RunConfig)
	if err != nil {
		return nil, err
	}
	var s state
	if len(mc.Training) > 0 {
		if s, err = decodeState(mc.Training); err != nil {
			return nil, fmt.Errorf("decode training state: %w", err)
		}
	}
	if cfg.Model() != mc.Config {
		return nil, fmt.Errorf("config inside describes a model of sizes %v, the weights are of %v", cfg.Model(), mc.Config)
	}
	if s.Adam.Iter > 0 {
		for i, w := range mc.Weights {
			if len(s.Adam.M) != len(mc.Weights) || len(s.Adam.V) != len(mc.Weights) ||
				len(s.Adam.M[i]) != len(w.Data) || len(s.Adam.V[i]) != len(w.Data) {
				return nil, fmt.Errorf("optimizer state does not match weight %s", w.Name)
			}
		}
	}
	return &Checkpoint{Model: mc, Config: cfg, Adam: s.Adam, Partial: s.Partial}, nil
}
