package nn

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The two operations of the doubly-reparameterised gradient of the IWAE
// bound (DReG; Tucker, Lawson, Gu & Maddison 2018). Its encoder gradient
//
//	Σ_i w̃_i² · ∂log w_i/∂z_i · ∂z_i/∂φ
//
// keeps only the path of each log-weight through its code z_i, weighed by
// the square of the code's normalised importance weight w̃_i = softmax(log
// w)_i, while the decoder's is the bound's own, Σ_i w̃_i ∇θ log w_i. In one
// graph: StopGradient cuts log q(z|x)'s direct path to mu and logvar, and
// the codes reach the decoder through ImportancePath, which scales the
// gradient of each code's row once more by w̃_i on its way back to z.

// stopGradientOp is its input, through which no gradient flows.
type stopGradientOp struct {
	base
	out *output
}

// StopGradient is a itself in the forward pass; the backward pass does not
// reach a through it.
func StopGradient(a *G.Node) (*G.Node, error) {
	return G.ApplyOp(stopGradientOp{base{"stop gradient", "stop gradient", 1}, newOutput()}, a)
}

func (op stopGradientOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op stopGradientOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("stop gradient: want 1 input, have %d", len(inputs))
	}
	s, ok := inputs[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("stop gradient: input %v has no shape", inputs[0])
	}
	return s.Clone(), nil
}

// Formula is what the diagram shows of the operation.
func (op stopGradientOp) Formula() string { return "a, no gradient" }

func (op stopGradientOp) Do(inputs ...G.Value) (G.Value, error) {
	return copyOf(op.out, "stop gradient", inputs)
}

func (op stopGradientOp) DiffWRT(int) []bool { return []bool{false} }

func (op stopGradientOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("stop gradient: no gradient flows through it")
}

// importancePathOp is its input [n·k × d], the k codes of n images, whose
// gradient it scales row by row by the normalised importance weights of the
// log-weights [n·k] its LogWeights names.
type importancePathOp struct {
	base
	k   int
	to  *LogWeights
	out *output
}

// LogWeights names, once the graph has them, the log-weights whose
// normalised values ImportancePath scales its gradient by: they are
// computed from its own output, so they are given after it is applied.
type LogWeights struct{ Node *G.Node }

// ImportancePath is the codes z [n·k × d] themselves (k codes an image, in
// a row), whose gradient on the way back is multiplied, row i, by
// softmax(log w)_i within its image's k: the second w̃_i of DReG's encoder
// gradient. Set logw.Node to the codes' log-weights before differentiating.
func ImportancePath(z *G.Node, k int, logw *LogWeights) (*G.Node, error) {
	if k < 1 || logw == nil {
		return nil, fmt.Errorf("importance path: k %d and log-weights %v: want k ≥ 1 and log-weights to name", k, logw)
	}
	return G.ApplyOp(importancePathOp{base{"z (w̃-scaled gradient)", fmt.Sprintf("importance path %d", k), 1}, k, logw, newOutput()}, z)
}

func (op importancePathOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op importancePathOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	s, err := matrices("importance path", inputs, 1)
	if err != nil {
		return nil, err
	}
	if s[0][0]%op.k != 0 {
		return nil, fmt.Errorf("importance path: %d rows, not runs of %d", s[0][0], op.k)
	}
	return s[0].Clone(), nil
}

// Formula is what the diagram shows of the operation.
func (op importancePathOp) Formula() string { return "z; gradient × w̃" }

func (op importancePathOp) Do(inputs ...G.Value) (G.Value, error) {
	return copyOf(op.out, "importance path", inputs)
}

func (op importancePathOp) DiffWRT(int) []bool { return []bool{true} }

