package model

import (
	"fmt"
	"slices"

	"github.com/govae/govae/internal/parallel"
	"github.com/govae/govae/internal/runner"
	"gorgonia.org/tensor"
)

// Model is a trained VAE ready for use: encode images, decode codes, draw
// samples, reconstruct. Images are rows of Config().Input pixel values in
// [0, 1], codes rows of Config().Latent values, back to back in one slice;
// a conditional model takes one label per row, a plain one none (nil).
//
// A Model is safe for concurrent use by many goroutines. Its graphs are
// compiled once per batch size and reused; calls run on a pool of them, as
// many at once as there are CPUs (GOMAXPROCS), the rest waiting their turn.
// Memory is bounded whatever the arguments: a call runs its rows a batch at
// a time (runner.BatchFor the images' size: 1,024 MNIST images, fewer
// larger ones), and refuses to return more than MaxValues.
type Model struct {
	params   *Params
	epoch    int
	dataDir  string
	config   []byte
	prior    *Prior
	encoders *runner.Pool[*encoderRun]
	decoders *runner.Pool[*decoderRun]

	concurrent int // graphs of a kind running at once; a large call's batches share them
	batch      int // the most rows a graph runs at once (runner.BatchFor)
}

// MaxValues is the most values one call returns (64 MiB of float32: 21,399
// images of 28×28). SampleEach streams any number of samples.
const MaxValues = 1 << 24

// NoLabel asks a conditional model for samples of every label in turn, and
// is the only label a plain model takes.
const NoLabel = -1

// Open loads the model a checkpoint holds.
func Open(path string) (*Model, error) {
	c, err := ReadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	p, err := c.Params()
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	m, err := New(p)
	if err != nil {
		return nil, err
	}
	m.epoch, m.dataDir, m.config, m.prior = c.Epoch, c.DataDir, c.RunConfig, c.Prior
	return m, nil
}

// New serves the float32 weights p, shared, not copied: a trainer that
// updates them in place changes the model (but must not while it is in use).
func New(p *Params) (*Model, error) {
	return newModel(p, parallel.CPUs())
}

// newModel runs at most `concurrent` graphs of each kind at once.
func newModel(p *Params, concurrent int) (*Model, error) {
	if p.Dtype() != tensor.Float32 {
		return nil, fmt.Errorf("weights are %v: a Model runs float32 weights", p.Dtype())
	}
	m := &Model{params: p, concurrent: concurrent, batch: runner.BatchFor(p.Config.Input)}
	m.encoders = runner.NewPool(concurrent, func(batch int) (*encoderRun, error) { return newEncoderRun(p, batch) })
	m.decoders = runner.NewPool(concurrent, func(batch int) (*decoderRun, error) { return newDecoderRun(p, batch) })
	return m, nil
}

// Config are the model's layer widths: Input pixels per image, Code()
// values per code, Classes labels (0 for a plain model).
func (m *Model) Config() Config { return m.params.Config }

// Params are the model's weights (shared: do not change them while the
// model is in use).
func (m *Model) Params() *Params { return m.params }

// Epochs is how many epochs the checkpoint's weights were trained for.
func (m *Model) Epochs() int { return m.epoch }

// DataDir is the folder of the data the model was trained on, as its
// checkpoint says ("" for MNIST from its Go module).
func (m *Model) DataDir() string { return m.dataDir }

// RunConfig is the configuration of the run that trained the model, YAML with
// the keys of configs/*.yaml, as its checkpoint carries it (empty if none).
func (m *Model) RunConfig() []byte { return slices.Clone(m.config) }

// Codes are what the encoder says of n images: q(z|x) = N(Mu, exp(Logvar)),
// n × Config().Code() values each. A plain autoencoder gives points: Mu,
// and no Logvar (nil). A model of two stochastic layers gives its top code
// z2's q(z2|mu1) as Mu, Logvar, and q(z1|x) beside them.
type Codes struct {
	Mu, Logvar []float32

	Mu1, Logvar1 []float32 // q(z1|x), n × Latent each, of a model of two stochastic layers; nil for one
}

