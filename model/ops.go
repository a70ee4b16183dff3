package model

import (
	"github.com/govae/govae/model/nn"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ops wraps Gorgonia's node constructors with a sticky error, so that graph
// code reads as a sequence of expressions, like the diagram, and is checked once
// at the end. After the first error every method returns nil and does nothing.
type ops struct {
	err error
}

func (o *ops) keep(n *G.Node, err error) *G.Node {
	if err != nil {
		o.err = err
		return nil
	}
	return n
}

// linear is x·W + b, the bias added to every row of the batch.
func (o *ops) linear(x *G.Node, l layerNodes) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.keep(nn.Linear(x, l.W, l.B))
}

// conv is a convolution or a transposed convolution with its bias.
func (o *ops) conv(spec nn.ConvSpec, x *G.Node, l layerNodes) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.keep(nn.Conv(spec, x, l.W, l.B))
}

// reshape views a's values in another shape.
func (o *ops) reshape(a *G.Node, shape ...int) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.keep(G.Reshape(a, tensor.Shape(shape)))
}

func (o *ops) unary(f func(*G.Node) (*G.Node, error), a *G.Node) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.keep(f(a))
}

func (o *ops) binary(f func(a, b *G.Node) (*G.Node, error), a, b *G.Node) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.keep(f(a, b))
}

func (o *ops) relu(a *G.Node) *G.Node { return o.unary(nn.ReLU, a) }
func (o *ops) tanh(a *G.Node) *G.Node { return o.unary(nn.Tanh, a) }

// activate is the hidden layers' nonlinearity of a model of sizes s.
func (o *ops) activate(s Config, a *G.Node) *G.Node {
	if s.Activation == Tanh {
		return o.tanh(a)
	}
	return o.relu(a)
}
func (o *ops) sigmoid(a *G.Node) *G.Node { return o.unary(nn.Sigmoid, a) }
func (o *ops) exp(a *G.Node) *G.Node     { return o.unary(G.Exp, a) }
func (o *ops) square(a *G.Node) *G.Node  { return o.unary(G.Square, a) }
func (o *ops) add(a, b *G.Node) *G.Node  { return o.binary(G.Add, a, b) }
func (o *ops) sub(a, b *G.Node) *G.Node  { return o.binary(G.Sub, a, b) }

// mul is the element-wise (Hadamard) product; either side may be a scalar.
func (o *ops) mul(a, b *G.Node) *G.Node {
	if o.err != nil {
		return nil
	}
	if a.IsScalar() || b.IsScalar() {
		return o.keep(G.Mul(a, b))
	}
	return o.keep(G.HadamardProd(a, b))
}

// concat joins the columns of a and b: [a, b].
func (o *ops) concat(a, b *G.Node) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.keep(G.Concat(1, a, b))
}

// sum adds every element into a scalar.
func (o *ops) sum(a *G.Node) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.keep(G.Sum(a))
}

// repeat copies each row of a k times in a row; with k = 1, or a nil a, it
// is a itself.
func (o *ops) repeat(a *G.Node, k int) *G.Node {
	if o.err != nil || a == nil || k == 1 {
		return a
	}
	return o.keep(nn.Repeat(a, k))
}

// perCode divides a sum over the k codes of each image by k; with k = 1 it
// is the sum itself.
func (o *ops) perCode(sum *G.Node, k int) *G.Node {
	if o.err != nil || k == 1 {
		return sum
	}
	return o.name(o.mul(o.scalar(1/float64(k), sum), sum), sum.Name())
}

// sumRows adds up each row of a matrix into a vector.
func (o *ops) sumRows(a *G.Node) *G.Node {
	if o.err != nil {
		return nil
	}
	return o.keep(G.Sum(a, 1))
}

// neg is −a.
func (o *ops) neg(a *G.Node) *G.Node { return o.unary(G.Neg, a) }

// scalar is a constant of the graph's dtype.
func (o *ops) scalar(v float64, like *G.Node) *G.Node {
	if o.err != nil {
		return nil
	}
	if like.Dtype() == tensor.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}

// name gives a node its domain name, for Read, debugging and the Graphviz export.
func (o *ops) name(n *G.Node, name string) *G.Node {
	if o.err != nil || n == nil {
		return n
	}
	G.WithName(name)(n)
	return n
}
