package config

import (
	"fmt"
	"math"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
)

// Validate reports the first impossible value, section by section in the
// order of the Config's fields: data, model, objective, optimisation, output.
func (c Config) Validate() error {
	for _, section := range []func() error{c.validateData, c.validateModel, c.validateObjective, c.validateOptimisation, c.validateOutput} {
		if err := section(); err != nil {
			return err
		}
	}
	return nil
}

// bad is a KeyError with its message formatted.
func bad(key, format string, args ...any) error {
	return &KeyError{Key: key, Msg: fmt.Sprintf(format, args...)}
}

// validateData checks where the images come from and how they are prepared.
func (c Config) validateData() error {
	switch {
	case c.ImageSize < 0 || c.ImageSize > dataset.MaxImageSize:
		return bad("image_size", "%d: must be 0 (28) or 1 to %d", c.ImageSize, dataset.MaxImageSize)
	case c.Channels != 1 && c.Channels != 3:
		return bad("channels", "%d: must be 1 (grey) or 3 (colour)", c.Channels)
	case !(c.TestFraction > 0 && c.TestFraction < 1):
		return bad("test_fraction", "%g: must be strictly between 0 and 1", c.TestFraction)
	case c.TrainLimit < 0:
		return bad("train_limit", "%d: must be 0 (all) or more", c.TrainLimit)
	case c.TestLimit < 0:
		return bad("test_limit", "%d: must be 0 (all) or more", c.TestLimit)
	}
	if _, err := dataset.ParseBinarization(c.Binarize); err != nil {
		return bad("binarize", "%v", err)
	}
	return nil
}

// validateModel checks the network's keys: sizes, the words for its
// architecture, likelihood, activation and output bias, and the second
// stochastic layer's.
func (c Config) validateModel() error {
	switch {
	case c.HiddenSize < 1:
		return bad("hidden_size", "%d: must be at least 1", c.HiddenSize)
	case c.LatentSize < 1:
		return bad("latent_size", "%d: must be at least 1", c.LatentSize)
	case c.InputSize < 0:
		return bad("input_size", "%d: must be 0 (the data's) or more", c.InputSize)
	case c.Classes < 0:
		return bad("classes", "%d: must be 0 (the data's) or more", c.Classes)
	case c.Layers != 1 && c.Layers != 2:
		return bad("hidden_layers", "%d: must be 1 or 2", c.Layers)
	}
	if _, err := model.ParseArch(c.Arch); err != nil {
		return bad("arch", "%v", err)
	}
	if _, err := model.ParseLikelihood(c.Likelihood); err != nil {
		return bad("likelihood", "%v", err)
	}
	if c.likelihood() == model.Gaussian && c.binarization() != dataset.Grey {
		return bad("likelihood", "gaussian models grey levels (dequantised); binarize: %s is for a bernoulli decoder", c.Binarize)
	}
	if _, err := model.ParseActivation(c.Activation); err != nil {
		return bad("activation", "%v", err)
	}
	if _, err := model.ParseOutputBias(c.OutputBias); err != nil {
		return bad("output_bias", "%v", err)
	}
	if c.StartingOutputBias() == model.DataMeanBias && c.arch() == model.ConvArch {
		return bad("output_bias", "data_mean sets fc4's bias, and the conv model's output layer is deconv2; use uniform")
	}
	return c.validateStochastic()
}

// validateStochastic checks stochastic_layers and the sizes of z2's
// networks, which only a second layer has.
func (c Config) validateStochastic() error {
	switch {
	case c.Stochastic != 1 && c.Stochastic != 2:
		return bad("stochastic_layers", "%d: must be 1 or 2", c.Stochastic)
	case c.Stochastic == 1 && (c.Hidden2 != 0 || c.Latent2 != 0):
		return bad("stochastic_layers", "1 has no second layer: hidden_size_2 and latent_size_2 are for stochastic_layers: 2")
	case c.Stochastic == 1:
		return nil
	case c.Hidden2 < 1:
		return bad("hidden_size_2", "%d: two stochastic layers need it at least 1", c.Hidden2)
	case c.Latent2 < 1:
		return bad("latent_size_2", "%d: two stochastic layers need it at least 1", c.Latent2)
	}
	if err := c.Model().ValidateStochastic(); err != nil {
		return bad("stochastic_layers", "%v", err)
	}
	return nil
}

