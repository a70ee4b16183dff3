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
// decodes their latent means (z = mu, no noise). A conditional model also
// needs the images' one-hot labels y (n × Classes, see OneHot); others take
// nil. The weights must be float32.
func Encode(p *Params, x, y []float32) (Codes, error) {
	s := p.Sizes
	n, err := rows(len(x), s.Input, "images")
	if err != nil {
		return Codes{}, err
	}
	if err := checkLabels(s, y, n); err != nil {
		return Codes{}, err
	}
	var out Codes
	err = inChunks(n, func(start, size int) error {
		m, err := NewEvaluation(p, size)
		if err != nil {
			return err
		}
		inputs := map[*G.Node]*tensor.Dense{
			m.X:   slab(x, start, size, s.Input),
			m.Eps: tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(size, s.Latent)),
		}
		if m.Y != nil {
			inputs[m.Y] = slab(y, start, size, s.Classes)
		}
		return run(m.Graph, inputs, func() {
			out.Mu = append(out.Mu, m.Mu.Value().Data().([]float32)...)
			out.Logvar = append(out.Logvar, m.Logvar.Value().Data().([]float32)...)
			out.Recon = append(out.Recon, m.Recon.Value().Data().([]float32)...)
		})
	})
	return out, err
}

// Decode maps latent codes z (n × Latent) to the decoder's pixel means. A
// conditional model also needs one-hot labels y (n × Classes); others take nil.
func Decode(p *Params, z, y []float32) ([]float32, error) {
	s := p.Sizes
	n, err := rows(len(z), s.Latent, "codes")
	if err != nil {
		return nil, err
	}
	if err := checkLabels(s, y, n); err != nil {
		return nil, err
	}
	var out []float32
	err = inChunks(n, func(start, size int) error {
		d, err := NewDecoder(p, size)
		if err != nil {
			return err
		}
		inputs := map[*G.Node]*tensor.Dense{d.Z: slab(z, start, size, s.Latent)}
		if d.Y != nil {
			inputs[d.Y] = slab(y, start, size, s.Classes)
		}
		return run(d.Graph, inputs, func() {
			out = append(out, d.Recon.Value().Data().([]float32)...)
		})
	})
	return out, err
}

// OneHot encodes labels as rows of classes values, a 1 at the label's place.
func OneHot(labels []int, classes int) ([]float32, error) {
	out := make([]float32, len(labels)*classes)
	for i, l := range labels {
		if l < 0 || l >= classes {
			return nil, fmt.Errorf("label %d is outside 0–%d", l, classes-1)
		}
		out[i*classes+l] = 1
	}
	return out, nil
}

// checkLabels demands labels of a conditional model, and only of one.
func checkLabels(s Sizes, y []float32, n int) error {
	switch {
	case !s.Conditional() && y != nil:
		return fmt.Errorf("the model is not conditional: it takes no labels")
	case s.Conditional() && len(y) != n*s.Classes:
		return fmt.Errorf("the model is conditional: it needs %d one-hot labels of %d classes, got %d values", n, s.Classes, len(y))
	}
	return nil
}

// slab is rows [start, start+size) of a row-major matrix with width columns.
func slab(data []float32, start, size, width int) *tensor.Dense {
	return tensor.New(tensor.WithShape(size, width), tensor.WithBacking(data[start*width:(start+size)*width]))
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
