package runner

import (
	"fmt"
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Machine is one compiled graph and the tensors that feed its inputs. It is
// not safe for concurrent use: a Pool hands each machine to one caller at a
// time.
type Machine struct {
	graph  *G.ExprGraph
	vm     G.VM
	inputs map[*G.Node]*tensor.Dense
	order  []*G.Node // inputs in the order given, so Let runs in a fixed order
}

// New compiles g and allocates one float32 tensor of its shape for each input
// node (a scalar input gets a tensor of one value).
func New(g *G.ExprGraph, inputs ...*G.Node) (*Machine, error) {
	m := &Machine{graph: g, inputs: map[*G.Node]*tensor.Dense{}}
	for _, n := range inputs {
		if n.Dtype() != tensor.Float32 {
			return nil, fmt.Errorf("input %s is %v: the runner feeds float32 inputs", n.Name(), n.Dtype())
		}
		shape := n.Shape()
		if n.IsScalar() {
			shape = tensor.ScalarShape()
		}
		m.inputs[n] = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(shape...))
		m.order = append(m.order, n)
	}
	declaring.Lock()
	m.vm = G.NewTapeMachine(g)
	declaring.Unlock()
	return m, nil
}

// Input is the backing array of input n, to fill before Run. It keeps its
// contents from one run to the next.
func (m *Machine) Input(n *G.Node) []float32 {
	if t, ok := m.inputs[n]; ok {
		return t.Float32s()
	}
	return nil
}

// Run lets every input, runs the graph once, calls read while the nodes
// still hold the results, and resets the machine. What read sees of a node's
// value is valid only during the call.
func (m *Machine) Run(read func() error) error {
	defer m.vm.Reset()
	for _, n := range m.order {
		v := m.inputs[n]
		var err error
		if n.IsScalar() {
			err = G.Let(n, v.Float32s()[0])
		} else {
			err = G.Let(n, v)
		}
		if err != nil {
			return fmt.Errorf("feed %s: %w", n.Name(), err)
		}
	}
	if err := m.vm.RunAll(); err != nil {
		return fmt.Errorf("run %d-node graph: %w", len(m.graph.AllNodes()), err)
	}
	if read == nil {
		return nil
	}
	return read()
}

// Floats reads a float32 node's value after a run (nil if it has none).
func Floats(n *G.Node) []float32 {
	if v := n.Value(); v != nil {
		if data, ok := v.Data().([]float32); ok {
			return data
		}
	}
	return nil
}

// declaring serialises the declaration and compilation of graphs. Gorgonia's
// node constructors number some nodes from a package-level counter
// (internal/encoding.NewGroup, which some of its constructors call), and compiling
// a graph walks its nodes; two goroutines building graphs at once race on
// it. Graphs are built once per batch size, so the lock costs nothing on
// the path that runs them.
var declaring sync.Mutex

// Declare runs f, which builds a graph, while no other goroutine builds or
// compiles one. Every graph of the project is declared inside Declare.
func Declare[T any](f func() (T, error)) (T, error) {
	declaring.Lock()
	defer declaring.Unlock()
	return f()
}
