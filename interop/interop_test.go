package interop

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

func randomModel(t testing.TB, classes int) *model.Model {
	t.Helper()
	return modelOf(t, model.Config{Input: 12, Hidden: 7, Latent: 3, Classes: classes})
}

// deepTanhModel is Burda et al.'s kind of net, small: two tanh hidden layers
// each way, conditional.
func deepTanhModel(t testing.TB) *model.Model {
	t.Helper()
	return modelOf(t, model.Config{Input: 12, Hidden: 7, Latent: 3, Classes: 2, Depth: 2, Activation: model.Tanh})
}

// twoLayerModel is Burda et al.'s two stochastic layers, small, tanh.
func twoLayerModel(t testing.TB) *model.Model {
	t.Helper()
	return modelOf(t, model.Config{Input: 12, Hidden: 7, Latent: 3, Depth: 2, Activation: model.Tanh, Stochastic: 2, Hidden2: 5, Latent2: 2})
}

// randomConvModel is a small conv model of 8×8 images, grey or colour
// (channels 3), with a Gaussian decoder (whose log-scales travel too).
func randomConvModel(t testing.TB, classes, channels int) *model.Model {
	t.Helper()
	s := model.Config{Input: max(1, channels) * 64, Hidden: 7, Latent: 3, Classes: classes, Arch: model.ConvArch, Likelihood: model.Gaussian}
	if channels == 3 {
		s.Channels = 3
	}
	return modelOf(t, s)
}

func modelOf(t testing.TB, s model.Config) *model.Model {
	t.Helper()
	p, err := model.NewParams(s, tensor.Float32, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// roundTrip exports m's weights as safetensors and reads them back: the same
// tensors, bit for bit.
func roundTrip(t *testing.T, m *model.Model) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.safetensors")
	if err := Export(path, m, PartDecoder); err != nil {
		t.Fatal(err)
	}
	p, err := ReadWeights(path, m.Config())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.All()) != len(m.Params().All()) {
		t.Fatalf("%v: %d tensors back, want %d", m.Config(), len(p.All()), len(m.Params().All()))
	}
	for i, w := range p.All() {
		if want := m.Params().All()[i]; !reflect.DeepEqual(w.Tensor.Float32s(), want.Tensor.Float32s()) {
			t.Errorf("%v: %s differs after the round trip", m.Config(), w.Name)
		}
	}
}

// Export then import gives back the same weights, bit for bit; PyTorch's
// layout is the transpose of ours, with the label columns after the image's.
func TestSafetensorsRoundTrip(t *testing.T) {
	for _, m := range []*model.Model{randomConvModel(t, 0, 1), randomConvModel(t, 2, 3)} {
		roundTrip(t, m)
		if torch := ToTorch(m.Params()); torch[0].Name != "conv1.weight" || !reflect.DeepEqual(torch[0].Shape, []int{32, max(1, m.Config().Channels), 4, 4}) {
			t.Errorf("%v: first tensor %s %v, want conv1.weight [32 C 4 4]", m.Config(), torch[0].Name, torch[0].Shape)
		}
	}
	// Two stochastic layers: the networks of z2 travel too.
	two := twoLayerModel(t)
	roundTrip(t, two)
	if meta := Metadata(two); meta["stochastic_layers"] != "2" || meta["hidden_size_2"] != "5" || meta["latent_size_2"] != "2" {
		t.Errorf("metadata %v: want stochastic_layers 2, hidden_size_2 5, latent_size_2 2", meta)
	}
	for _, classes := range []int{0, 2} {
		m := randomModel(t, classes)
		roundTrip(t, m)
		torch := ToTorch(m.Params())
		if torch[0].Name != "fc1.weight" || !reflect.DeepEqual(torch[0].Shape, []int{7, 12 + classes}) {
			t.Errorf("fc1.weight is %s %v", torch[0].Name, torch[0].Shape)
		}
		// weight[j][i] is our W[i][j]: row 0 of fc1.weight holds W's column 0.
		w := m.Params().Fc1.W.Float32s()
		if torch[0].Data[1] != w[1*7+0] || torch[0].Data[12+classes] != w[1] {
			t.Error("fc1.weight is not W transposed")
		}
	}
}

