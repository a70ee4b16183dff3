package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// chunk is the largest batch an inference graph runs at once, which bounds
// the memory a call needs however many images it is given.
const chunk = 1000

// Codes are what the encoder says of some images, and what the decoder makes
// of their means: n rows each, back to back.
type Codes struct {
	Mu, Logvar []float32 // n × Latent: q(z|x) = N(mu, exp(logvar))
	Recon      []float32 // n × Input: decode(mu), the pixels' Bernoulli means
}

// Encode runs images x (n × Input values in [0, 1]) through the encoder and
// decodes their latent means (z = mu, no noise). The weights must be float32.
func Encode(p *Params, x []float32) (Codes, error) {
	s := p.Sizes
	n, err := rows(len(x), s.Input, "images")
	if err != nil {
		return Codes{}, err
	}
	var out Codes
	err = inChunks(n, func(start, size int) error {
		m, err := NewEvaluation(p, size)
		if err != nil {
			return err
		}
		xt := tensor.New(tensor.WithShape(size, s.Input), tensor.WithBacking(x[start*s.Input:(start+size)*s.Input]))
		eps := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(size, s.Latent))
		return run(m.Graph, map[*G.Node]*tensor.Dense{m.X: xt, m.Eps: eps}, func() {
			out.Mu = append(out.Mu, m.Mu.Value().Data().([]float32)...)
			out.Logvar = append(out.Logvar, m.Logvar.Value().Data().([]float32)...)
			out.Recon = append(out.Recon, m.Recon.Value().Data().([]float32)...)
		})
	})
	return out, err
}

// Decode maps latent codes z (n × Latent) to the decoder's pixel means.
func Decode(p *Params, z []float32) ([]float32, error) {
	s := p.Sizes
	n, err := rows(len(z), s.Latent, "codes")
	if err != nil {
		return nil, err
	}
	var out []float32
	err = inChunks(n, func(start, size int) error {
		d, err := NewDecoder(p, size)
		if err != nil {
			return err
		}
		zt := tensor.New(tensor.WithShape(size, s.Latent), tensor.WithBacking(z[start*s.Latent:(start+size)*s.Latent]))
		return run(d.Graph, map[*G.Node]*tensor.Dense{d.Z: zt}, func() {
			out = append(out, d.Recon.Value().Data().([]float32)...)
		})
	})
	return out, err
}

// rows checks that values hold whole rows of width and counts them.
func rows(values, width int, what string) (int, error) {
	if values == 0 || values%width != 0 {
		return 0, fmt.Errorf("%d values are not a whole number of %d-value %s", values, width, what)
	}
	return values / width, nil
}

// inChunks calls f on consecutive ranges of at most chunk rows.
func inChunks(n int, f func(start, size int) error) error {
	for start := 0; start < n; start += chunk {
		if err := f(start, min(chunk, n-start)); err != nil {
			return err
		}
	}
	return nil
}

// run feeds the inputs, runs a forward graph once, and calls read while the
// machine still holds the results.
func run(g *G.ExprGraph, inputs map[*G.Node]*tensor.Dense, read func()) error {
	for n, v := range inputs {
		if err := G.Let(n, v); err != nil {
			return err
		}
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return fmt.Errorf("run %d-node graph: %w", len(g.AllNodes()), err)
	}
	read()
	return nil
}
