package model

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorgonia.org/tensor"
)

// newTestModel is a random float32 model, conditional when classes > 0.
func newTestModel(t testing.TB, classes int) *Model {
	t.Helper()
	p, err := NewParams(Config{Input: 12, Hidden: 7, Latent: 3, Classes: classes}, tensor.Float32, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func uniform(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(rng.Float64())
	}
	return out
}

// linear is y = x·W + b by a direct loop, for one row x, over float32 or
// float64 weights.
func linear(x []float64, l Layer) []float64 {
	in, out := l.W.Shape()[0], l.W.Shape()[1]
	w, b := values(l.W), values(l.B)
	y := make([]float64, out)
	for j := range out {
		y[j] = b[j]
		for i := range in {
			y[j] += x[i] * w[i*out+j]
		}
	}
	return y
}

// values are a weight tensor's values in float64.
func values(t *tensor.Dense) []float64 {
	if t.Dtype() == tensor.Float64 {
		return t.Float64s()
	}
	return to64(t.Float32s())
}

func relu(v []float64) []float64 {
	for i := range v {
		v[i] = max(v[i], 0)
	}
	return v
}

// withOneHot appends a one-hot label to a row (nothing for label < 0).
func withOneHot(row []float64, label, classes int) []float64 {
	if classes == 0 {
		return row
	}
	y := make([]float64, classes)
	y[label] = 1
	return append(row, y...)
}

// The model's answers match the diagram computed by direct loops in float64:
// mu = fc21(relu(fc1(x))), logvar = fc22(…), recon = sigmoid(fc4(relu(fc3(z)))).
func TestModelMatchesDirectLoops(t *testing.T) {
	for _, classes := range []int{0, 4} {
		t.Run(fmt.Sprintf("classes=%d", classes), func(t *testing.T) {
			m := newTestModel(t, classes)
			p, s := m.Params(), m.Config()
			const n = 37 // an odd size, padded to a batch of 64
			x := uniform(n*s.Input, 1)
			var labels []int
			for i := range n {
				if classes > 0 {
					labels = append(labels, i%classes)
				}
			}
			codes, err := m.Encode(x, labels)
			if err != nil {
				t.Fatal(err)
			}
			recon, err := m.Reconstruct(x, labels)
			if err != nil {
				t.Fatal(err)
			}
			for i := range n {
				label := -1
				if classes > 0 {
					label = labels[i]
				}
				h := relu(linear(withOneHot(to64(x[i*s.Input:(i+1)*s.Input]), label, classes), p.Fc1))
				mu, logvar := linear(h, p.Fc21), linear(h, p.Fc22)
				h3 := relu(linear(withOneHot(slices.Clone(mu), label, classes), p.Fc3))
				logits := linear(h3, p.Fc4)
				for j := range s.Latent {
					near(t, "mu", codes.Mu[i*s.Latent+j], mu[j])
					near(t, "logvar", codes.Logvar[i*s.Latent+j], logvar[j])
				}
				for j := range s.Input {
					near(t, "recon", recon[i*s.Input+j], 1/(1+math.Exp(-logits[j])))
				}
			}
		})
	}
}

func near(t *testing.T, what string, got float32, want float64) {
	t.Helper()
	if math.Abs(float64(got)-want) > 1e-5*(1+math.Abs(want)) {
		t.Fatalf("%s = %v, direct loop %v", what, got, want)
	}
}

// Many goroutines at once get exactly the answers of serial calls: 32 of
// them, each encoding, decoding, reconstructing and sampling batches of
// several sizes (so several compiled sizes are in use at once). Run under
// -race in CI.
func TestConcurrentCallsMatchSerial(t *testing.T) {
	m := newTestModel(t, 4)
	s := m.Config()
	type answer struct{ mu, logvar, decoded, recon, samples []float32 }
	ask := func(g int) (answer, error) {
		n := []int{1, 3, 64, 200, 1500}[g%5]
		x := uniform(n*s.Input, uint64(g))
		z := uniform(n*s.Latent, uint64(g)+100)
		labels := make([]int, n)
		for i := range labels {
			labels[i] = (g + i) % s.Classes
		}
		var a answer
		codes, err := m.Encode(x, labels)
		if err != nil {
			return a, err
		}
		a.mu, a.logvar = codes.Mu, codes.Logvar
		if a.decoded, err = m.Decode(z, labels); err != nil {
			return a, err
		}
		if a.recon, err = m.Reconstruct(x, labels); err != nil {
			return a, err
		}
		a.samples, err = m.Sample(n, uint64(g), g%s.Classes)
		return a, err
	}
	const goroutines = 32
	serial := make([]answer, goroutines)
	for g := range goroutines {
		var err error
		if serial[g], err = ask(g); err != nil {
			t.Fatal(err)
		}
	}
	// A fresh model over the same weights, so that graphs are compiled while
	// others run, as in a server that has just started.
	m, err := New(m.Params())
	if err != nil {
		t.Fatal(err)
	}
	concurrent := make([]answer, goroutines)
	errs := make([]error, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			concurrent[g], errs[g] = ask(g)
		}()
	}
	wg.Wait()
	for g := range goroutines {
		if errs[g] != nil {
			t.Fatalf("goroutine %d: %v", g, errs[g])
		}
		a, b := serial[g], concurrent[g]
		for _, pair := range [][2][]float32{{a.mu, b.mu}, {a.logvar, b.logvar}, {a.decoded, b.decoded}, {a.recon, b.recon}, {a.samples, b.samples}} {
			if !slices.Equal(pair[0], pair[1]) {
				t.Fatalf("goroutine %d: a concurrent answer differs from the serial one", g)
			}
		}
	}
}

