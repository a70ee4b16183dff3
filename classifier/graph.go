package classifier

import (
	"fmt"

	"github.com/govae/govae/dataset"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// graph is the classifier for one batch size, sharing the weight tensors.
type graph struct {
	g       *G.ExprGraph
	vm      G.VM
	x, y    *G.Node
	logits  *G.Node
	loss    *G.Node // cross-entropy summed over the batch; nil without training
	learn   G.Nodes
	xv, yv  *tensor.Dense
	classes int
}

func (c *Classifier) build(batch int, training bool) (*graph, error) {
	g := G.NewGraph()
	gr := &graph{g: g, classes: classes,
		xv: tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(batch, c.input)),
		yv: tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(batch, classes)),
	}
	gr.x = G.NewMatrix(g, tensor.Float32, G.WithShape(batch, c.input), G.WithName("x"))
	w1 := G.NodeFromAny(g, c.w1, G.WithName("W1"))
	b1 := G.NodeFromAny(g, c.b1, G.WithName("b1"))
	w2 := G.NodeFromAny(g, c.w2, G.WithName("W2"))
	b2 := G.NodeFromAny(g, c.b2, G.WithName("b2"))
	gr.learn = G.Nodes{w1, b1, w2, b2}
	var err error
	layer := func(in, w, b *G.Node) *G.Node {
		if err != nil {
			return nil
		}
		var xw, out *G.Node
		if xw, err = G.Mul(in, w); err == nil {
			out, err = G.BroadcastAdd(xw, b, nil, []byte{0})
		}
		return out
	}
	h := layer(gr.x, w1, b1)
	if err == nil {
		h, err = G.Rectify(h)
	}
	gr.logits = layer(h, w2, b2)
	if err != nil {
		return nil, fmt.Errorf("build classifier: %w", err)
	}
	if !training {
		gr.vm = G.NewTapeMachine(g)
		return gr, nil
	}
	// loss = -Σ y ⊙ log softmax(logits), the one-hot y picking each row's digit.
	gr.y = G.NewMatrix(g, tensor.Float32, G.WithShape(batch, classes), G.WithName("y"))
	logp, err := G.LogSoftMax(gr.logits, 1)
	if err != nil {
		return nil, err
	}
	picked, err := G.HadamardProd(gr.y, logp)
	if err != nil {
		return nil, err
	}
	total, err := G.Sum(picked)
	if err != nil {
		return nil, err
	}
	if gr.loss, err = G.Neg(total); err != nil {
		return nil, err
	}
	if _, err := G.Grad(gr.loss, gr.learn...); err != nil {
		return nil, fmt.Errorf("differentiate classifier: %w", err)
	}
	gr.vm = G.NewTapeMachine(g, G.BindDualValues(gr.learn...))
	return gr, nil
}

// step trains on the images idx of set.
func (gr *graph) step(set *dataset.Set, idx []int, opt G.Solver) error {
	if gr.loss == nil {
		return errNoLoss
	}
	defer gr.vm.Reset()
	set.Gather(idx, gr.xv.Float32s())
	y := gr.yv.Float32s()
	clear(y)
	for k, i := range idx {
		y[k*gr.classes+set.Labels[i]] = 1
	}
	if err := G.Let(gr.x, gr.xv); err != nil {
		return err
	}
	if err := G.Let(gr.y, gr.yv); err != nil {
		return err
	}
	if err := gr.vm.RunAll(); err != nil {
		return err
	}
	return opt.Step(G.NodesToValueGrads(gr.learn))
}

// forward returns the logits of a batch of images.
func (gr *graph) forward(x []float32) ([]float32, error) {
	defer gr.vm.Reset()
	copy(gr.xv.Float32s(), x)
	if err := G.Let(gr.x, gr.xv); err != nil {
		return nil, err
	}
	if err := gr.vm.RunAll(); err != nil {
		return nil, err
	}
	return append([]float32(nil), gr.logits.Value().Data().([]float32)...), nil
}
