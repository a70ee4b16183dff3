package interop

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// Tensor is one named float32 array in PyTorch's layout.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// layers are the model's layers, as both sides name them.
var layers = []string{"fc1", "fc21", "fc22", "fc3", "fc4"}

// ToTorch lists the weights under PyTorch's names and layouts: for each
// layer, "<layer>.weight" [out, in] (our W transposed) and "<layer>.bias"
// [out]. A conditional model's fc1 and fc3 take the label columns after the
// image or code columns, as torch.cat([x, y], 1) feeds them. A Gaussian
// decoder's log-scales are "logscale" [input].
func ToTorch(p *model.Params) []Tensor {
	var out []Tensor
	all := p.All()
	for i, name := range layers {
		w, b := all[2*i].Tensor, all[2*i+1].Tensor
		in, n := w.Shape()[0], w.Shape()[1]
		out = append(out,
			Tensor{Name: name + ".weight", Shape: []int{n, in}, Data: transpose(w.Float32s(), in, n)},
			Tensor{Name: name + ".bias", Shape: []int{n}, Data: slices.Clone(b.Float32s())})
	}
	if p.LogScale != nil {
		out = append(out, Tensor{Name: model.LogScaleName, Shape: []int{p.Sizes.Input}, Data: slices.Clone(p.LogScale.Float32s())})
	}
	return out
}

// FromTorch builds the weights of a model of the given sizes from tensors
// under PyTorch's names and layouts. A missing, extra or mis-shaped tensor
// is an error naming it.
func FromTorch(s model.Sizes, tensors []Tensor) (*model.Params, error) {
	shapes, err := model.NewShapes(s)
	if err != nil {
		return nil, err
	}
	byName := map[string]Tensor{}
	for _, t := range tensors {
		byName[t.Name] = t
	}
	var dense []*tensor.Dense
	for i, name := range layers {
		in, n := shapes[2*i].Shape[0], shapes[2*i].Shape[1]
		w, err := take(byName, name+".weight", []int{n, in})
		if err != nil {
			return nil, err
		}
		b, err := take(byName, name+".bias", []int{n})
		if err != nil {
			return nil, err
		}
		dense = append(dense,
			tensor.New(tensor.WithShape(in, n), tensor.WithBacking(transpose(w.Data, n, in))),
			tensor.New(tensor.WithShape(1, n), tensor.WithBacking(slices.Clone(b.Data))))
	}
	if s.Gaussian() {
		c, err := take(byName, model.LogScaleName, []int{s.Input})
		if err != nil {
			return nil, err
		}
		dense = append(dense, tensor.New(tensor.WithShape(1, s.Input), tensor.WithBacking(slices.Clone(c.Data))))
	}
	if len(byName) > 0 {
		extra := make([]string, 0, len(byName))
		for name := range byName {
			extra = append(extra, name)
		}
		sort.Strings(extra)
		return nil, fmt.Errorf("tensor %s: not a weight of the model (it has %s)", strings.Join(extra, ", "), strings.Join(torchNames(), ", "))
	}
	return model.ParamsFrom(s, dense)
}

// take removes a tensor from byName, checking its shape.
func take(byName map[string]Tensor, name string, shape []int) (Tensor, error) {
	t, ok := byName[name]
	if !ok {
		return Tensor{}, fmt.Errorf("tensor %s: missing (the model needs %s %v)", name, name, shape)
	}
	delete(byName, name)
	if !slices.Equal(t.Shape, shape) {
		return Tensor{}, fmt.Errorf("tensor %s: shape %v, the model's sizes need %v", name, t.Shape, shape)
	}
	return t, nil
}

func torchNames() []string {
	var out []string
	for _, l := range layers {
		out = append(out, l+".weight", l+".bias")
	}
	return out
}

// transpose turns a rows×cols row-major matrix into its cols×rows transpose.
func transpose(a []float32, rows, cols int) []float32 {
	out := make([]float32, len(a))
	for r := range rows {
		for c := range cols {
			out[c*rows+r] = a[r*cols+c]
		}
	}
	return out
}