// newCodes allocates the codes of n images.
func newCodes(s Config, n int) Codes {
	out := Codes{Mu: make([]float32, n*s.Code())}
	if s.Variational() {
		out.Logvar = make([]float32, n*s.Code())
	}
	if s.TwoLayers() {
		out.Mu1, out.Logvar1 = make([]float32, n*s.Latent), make([]float32, n*s.Latent)
	}
	return out
}

// Encode maps images x (n × Input) to their codes.
func (m *Model) Encode(x []float32, labels []int) (Codes, error) {
	s := m.params.Config
	n, err := m.rows(x, s.Input, "x", "images")
	if err != nil {
		return Codes{}, err
	}
	if err := m.checkLabels(labels, n); err != nil {
		return Codes{}, err
	}
	y, err := m.oneHot(labels)
	if err != nil {
		return Codes{}, err
	}
	out := newCodes(s, n)
	err = runner.ChunksParallel(n, m.batch, m.concurrent, func(start, size int) error {
		return m.encoders.With(runner.Bucket(size, m.batch), func(e *encoderRun) error {
			return e.run(x[start*s.Input:(start+size)*s.Input], rowsOf(y, start, size, s.Classes), out, start)
		})
	})
	if err != nil {
		return Codes{}, err
	}
	return out, nil
}

// Decode maps codes z (n × Config().Code()) to the decoder's pixel means
// (n × Input).
func (m *Model) Decode(z []float32, labels []int) ([]float32, error) {
	n, err := m.rows(z, m.params.Config.Code(), "z", "codes")
	if err != nil {
		return nil, err
	}
	if err := m.checkLabels(labels, n); err != nil {
		return nil, err
	}
	y, err := m.oneHot(labels)
	if err != nil {
		return nil, err
	}
	return m.decode(z, y, n)
}

// DecodeSoft is Decode for a conditional model given its label input y
// itself: a row of Classes weights per code, one-hot for a label or, say,
// a blend of two labels on the way from one to the other.
func (m *Model) DecodeSoft(z, y []float32) ([]float32, error) {
	s := m.params.Config
	n, err := m.rows(z, s.Code(), "z", "codes")
	if err != nil {
		return nil, err
	}
	if s.Classes == 0 && len(y) > 0 || len(y) != n*s.Classes {
		return nil, &ArgError{Arg: "y", Msg: fmt.Sprintf("%d values for %d codes of a model of %d classes", len(y), n, s.Classes)}
	}
	return m.decode(z, y, n)
}

// decode runs n codes z with label rows y (nil for a plain model).
func (m *Model) decode(z, y []float32, n int) ([]float32, error) {
	s := m.params.Config
	if n > MaxValues/s.Input {
		return nil, &ArgError{Arg: "z", Value: fmt.Sprintf("of %d codes", n), Msg: fmt.Sprintf("they decode to more than the %d values one call returns", MaxValues)}
	}
	out := make([]float32, n*s.Input)
	if err := m.decodeInto(out, z, y, n); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeInto is decode writing into out, n·Input values long.
func (m *Model) decodeInto(out, z, y []float32, n int) error {
	s := m.params.Config
	return runner.ChunksParallel(n, m.batch, m.concurrent, func(start, size int) error {
		return m.decoders.With(runner.Bucket(size, m.batch), func(d *decoderRun) error {
			return d.run(z[start*s.Code():(start+size)*s.Code()], rowsOf(y, start, size, s.Classes), out[start*s.Input:])
		})
	})
}

// Reconstruct decodes the latent means of images x (n × Input): what the
// model makes of them, without sampling noise.
func (m *Model) Reconstruct(x []float32, labels []int) ([]float32, error) {
	codes, err := m.Encode(x, labels)
	if err != nil {
		return nil, err
	}
	return m.Decode(codes.Mu, labels)
}

// FittedPrior is the Gaussian fitted to the model's training codes that its
// checkpoint carries, or nil.
func (m *Model) FittedPrior() *Prior { return m.prior }