func safetensorsFile(t *testing.T, header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

// Bad files are one clear error each, naming the tensor where there is one.
func TestReadWeightsRejects(t *testing.T) {
	m := randomModel(t, 0)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.safetensors")
	if err := Export(good, m, PartDecoder); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	n := binary.LittleEndian.Uint64(data)
	var header map[string]json.RawMessage
	json.Unmarshal(data[8:8+n], &header)
	edit := func(f func(h map[string]json.RawMessage)) []byte {
		h := map[string]json.RawMessage{}
		for k, v := range header {
			h[k] = v
		}
		f(h)
		js, _ := json.Marshal(h)
		return safetensorsFile(t, string(js), data[8+n:])
	}
	entry := func(dtype string, shape []int, b, e int) json.RawMessage {
		js, _ := json.Marshal(map[string]any{"dtype": dtype, "shape": shape, "data_offsets": []int{b, e}})
		return js
	}
	var fc1bOffsets [2]int
	var e struct{ Data_offsets [2]int }
	json.Unmarshal(header["fc1.bias"], &e)
	fc1bOffsets = e.Data_offsets
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"foreign", []byte("PK\x03\x04 a zip file, not safetensors at all........"), "not a safetensors file"},
		{"truncated", data[:len(data)-10], "offsets cover"},
		{"header not JSON", safetensorsFile(t, "{not json}", nil), "not a JSON object"},
		{"float64", edit(func(h map[string]json.RawMessage) {
			h["fc1.bias"] = entry("F64", []int{7}, fc1bOffsets[0], fc1bOffsets[1])
		}), "tensor fc1.bias: dtype F64, want F32"},
		{"offsets lie", edit(func(h map[string]json.RawMessage) {
			h["fc1.bias"] = entry("F32", []int{7}, fc1bOffsets[0], fc1bOffsets[1]+4)
		}), "tensor fc1.bias: offsets"},
		{"shape lies", edit(func(h map[string]json.RawMessage) {
			h["fc1.bias"] = entry("F32", []int{1 << 40}, fc1bOffsets[0], fc1bOffsets[1])
		}), "tensor fc1.bias: shape [1099511627776] does not fit"},
		{"wrong shape", edit(func(h map[string]json.RawMessage) {
			h["fc1.bias"] = entry("F32", []int{1, 7}, fc1bOffsets[0], fc1bOffsets[1])
		}), "tensor fc1.bias: shape [1 7], the model's sizes need [7]"},
		{"missing", edit(func(h map[string]json.RawMessage) { delete(h, "fc4.bias") }), "offsets cover"},
		{"extra", edit(func(h map[string]json.RawMessage) { h["fc5.weight"] = entry("F32", []int{0}, 0, 0) }), "tensor fc5.weight: not a weight of the model"},
		{"renamed", edit(func(h map[string]json.RawMessage) { h["fc9.bias"] = h["fc4.bias"]; delete(h, "fc4.bias") }), "tensor fc4.bias: missing"},
		{"header longer than the file", binary.LittleEndian.AppendUint64(nil, 1<<40), "announces a 1099511627776-byte header"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".safetensors")
		os.WriteFile(path, tt.data, 0o644)
		_, err := ReadWeights(path, m.Config())
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want it to name the file and say %q", tt.name, err, tt.want)
		}
	}
}

// FuzzReadSafetensors: any bytes give tensors whose data fits their shapes,
// or an error; never a panic, never an allocation past the file's size.
func FuzzReadSafetensors(f *testing.F) {
	var buf bytes.Buffer
	WriteSafetensors(&buf, ToTorch(randomModel(f, 2).Params()), map[string]string{"a": "b"})
	f.Add(buf.Bytes())
	f.Add(safetensorsFile(nil, `{"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}`, make([]byte, 8)))
	f.Add(safetensorsFile(nil, `{"__metadata__": {"k": 1}}`, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		tensors, _, err := ReadSafetensors(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, ts := range tensors {
			n := 1
			for _, d := range ts.Shape {
				n *= d
			}
			if n != len(ts.Data) {
				t.Fatalf("%s: shape %v with %d values", ts.Name, ts.Shape, len(ts.Data))
			}
		}
	})
}

// The .npz holds one .npy per tensor, under PyTorch's names.
func TestNPZ(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.npz")
	if err := Export(path, randomModel(t, 0), PartDecoder); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, name := range []string{"fc1.weight.npy", "fc4.bias.npy", "'shape': (7, 12)"} {
		if !bytes.Contains(data, []byte(name)) {
			t.Errorf("the .npz holds no %q", name)
		}
	}
	if err := Export(filepath.Join(t.TempDir(), "w.npz"), randomModel(t, 0), PartEncoder); err == nil {
		t.Error("-part encoder accepted for .npz")
	}
}