// SampleEach streams, a batch at a time, exactly what Sample returns.
func TestSampleEachMatchesSample(t *testing.T) {
	for _, classes := range []int{0, 4} {
		m := newTestModel(t, classes)
		const n = 2500 // three batches, the last one partial
		want, err := m.Sample(n, 9, NoLabel)
		if err != nil {
			t.Fatal(err)
		}
		var got []float32
		calls := 0
		err = m.SampleEach(n, 9, NoLabel, func(images []float32) error {
			calls++
			got = append(got, images...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if calls != 3 || !slices.Equal(got, want) {
			t.Errorf("classes %d: %d calls; streamed samples equal Sample's: %v", classes, calls, slices.Equal(got, want))
		}
		// They are the prior stream's codes, decoded in one call: sampling
		// decodes ahead of its reader, in groups, in the same order.
		z := make([]float32, n*m.Config().Latent)
		FillNormal(z, PriorStream(9))
		decoded, err := m.Decode(z, m.sampleLabels(0, n, NoLabel))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(decoded, want) {
			t.Errorf("classes %d: samples differ from the decoded codes of the prior stream", classes)
		}
		// A reader that stops early stops the decoding, with its error.
		stop := errors.New("enough")
		if err := m.SampleEach(n, 9, NoLabel, func([]float32) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("classes %d: a reader's error came back as %v", classes, err)
		}
	}
}

// Arguments the model cannot take are errors that name them; a request
// for more than a call may return is refused before anything is allocated.
func TestBadArguments(t *testing.T) {
	plain, cond := newTestModel(t, 0), newTestModel(t, 4)
	x := uniform(2*12, 1)
	z := uniform(2*3, 2)
	second := func(_ any, err error) error { return err }
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"partial image", second(plain.Encode(x[:13], nil)), "x: 13 values are not a whole number of 12-value images"},
		{"no images", second(plain.Encode(nil, nil)), "x: 0 values"},
		{"partial code", second(plain.Decode(z[:4], nil)), "z: 4 values are not a whole number of 3-value codes"},
		{"labels to a plain model", second(plain.Decode(z, []int{1, 2})), "labels: the model is not conditional"},
		{"no labels to a conditional model", second(cond.Encode(x, nil)), "labels: the model is conditional: it needs one label per row, 2, got 0"},
		{"label outside", second(cond.Decode(z, []int{1, 4})), "labels: label 4 is outside 0–3"},
		{"negative label", second(cond.Reconstruct(x, []int{-1, 0})), "labels: label -1 is outside 0–3"},
		{"no samples", second(plain.Sample(0, 1, NoLabel)), "n 0: need at least one sample"},
		{"a label to a plain model", second(plain.Sample(2, 1, 3)), "label 3: the model is not conditional"},
		{"sample label outside", second(cond.Sample(2, 1, 9)), "label 9: outside 0–3"},
		{"a billion samples", second(plain.Sample(1_000_000_000, 1, NoLabel)), "n 1000000000: more samples than the 16777216 values one call returns"},
		{"soft labels of the wrong size", second(cond.DecodeSoft(z, []float32{1})), "y: 1 values for 2 codes of a model of 4 classes"},
		{"streaming nothing", plain.SampleEach(-5, 1, NoLabel, func([]float32) error { return nil }), "n -5: need at least one sample"},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, tt.err, tt.want)
		}
	}
}

func to64(s []float32) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}
