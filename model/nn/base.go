package nn

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// base carries the methods of Gorgonia's Op interface that every operation
// of this package answers alike: its arity, its name, the key of its hash,
// and that it neither returns a pointer, calls outside Go nor overwrites an
// input. An op embeds it and adds its type, shape, Do and derivative.
type base struct {
	name  string // what String returns: the diagram's label of the node
	key   string // what tells this op from any other in a graph's hash
	arity int
}

func (b base) Arity() int            { return b.arity }
func (b base) ReturnsPtr() bool      { return false }
func (b base) CallsExtern() bool     { return false }
func (b base) OverwritesInput() int  { return -1 }
func (b base) String() string        { return b.name }
func (b base) WriteHash(h hash.Hash) { fmt.Fprint(h, b.key) }

func (b base) Hashcode() uint32 {
	h := fnv.New32a()
	b.WriteHash(h)
	return h.Sum32()
}

// sameShapes checks that the first n inputs of an operation share one shape.
func sameShapes(op string, inputs []G.DimSizer, n int) error {
	if len(inputs) != n {
		return fmt.Errorf("%s: want %d inputs, have %d", op, n, len(inputs))
	}
	first, ok := inputs[0].(tensor.Shape)
	for _, in := range inputs[1:] {
		s, ok2 := in.(tensor.Shape)
		if !ok || !ok2 || !s.Eq(first) {
			return fmt.Errorf("%s: inputs differ in shape: %v", op, inputs)
		}
	}
	return nil
}

func binaryType() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

// matrices checks that an op has n inputs, each a matrix, and returns their shapes.
func matrices(op string, inputs []G.DimSizer, n int) ([]tensor.Shape, error) {
	if len(inputs) != n {
		return nil, fmt.Errorf("%s: want %d inputs, have %d", op, n, len(inputs))
	}
	out := make([]tensor.Shape, n)
	for i, in := range inputs {
		s, ok := in.(tensor.Shape)
		if !ok || len(s) != 2 {
			return nil, fmt.Errorf("%s: input %d is %v, not a matrix", op, i, in)
		}
		out[i] = s
	}
	return out, nil
}

// valueShapes is matrices for the values an op runs on.
func valueShapes(op string, inputs []G.Value, n int) ([]tensor.Shape, error) {
	sizers := make([]G.DimSizer, len(inputs))
	for i, v := range inputs {
		sizers[i] = v.Shape()
	}
	return matrices(op, sizers, n)
}
