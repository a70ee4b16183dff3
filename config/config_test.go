package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/govae/govae/model"
)

// The shipped config documents the defaults: it must parse to exactly them.
func TestShippedConfigIsTheDefault(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "configs", "mnist.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg != Default() {
		t.Errorf("configs/mnist.yaml = %+v\nDefault()         = %+v", cfg, Default())
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantErr    string // "" = valid
		check      func(Config) bool
	}{
		{"empty file keeps defaults", "", "", func(c Config) bool { return c == Default() }},
		{"override", "epochs: 3\nlr: 0.01\n", "", func(c Config) bool { return c.Epochs == 3 && c.LR == 0.01 && c.BatchSize == 128 }},
		{"unknown key with a guess", "epochs: 3\nlatent: 2\n", `cfg.yaml:2: latent: unknown key (did you mean "latent_size"?)`, nil},
		{"unknown key with a typo", "bach_size: 3\n", `cfg.yaml:1: bach_size: unknown key (did you mean "batch_size"?)`, nil},
		{"unknown key without a guess", "colour: blue\n", "cfg.yaml:1: colour: unknown key\n", nil},
		{"repeated key", "lr: 1\nlr: 2\n", "cfg.yaml:2: lr: repeated (first set on line 1)", nil},
		{"wrong type", "epochs: 3\nbatch_size: many\n", "cfg.yaml:2: batch_size: wrong type", nil},
		{"negative lr", "lr: -0.001\n", "cfg.yaml:1: lr: -0.001: must be greater than 0", nil},
		{"batch zero", "\n\nbatch_size: 0\n", "cfg.yaml:3: batch_size: 0: must be at least 1", nil},
		{"latent zero", "latent_size: 0\n", "cfg.yaml:1: latent_size: 0: must be at least 1", nil},
		{"beta1 is one", "adam_beta1: 1\n", "cfg.yaml:1: adam_beta1: 1: must be in [0, 1)", nil},
		{"variants", "beta: 4\nkl_warmup_epochs: 5\nconditional: true\n", "", func(c Config) bool {
			return c.Beta == 4 && c.KLWarmupEpochs == 5 && c.Model().Classes == 10
		}},
		{"iwae", "objective: iwae\nsamples: 50\nbatch_size: 20\n", "", func(c Config) bool {
			return c.TrainingObjective() == model.Objective{Bound: model.IWAE, Samples: 50}
		}},
		{"burda's net", "hidden_size: 200\nhidden_layers: 2\nactivation: tanh\nlatent_size: 50\noutput_bias: data_mean\n", "", func(c Config) bool {
			return c.Model() == model.Config{Input: 784, Hidden: 200, Latent: 50, Depth: 2, Activation: model.Tanh} && c.OutputBias == "data_mean"
		}},
		{"two stochastic layers", "hidden_size: 100\nlatent_size: 100\nstochastic_layers: 2\nhidden_size_2: 50\nlatent_size_2: 50\n", "", func(c Config) bool {
			return c.Model() == model.Config{Input: 784, Hidden: 100, Latent: 100, Stochastic: 2, Hidden2: 50, Latent2: 50}
		}},
		{"dreg", "objective: iwae\nsamples: 5\ndreg: true\n", "", func(c Config) bool {
			return c.TrainingObjective() == model.Objective{Bound: model.IWAE, Samples: 5, DReG: true}
		}},
		{"dreg, two stochastic layers", "objective: iwae\nsamples: 5\ndreg: true\nstochastic_layers: 2\nhidden_size_2: 5\nlatent_size_2: 5\n", "", func(c Config) bool {
			return c.TrainingObjective().DReG && c.Model().TwoLayers()
		}},
		{"dreg of the ELBO", "samples: 5\ndreg: true\n", "cfg.yaml:2: dreg: the doubly-reparameterised gradient is the IWAE bound's", nil},
		{"three stochastic layers", "stochastic_layers: 3\n", "cfg.yaml:1: stochastic_layers: 3: must be 1 or 2", nil},
		{"second layer without its width", "stochastic_layers: 2\nlatent_size_2: 5\n", "cfg.yaml: hidden_size_2: 0: two stochastic layers need it at least 1", nil},
		{"second layer of one", "latent_size_2: 5\n", "cfg.yaml: stochastic_layers: 1 has no second layer", nil},
		{"two stochastic layers, conditional", "stochastic_layers: 2\nhidden_size_2: 5\nlatent_size_2: 5\nconditional: true\n", "cfg.yaml:1: stochastic_layers: stochastic layers 2: not declared for a conditional model", nil},
		{"three hidden layers", "hidden_layers: 3\n", "cfg.yaml:1: hidden_layers: 3: must be 1 or 2", nil},
		{"unknown activation", "activation: gelu\n", `cfg.yaml:1: activation: "gelu": must be relu or tanh`, nil},
		{"unknown output bias", "output_bias: zero\n", `cfg.yaml:1: output_bias: "zero": must be uniform or data_mean`, nil},
		{"output bias of the conv model", "arch: conv\noutput_bias: data_mean\n", "cfg.yaml:2: output_bias: data_mean sets fc4's bias", nil},
		{"unknown objective", "objective: dreg\n", `cfg.yaml:1: objective: "dreg": must be vae or iwae`, nil},
		{"no samples", "samples: 0\n", "cfg.yaml:1: samples: 0: must be 1 to 5000", nil},
		{"too many rows", "samples: 5000\n", "cfg.yaml:1: samples: 5000: batch_size × samples = 640000 rows a step, at most 32768", nil},
		{"iwae of a gaussian decoder", "likelihood: gaussian\nobjective: iwae\nsamples: 5\n", "cfg.yaml:2: objective: iwae with samples 5: needs the bernoulli likelihood", nil},
		{"negative beta", "beta: -1\n", "cfg.yaml:1: beta: -1: must be 0 or more", nil},
		{"negative warm-up", "kl_warmup_epochs: -2\n", "cfg.yaml:1: kl_warmup_epochs: -2", nil},
		{"conditional not a bool", "conditional: maybe\n", "cfg.yaml:1: conditional: wrong type", nil},
		{"bad log format", "log_format: xml\n", `cfg.yaml:1: log_format: "xml": must be "text" or "json"`, nil},
		{"syntax error", "epochs: [3\n", "cfg.yaml: line", nil},
		{"not a mapping", "- 1\n- 2\n", "cfg.yaml:1: the config must be a mapping", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("cfg.yaml", []byte(tt.yaml))
			if tt.wantErr != "" { // a trailing "\n" in wantErr anchors it at the end
				if err == nil || !strings.Contains(err.Error()+"\n", tt.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(cfg) {
				t.Errorf("parsed %+v", cfg)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("no/such.yaml")
	if err == nil || !strings.Contains(err.Error(), "no/such.yaml") {
		t.Errorf("got %v, want an error naming the file", err)
	}
}

// Every shipped config must load.
func TestShippedConfigsLoad(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "configs", "*.yaml"))
	if len(paths) < 2 {
		t.Fatalf("found %d configs", len(paths))
	}
	for _, p := range paths {
		if _, err := Load(p); err != nil {
			t.Error(err)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	cfg := Default()
	cfg.Conditional, cfg.LR, cfg.DataDir = true, 3e-4, "some/where"
	data, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("marshalled", data)
	if err != nil || back != cfg {
		t.Errorf("%v\n%s\nread back as %+v", err, data, back)
	}
}