func (op importancePathOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.to.Node == nil {
		return nil, fmt.Errorf("importance path: differentiated before its log-weights were named")
	}
	dt := grad.Dtype()
	dz, err := G.ApplyOp(importanceScaleOp{base{"g·w̃", fmt.Sprintf("importance path gradient %d %v", op.k, dt), 2}, op.k, dt, newOutput()}, grad, op.to.Node)
	return G.Nodes{dz}, err
}

// importanceScaleOp is g [n·k × d] with row i multiplied by softmax(log
// w)_i within its run of k, for the log-weights log w [n·k]: the gradient
// of importancePathOp. It passes no gradient on.
type importanceScaleOp struct {
	base
	k     int
	dtype tensor.Dtype
	out   *output
}

func (op importanceScaleOp) Type() hm.Type {
	m, v := G.TensorType{Dims: 2, Of: op.dtype}, G.TensorType{Dims: 1, Of: op.dtype}
	return hm.NewFnType(m, v, m)
}

func (op importanceScaleOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("importance path gradient: want 2 inputs, have %d", len(inputs))
	}
	g, ok := inputs[0].(tensor.Shape)
	w, ok2 := inputs[1].(tensor.Shape)
	if !ok || !ok2 || len(g) != 2 || w.TotalSize() != g[0] || g[0]%op.k != 0 {
		return nil, fmt.Errorf("importance path gradient: gradient %v and log-weights %v, want [n·%d × d] and [n·%d]", inputs[0], inputs[1], op.k, op.k)
	}
	return g.Clone(), nil
}

func (op importanceScaleOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 2 || len(inputs[0].Shape()) != 2 || inputs[1].Shape().TotalSize() != inputs[0].Shape()[0] {
		return nil, fmt.Errorf("importance path gradient: want a gradient matrix and a log-weight a row")
	}
	out := op.out.get(inputs[0].Dtype(), inputs[0].Shape())
	switch g := inputs[0].Data().(type) {
	case []float32:
		logw, ok := inputs[1].Data().([]float32)
		if !ok {
			return nil, fmt.Errorf("importance path gradient: log-weights %T, want float32", inputs[1].Data())
		}
		scaleByWeights(out.Float32s(), g, logw, op.k)
	case []float64:
		logw, ok := inputs[1].Data().([]float64)
		if !ok {
			return nil, fmt.Errorf("importance path gradient: log-weights %T, want float64", inputs[1].Data())
		}
		scaleByWeights(out.Float64s(), g, logw, op.k)
	default:
		return nil, fmt.Errorf("importance path gradient: unsupported input %T", inputs[0])
	}
	return out, nil
}

func (op importanceScaleOp) DiffWRT(int) []bool { return []bool{false, false} }

func (op importanceScaleOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("importance path gradient: not differentiable")
}

// scaleByWeights sets dst to g with row i multiplied by the normalised
// weight softmax(logw)_i of its run of k, each weight computed where it is
// used, from its run's largest log-weight and sum (no buffer a step).
func scaleByWeights[T float32 | float64](dst, g, logw []T, k int) {
	d := len(g) / len(logw)
	for lo := 0; lo < len(logw); lo += k {
		run := logw[lo : lo+k]
		top, sum := runMax(run), 0.0
		for _, v := range run {
			sum += math.Exp(float64(v) - top)
		}
		for i, v := range run {
			w := T(math.Exp(float64(v)-top) / sum)
			row := (lo + i) * d
			for j := row; j < row+d; j++ {
				dst[j] = g[j] * w
			}
		}
	}
}

// copyOf copies an op's one input into its output tensor.
func copyOf(out *output, op string, inputs []G.Value) (G.Value, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%s: want 1 input, have %d", op, len(inputs))
	}
	t := out.get(inputs[0].Dtype(), inputs[0].Shape())
	switch a := inputs[0].Data().(type) {
	case []float32:
		copy(t.Float32s(), a)
	case []float64:
		copy(t.Float64s(), a)
	default:
		return nil, fmt.Errorf("%s: unsupported input %T", op, inputs[0])
	}
	return t, nil
}
