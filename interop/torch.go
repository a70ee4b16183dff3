package interop

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// ToTorch lists the weights under PyTorch's names and layouts: for each
// layer, "<layer>.weight" and "<layer>.bias". A fully connected layer's
// weight is [out, in] (our W transposed) and its bias [out]; a convolution's
// weights are already in PyTorch's layout. A conditional model's fc1 and fc3
// take the label columns after the image (or feature) or code columns, as
// torch.cat([x, y], 1) feeds them. A Gaussian decoder's log-scales are
// "logscale" [input].
func ToTorch(p *model.Params) []model.Tensor {
	var out []model.Tensor
	for _, w := range p.All() {
		name, shape, data := torchName(w.Name), w.Tensor.Shape(), w.Tensor.Float32s()
		switch {
		case len(shape) == 2 && strings.HasSuffix(w.Name, ".W"): // fc: [in, out] → [out, in]
			out = append(out, model.Tensor{Name: name, Shape: []int{shape[1], shape[0]}, Data: transpose(data, shape[0], shape[1])})
		default: // biases and log-scales lose their leading 1; conv weights stay
			out = append(out, model.Tensor{Name: name, Shape: torchShape(shape), Data: slices.Clone(data)})
		}
	}
	return out
}

// torchName is PyTorch's name of one of our weights: "fc1.W" → "fc1.weight",
// "fc1.b" → "fc1.bias", "logscale" as it is.
func torchName(name string) string {
	if layer, ok := strings.CutSuffix(name, ".W"); ok {
		return layer + ".weight"
	}
	if layer, ok := strings.CutSuffix(name, ".b"); ok {
		return layer + ".bias"
	}
	return name
}

// torchShape drops a leading 1 of a row ([1, out] → [out]).
func torchShape(shape []int) []int {
	if len(shape) == 2 && shape[0] == 1 {
		return []int{shape[1]}
	}
	return slices.Clone(shape)
}

// FromTorch builds the weights of a model of the given sizes from tensors
// under PyTorch's names and layouts. A missing, extra or mis-shaped tensor
// is an error naming it.
func FromTorch(s model.Config, tensors []model.Tensor) (*model.Params, error) {
	shapes, err := model.NewShapes(s)
	if err != nil {
		return nil, err
	}
	byName := map[string]model.Tensor{}
	for _, t := range tensors {
		byName[t.Name] = t
	}
	var dense []*tensor.Dense
	var names []string
	for _, w := range shapes {
		name := torchName(w.Name)
		names = append(names, name)
		fc := len(w.Shape) == 2 && strings.HasSuffix(w.Name, ".W")
		want := torchShape(w.Shape)
		if fc {
			want = []int{w.Shape[1], w.Shape[0]}
		}
		t, err := take(byName, name, want)
		if err != nil {
			return nil, err
		}
		if err := t.Finite(); err != nil {
			return nil, fmt.Errorf("tensor %s: %w: the weights are not finite", name, err)
		}
		data := slices.Clone(t.Data)
		if fc {
			data = transpose(t.Data, w.Shape[1], w.Shape[0])
		}
		dense = append(dense, tensor.New(tensor.WithShape(w.Shape...), tensor.WithBacking(data)))
	}
	if len(byName) > 0 {
		extra := make([]string, 0, len(byName))
		for name := range byName {
			extra = append(extra, name)
		}
		sort.Strings(extra)
		return nil, fmt.Errorf("tensor %s: not a weight of the model (it has %s)", strings.Join(extra, ", "), strings.Join(names, ", "))
	}
	return model.ParamsFrom(s, dense)
}

// take removes a tensor from byName, checking its shape.
func take(byName map[string]model.Tensor, name string, shape []int) (model.Tensor, error) {
	t, ok := byName[name]
	if !ok {
		return model.Tensor{}, fmt.Errorf("tensor %s: missing (the model needs %s %v)", name, name, shape)
	}
	delete(byName, name)
	if !slices.Equal(t.Shape, shape) {
		return model.Tensor{}, fmt.Errorf("tensor %s: shape %v, the model's sizes need %v", name, t.Shape, shape)
	}
	return t, nil
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
