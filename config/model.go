package config

import (
	"fmt"

	"github.com/govae/govae/model"
)

// OfModel is the configuration of the run that trained m, as its checkpoint
// carries it; a checkpoint without one (an import) gets the defaults with
// the model's sizes and data folder. dataDir, if given, replaces the data
// folder: the same data, found elsewhere.
func OfModel(m *model.Model, dataDir string) (Config, error) {
	cfg := Default()
	if yaml := m.RunConfig(); len(yaml) > 0 {
		var err error
		if cfg, err = Parse("the checkpoint's config", yaml); err != nil {
			return cfg, err
		}
	} else {
		s := m.Config()
		cfg.InputSize, cfg.HiddenSize, cfg.LatentSize, cfg.Conditional = s.Input, s.Hidden, s.Latent, s.Conditional()
		cfg.Variational = s.Variational()
		cfg.Layers, cfg.Activation = max(1, s.Depth), s.Activation.String()
		if s.TwoLayers() {
			cfg.Stochastic, cfg.Hidden2, cfg.Latent2 = 2, s.Hidden2, s.Latent2
		}
		cfg.DataDir = m.DataDir()
	}
	if dataDir != "" {
		cfg.DataDir = dataDir
	}
	if cfg.Model() != m.Config() {
		return cfg, fmt.Errorf("the checkpoint's config describes a model of sizes %v, its weights are of %v", cfg.Model(), m.Config())
	}
	return cfg, nil
}
