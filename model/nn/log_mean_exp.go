package nn

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// logMeanExpOp is the importance-weighted bound of a batch (Burda et al.
// 2015) from its log-weights: for a vector a [n·k] of n runs of k,
//
//	Σ_b log (1/k) Σ_i exp(a_{b·k+i})
//
// each run's log-sum-exp taken stably by factoring out its largest value, in
// float64. Its gradient is, within each run, the softmax of the run times
// the incoming gradient (logMeanExpGradOp): the normalised importance
// weights.
type logMeanExpOp struct {
	base
	k     int
	dtype tensor.Dtype
}

// LogMeanExp applies logMeanExpOp, with runs of k, to the vector a.
func LogMeanExp(a *G.Node, k int) (*G.Node, error) {
	if k < 1 {
		return nil, fmt.Errorf("log-mean-exp: k %d, must be at least 1", k)
	}
	dt := a.Dtype()
	return G.ApplyOp(logMeanExpOp{base{fmt.Sprintf("Σ log mean of %d exp", k), fmt.Sprintf("log-mean-exp %d %v", k, dt), 1}, k, dt}, a)
}

func (op logMeanExpOp) Type() hm.Type {
	return hm.NewFnType(G.TensorType{Dims: 1, Of: op.dtype}, op.dtype)
}

func (op logMeanExpOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if err := runsOf(op.k, inputs); err != nil {
		return nil, err
	}
	return tensor.ScalarShape(), nil
}

// Formula is what the diagram shows of the operation.
func (op logMeanExpOp) Formula() string { return fmt.Sprintf("Σ log (1/%d) Σ exp(log w)", op.k) }

func (op logMeanExpOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 1 || inputs[0].Shape().TotalSize()%op.k != 0 {
		return nil, fmt.Errorf("log-mean-exp: want one vector of runs of %d", op.k)
	}
	switch a := inputs[0].Data().(type) {
	case []float32:
		return G.NewF32(float32(logMeanExps(a, op.k))), nil
	case []float64:
		return G.NewF64(logMeanExps(a, op.k)), nil
	}
	return nil, fmt.Errorf("log-mean-exp: unsupported input %T", inputs[0])
}

func (op logMeanExpOp) DiffWRT(int) []bool { return []bool{true} }

func (op logMeanExpOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	da, err := G.ApplyOp(logMeanExpGradOp{base{"softmax·g", fmt.Sprintf("log-mean-exp gradient %d %v", op.k, op.dtype), 2}, op.k, op.dtype, newOutput()}, inputs[0], grad)
	return G.Nodes{da}, err
}

// logMeanExpGradOp is g·softmax(a) within each run of k of the vector a,
// for the incoming scalar gradient g.
type logMeanExpGradOp struct {
	base
	k     int
	dtype tensor.Dtype
	out   *output
}

func (op logMeanExpGradOp) Type() hm.Type {
	v := G.TensorType{Dims: 1, Of: op.dtype}
	return hm.NewFnType(v, op.dtype, v)
}

func (op logMeanExpGradOp) InferShape(inputs ...G.DimSizer) (tensor.Shape, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("log-mean-exp gradient: want 2 inputs, have %d", len(inputs))
	}
	if err := runsOf(op.k, inputs[:1]); err != nil {
		return nil, err
	}
	return inputs[0].(tensor.Shape).Clone(), nil
}

func (op logMeanExpGradOp) Do(inputs ...G.Value) (G.Value, error) {
	if len(inputs) != 2 || inputs[0].Shape().TotalSize()%op.k != 0 {
		return nil, fmt.Errorf("log-mean-exp gradient: want a vector of runs of %d and a gradient", op.k)
	}
	out := op.out.get(inputs[0].Dtype(), inputs[0].Shape())
	switch a := inputs[0].Data().(type) {
	case []float32:
		g, ok := inputs[1].Data().(float32)
		if !ok {
			return nil, fmt.Errorf("log-mean-exp gradient: gradient %T, want float32", inputs[1].Data())
		}
		softmaxRuns(out.Float32s(), a, op.k, g)
	case []float64:
		g, ok := inputs[1].Data().(float64)
		if !ok {
			return nil, fmt.Errorf("log-mean-exp gradient: gradient %T, want float64", inputs[1].Data())
		}
		softmaxRuns(out.Float64s(), a, op.k, g)
	default:
		return nil, fmt.Errorf("log-mean-exp gradient: unsupported input %T", inputs[0])
	}
	return out, nil
}

// runsOf checks that an op has one input, a vector whose length is a
// multiple of k.
func runsOf(k int, inputs []G.DimSizer) error {
	if len(inputs) != 1 {
		return fmt.Errorf("log-mean-exp: want 1 input, have %d", len(inputs))
	}
	s, ok := inputs[0].(tensor.Shape)
	if !ok || len(s) != 1 || s[0]%k != 0 {
		return fmt.Errorf("log-mean-exp: input %v, want a vector of runs of %d", inputs[0], k)
	}
	return nil
}

// logMeanExps is Σ over the runs of k of a of log (1/k) Σ exp(a_i), in
// float64.
func logMeanExps[T float32 | float64](a []T, k int) float64 {
	var sum float64
	for lo := 0; lo < len(a); lo += k {
		top := runMax(a[lo : lo+k])
		var s float64
		for _, v := range a[lo : lo+k] {
			s += math.Exp(float64(v) - top)
		}
		sum += top + math.Log(s/float64(k))
	}
	return sum
}

// softmaxRuns sets dst to g·softmax of each run of k of a.
func softmaxRuns[T float32 | float64](dst, a []T, k int, g T) {
	for lo := 0; lo < len(a); lo += k {
		top := runMax(a[lo : lo+k])
		var s float64
		for i, v := range a[lo : lo+k] {
			e := math.Exp(float64(v) - top)
			dst[lo+i] = T(e)
			s += e
		}
		for i := range k {
			dst[lo+i] = T(float64(dst[lo+i]) / s * float64(g))
		}
	}
}

// runMax is the largest value of a run, in float64; a run of −∞ alone
// counts as 0, so that its exps are 0 rather than NaN.
func runMax[T float32 | float64](run []T) float64 {
	top := math.Inf(-1)
	for _, v := range run {
		top = max(top, float64(v))
	}
	if math.IsInf(top, -1) {
		return 0
	}
	return top
}
