package model

import (
	"github.com/govae/govae/internal/runner"
	G "gorgonia.org/gorgonia"
)

// encoderRun is a compiled encoder graph for one batch size.
type encoderRun struct {
	*runner.Machine
	g *Encoder
}

func newEncoderRun(p *Params, batch int) (*encoderRun, error) {
	g, err := NewEncoder(p, batch)
	if err != nil {
		return nil, err
	}
	m, err := runner.New(g.Graph, inputs(g.X, g.Y)...)
	if err != nil {
		return nil, err
	}
	return &encoderRun{m, g}, nil
}

// run encodes the rows of x with their label rows y (at most the batch
// size; the rest of the batch is zero padding) and writes their codes into
// out from row start on.
func (e *encoderRun) run(x, y []float32, out Codes, start int) error {
	fill(e.Machine, e.g.X, e.g.Y, x, y)
	rows := len(x) / e.g.X.Shape()[1]
	return e.Run(func() error {
		for _, c := range []struct {
			dst  []float32
			node *G.Node
		}{{out.Mu, e.g.Mu}, {out.Logvar, e.g.Logvar}, {out.Mu1, e.g.Mu1}, {out.Logvar1, e.g.Logvar1}} {
			if c.node != nil {
				d := c.node.Shape()[1]
				copy(c.dst[start*d:(start+rows)*d], runner.Floats(c.node))
			}
		}
		return nil
	})
}

// decoderRun is a compiled decoder graph for one batch size.
type decoderRun struct {
	*runner.Machine
	g *Decoder
}

func newDecoderRun(p *Params, batch int) (*decoderRun, error) {
	g, err := NewDecoder(p, batch)
	if err != nil {
		return nil, err
	}
	m, err := runner.New(g.Graph, inputs(g.Z, g.Y)...)
	if err != nil {
		return nil, err
	}
	return &decoderRun{m, g}, nil
}

// run decodes the rows of z with their label rows y (at most the batch
// size) and writes their pixel
// means to the front of out.
func (d *decoderRun) run(z, y, out []float32) error {
	fill(d.Machine, d.g.Z, d.g.Y, z, y)
	return d.Run(func() error {
		n := len(z) / d.g.Z.Shape()[1] * d.g.Recon.Shape()[1]
		copy(out[:n], runner.Floats(d.g.Recon))
		return nil
	})
}

// inputs lists a graph's inputs, leaving out the label input of a plain model.
func inputs(data, labels *G.Node) []*G.Node {
	if labels == nil {
		return []*G.Node{data}
	}
	return []*G.Node{data, labels}
}

// fill copies rows into a machine's data input and their label rows y into
// its label input (if it has one), zeroing the padding after them.
func fill(m *runner.Machine, data, labels *G.Node, rows, y []float32) {
	for _, in := range []struct {
		node   *G.Node
		values []float32
	}{{data, rows}, {labels, y}} {
		if in.node != nil {
			dst := m.Input(in.node)
			clear(dst[copy(dst, in.values):])
		}
	}
}
