package train

import (
	"fmt"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
)

// Settings are what a trainer knows of its run, in the terms of the packages
// it drives: the model's sizes, how the training images are drawn, the
// optimizer's and the schedules' numbers, where the outputs go. Run makes
// them once, with Plan, from a config it has validated and met with its
// data; nothing after that reads the config.
type Settings struct {
	Model   model.Config
	Draw    dataset.Spec // Binarize and Dequantize: how each epoch draws the training images
	DataDir string       // the data's folder, recorded in checkpoints; "" = MNIST
	Seed    uint64       // of the weights, shuffles, noise and draws (package streams)

	Objective         model.Objective // the bound each step's loss is the negative of, and its k
	Epochs, BatchSize int

	// Adam, and its learning rate lr·decay^stage (see LearningRate).
	LR, Beta1, Beta2, AdamEps float64
	LRDecay                   float64
	LRStageEpochs             int
	LRStageGrowth             float64

	// OutputBiasFromData starts fc4's bias at the logits of the training
	// images' mean (model.Params.SetOutputBias).
	OutputBiasFromData bool

	Beta           float64 // weight of the KL term
	KLWarmupEpochs int     // epochs over which it rises from 0 to Beta
	SkipNonFinite  bool    // skip a step whose loss or gradient is not finite, rather than stop

	OutDir                       string
	SnapshotEvery, PicturesEvery int

	// RunConfig is the run's config as YAML, written into every checkpoint
	// so that a run resumes, and a model is evaluated, as it was trained.
	RunConfig []byte
}

// Plan translates a valid config, whose data has filled in what it left to
// the data (config.WithData), into a trainer's settings.
func Plan(cfg config.Config) (Settings, error) {
	if err := cfg.Validate(); err != nil {
		return Settings{}, err
	}
	yaml, err := cfg.Marshal()
	if err != nil {
		return Settings{}, fmt.Errorf("encode config: %w", err)
	}
	data := cfg.Data()
	return Settings{
		Model: cfg.Model(), Draw: dataset.Spec{Binarize: data.Binarize, Dequantize: data.Dequantize},
		DataDir: cfg.DataDir, Seed: cfg.Seed,
		Objective: cfg.TrainingObjective(), Epochs: cfg.Epochs, BatchSize: cfg.BatchSize,
		LR: cfg.LR, Beta1: cfg.Beta1, Beta2: cfg.Beta2, AdamEps: cfg.AdamEps,
		LRDecay: cfg.LRDecay, LRStageEpochs: cfg.LRStageEpochs, LRStageGrowth: cfg.LRStageGrowth,
		OutputBiasFromData: cfg.StartingOutputBias() == model.DataMeanBias,
		Beta:               cfg.Beta, KLWarmupEpochs: cfg.KLWarmupEpochs, SkipNonFinite: cfg.SkipNonFinite,
		OutDir: cfg.OutDir, SnapshotEvery: cfg.SnapshotEvery, PicturesEvery: cfg.PicturesEvery,
		RunConfig: yaml,
	}, nil
}