// validateObjective checks what training minimises: the bound, its k, DReG
// and the variants' KL weight, against the model validateModel passed.
func (c Config) validateObjective() error {
	if _, err := model.ParseBound(c.Objective); err != nil {
		return bad("objective", "%v", err)
	}
	switch {
	case c.Samples < 1 || c.Samples > model.MaxSamples:
		return bad("samples", "%d: must be 1 to %d", c.Samples, model.MaxSamples)
	case c.BatchSize*c.Samples > MaxRows:
		return bad("samples", "%d: batch_size × samples = %d rows a step, at most %d", c.Samples, c.BatchSize*c.Samples, MaxRows)
	case c.DReG && (c.Objective != model.IWAE.String() || c.Samples < 2):
		return bad("dreg", "the doubly-reparameterised gradient is the IWAE bound's: it needs objective: iwae and samples of 2 or more (have %s, %d)", c.Objective, c.Samples)
	case !(c.Beta >= 0) || math.IsInf(c.Beta, 0):
		return bad("beta", "%g: must be 0 or more (1 is the plain VAE)", c.Beta)
	case c.KLWarmupEpochs < 0:
		return bad("kl_warmup_epochs", "%d: must be 0 (no warm-up) or more", c.KLWarmupEpochs)
	}
	if err := c.TrainingObjective().Check(c.Model()); err != nil {
		return bad("objective", "%v", err)
	}
	return nil
}

// validateOptimisation checks the epochs, the batch, Adam's settings and the
// learning-rate schedule.
func (c Config) validateOptimisation() error {
	switch {
	case c.Epochs < 1:
		return bad("epochs", "%d: must be at least 1", c.Epochs)
	case c.BatchSize < 1:
		return bad("batch_size", "%d: must be at least 1", c.BatchSize)
	case !(c.LR > 0):
		return bad("lr", "%g: must be greater than 0", c.LR)
	case !(c.Beta1 >= 0 && c.Beta1 < 1):
		return bad("adam_beta1", "%g: must be in [0, 1)", c.Beta1)
	case !(c.Beta2 >= 0 && c.Beta2 < 1):
		return bad("adam_beta2", "%g: must be in [0, 1)", c.Beta2)
	case !(c.AdamEps > 0):
		return bad("adam_eps", "%g: must be greater than 0", c.AdamEps)
	case !(c.LRDecay > 0 && c.LRDecay <= 1):
		return bad("lr_decay", "%g: must be in (0, 1] (1 keeps lr constant)", c.LRDecay)
	case c.LRStageEpochs < 0:
		return bad("lr_stage_epochs", "%d: must be 0 (a constant lr) or more", c.LRStageEpochs)
	case !(c.LRStageGrowth >= 1) || math.IsInf(c.LRStageGrowth, 0):
		return bad("lr_stage_growth", "%g: must be 1 (stages of equal length) or more", c.LRStageGrowth)
	}
	return nil
}

// validateOutput checks what the run writes, and where.
func (c Config) validateOutput() error {
	switch {
	case c.PicturesEvery < 0:
		return bad("pictures_every", "%d: must be 0 (no pictures) or more", c.PicturesEvery)
	case c.SnapshotEvery < 0:
		return bad("snapshot_every", "%d: must be 0 (no snapshots) or more", c.SnapshotEvery)
	case c.OutDir == "":
		return bad("out_dir", "must not be empty")
	case c.LogFormat != "text" && c.LogFormat != "json":
		return bad("log_format", "%q: must be \"text\" or \"json\"", c.LogFormat)
	}
	return nil
}
