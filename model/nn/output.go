package nn

import "gorgonia.org/tensor"

// output is the tensor an op writes its result into, allocated on the op's
// first run and written again by every later run, so that a compiled graph
// allocates its largest values once instead of every step (Gorgonia's
// TapeMachine drops its registers on Reset, so its own ops allocate anew).
//
// Each graph builds its own ops, so no two machines share an output, and
// within a run each op runs once; a node's value read after a run is valid
// until the graph runs again, as internal/runner documents. An op built
// without one (a nil *output) allocates every run.
type output struct{ t *tensor.Dense }

func newOutput() *output { return &output{} }

// get returns the tensor of the given dtype and shape, reusing the last one
// when it fits. Its contents are those of the last run: callers overwrite
// every value or clear it first.
func (o *output) get(dt tensor.Dtype, shape tensor.Shape) *tensor.Dense {
	if o == nil {
		return tensor.New(tensor.Of(dt), tensor.WithShape(shape.Clone()...))
	}
	if o.t == nil || o.t.Dtype() != dt || !o.t.Shape().Eq(shape) {
		o.t = tensor.New(tensor.Of(dt), tensor.WithShape(shape.Clone()...))
	}
	return o.t
}
