package classifier

import (
	"errors"
	"fmt"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/model"
	"github.com/govae/govae/model/nn"
	"github.com/govae/govae/optimizer"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// graph is the classifier for one batch size, sharing the weight tensors.
type graph struct {
	*runner.Machine
	x, y    *G.Node
	logits  *G.Node
	loss    *G.Node       // cross-entropy summed over the batch; nil without training
	learn   []G.ValueGrad // weights and gradients; training graphs only
	classes int
}

// build declares the graph and compiles it.
func (c *Classifier) build(batch int, training bool) (*graph, error) {
	gr, err := runner.Declare(func() (*graph, error) { return c.declare(batch, training) })
	if err != nil {
		return nil, err
	}
	inputs := []*G.Node{gr.x}
	if training {
		inputs = append(inputs, gr.y)
	}
	if gr.Machine, err = runner.New(gr.x.Graph(), inputs...); err != nil {
		return nil, err
	}
	return gr, nil
}

func (c *Classifier) declare(batch int, training bool) (*graph, error) {
	g := G.NewGraph()
	gr := &graph{classes: c.classes}
	gr.x = G.NewMatrix(g, tensor.Float32, G.WithShape(batch, c.input), G.WithName("x"))
	w1, b1 := c.fc1.Bind(g, "fc1")
	w2, b2 := c.fc2.Bind(g, "fc2")
	// logits = fc2(relu(fc1(x))), with the model's own layer and ReLU ops.
	h, err := nn.Linear(gr.x, w1, b1)
	if err == nil {
		h, err = nn.ReLU(h)
	}
	if err == nil {
		gr.logits, err = nn.Linear(h, w2, b2)
	}
	if err != nil {
		return nil, fmt.Errorf("build classifier: %w", err)
	}
	if training {
		if err := gr.addLoss(g, batch, G.Nodes{w1, b1, w2, b2}); err != nil {
			return nil, err
		}
	}
	return gr, nil
}

// addLoss adds the labels, loss = -Σ y ⊙ log softmax(logits) (the one-hot y
// picking each row's digit), and the loss's gradients.
func (gr *graph) addLoss(g *G.ExprGraph, batch int, weights G.Nodes) error {
	gr.y = G.NewMatrix(g, tensor.Float32, G.WithShape(batch, gr.classes), G.WithName("y"))
	logp, err := G.LogSoftMax(gr.logits, 1)
	if err != nil {
		return err
	}
	picked, err := G.HadamardProd(gr.y, logp)
	if err != nil {
		return err
	}
	total, err := G.Sum(picked)
	if err != nil {
		return err
	}
	if gr.loss, err = G.Neg(total); err != nil {
		return err
	}
	grads, err := G.Grad(gr.loss, weights...)
	if err != nil {
		return fmt.Errorf("differentiate classifier: %w", err)
	}
	gr.learn, err = optimizer.Gradients(weights, grads)
	return err
}

// step trains on the images idx of set.
func (gr *graph) step(set *dataset.Set, idx []int, opt G.Solver) error {
	if gr.loss == nil {
		return errors.New("classifier: graph built without a loss")
	}
	set.Gather(idx, gr.Input(gr.x))
	if err := model.FillOneHot(gr.Input(gr.y), set.LabelsOf(idx), gr.classes); err != nil {
		return err
	}
	return gr.Run(func() error { return opt.Step(gr.learn) })
}

// forward calls read with the logits of a batch of images.
func (gr *graph) forward(x []float32, read func(logits []float32)) error {
	copy(gr.Input(gr.x), x)
	return gr.Run(func() error {
		read(runner.Floats(gr.logits))
		return nil
	})
}
