package nn

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LogMeanExp stays exact where exp under- or overflows: log-weights of an
// image near −10,000 nats (a poor model's) or +1,000, and its gradient is
// each run's softmax, in float32 and float64.
func TestLogMeanExpOfExtremeWeights(t *testing.T) {
	a := []float64{-10000, -10001, -10002, 1000, 1000, 1000, 0, math.Log(3), math.Inf(-1)}
	want := 0.0
	for _, run := range [][]float64{a[0:3], a[3:6], a[6:9]} {
		top := max(run[0], run[1], run[2])
		var s float64
		for _, v := range run {
			s += math.Exp(v - top)
		}
		want += top + math.Log(s/3)
	}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		g := G.NewGraph()
		in := G.NewVector(g, dt, G.WithShape(len(a)), G.WithName("a"), G.WithValue(vector(dt, a)))
		out, err := LogMeanExp(in, 3)
		if err != nil {
			t.Fatal(err)
		}
		grads, err := G.Grad(out, in)
		if err != nil {
			t.Fatal(err)
		}
		vm := G.NewTapeMachine(g)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		got, ok := out.Value().Data().(float64)
		if f, is32 := out.Value().Data().(float32); is32 {
			got, ok = float64(f), true
		}
		if !ok {
			t.Fatalf("%v: log-mean-exp gives %T", dt, out.Value().Data())
		}
		if math.Abs(got-want) > 1e-3 {
			t.Errorf("%v: log-mean-exp %v, want %v", dt, got, want)
		}
		e := math.Exp(-1)
		for i, want := range []float64{1 / (1 + e + e*e), e / (1 + e + e*e), e * e / (1 + e + e*e), 1. / 3, 1. / 3, 1. / 3, 0.25, 0.75, 0} {
			if d := floats(grads[0].Value())[i]; math.Abs(d-want) > 1e-6 {
				t.Errorf("%v: gradient %d is %v, want %v", dt, i, d, want)
			}
		}
		vm.Close()
	}
}
