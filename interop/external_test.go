package interop

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/npy"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/internal/testkit/pytorchtest"
	"github.com/govae/govae/model"
)

// ort finds onnxruntime-node (npm install --ignore-scripts --prefix
// .cache/ort onnxruntime-node, or GOVAE_ORT_DIR) and node, or skips; where
// GOVAE_REQUIRE_ORT is set (CI), a missing one is a failure.
func ort(t *testing.T) (node, dir string) {
	t.Helper()
	dir = os.Getenv("GOVAE_ORT_DIR")
	if dir == "" {
		dir, _ = filepath.Abs(filepath.Join("..", ".cache", "ort"))
	}
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(filepath.Join(dir, "node_modules", "onnxruntime-node")); err == nil && serr == nil {
		return node, dir
	}
	msg := "no node or no onnxruntime-node in " + dir + " (npm install --ignore-scripts --prefix .cache/ort onnxruntime-node)"
	if os.Getenv("GOVAE_REQUIRE_ORT") != "" {
		t.Fatal(msg + ", and GOVAE_REQUIRE_ORT is set")
	}
	t.Skip(msg)
	return "", ""
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return out
}

func writeNPY(t *testing.T, path string, values []float32, shape ...int) {
	t.Helper()
	var buf bytes.Buffer
	if err := npy.Write(&buf, values, shape...); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readNPY(t *testing.T, path string) []float32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, v, err := npy.Read(f, 1<<26)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func openTiny(t *testing.T) *model.Model {
	m, err := model.Open(filepath.Join("..", "model", "testdata", "tiny.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func normalCodes(n, d int) []float32 {
	z := make([]float32, n*d)
	model.FillNormal(z, model.PriorStream(11))
	return z
}

func maxDiff(a, b []float32) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	worst := 0.0
	for i := range a {
		worst = max(worst, math.Abs(float64(a[i])-float64(b[i])))
	}
	return worst
}

// PyTorch loads our exported weights into the example's module with
// strict=True and decodes the same codes to the same pixels.
func TestPyTorchLoadsOurWeights(t *testing.T) {
	py := pytorchtest.Python(t, "numpy", "onnx")
	dir := t.TempDir()
	autoencoder := modelOf(t, model.Config{Input: 12, Hidden: 7, Latent: 3, Autoencoder: true})
	for _, m := range []*model.Model{openTiny(t), randomModel(t, 2), randomConvModel(t, 0, 1), randomConvModel(t, 2, 3), autoencoder, deepTanhModel(t), twoLayerModel(t)} {
		weights := filepath.Join(dir, "w.safetensors")
		if err := Export(weights, m, PartDecoder); err != nil {
			t.Fatal(err)
		}
		s := m.Config()
		const n = 64
		z := normalCodes(n, s.Code())
		var labels []int
		args := []string{"testdata/torch_check.py", "decode", weights, filepath.Join(dir, "z.npy"), filepath.Join(dir, "x.npy")}
		writeNPY(t, filepath.Join(dir, "z.npy"), z, n, s.Code())
		if s.Conditional() {
			lab := make([]float32, n)
			for i := range lab {
				labels = append(labels, i%s.Classes)
				lab[i] = float32(i % s.Classes)
			}
			writeNPY(t, filepath.Join(dir, "y.npy"), lab, n)
			args = append(args, filepath.Join(dir, "y.npy"))
		}
		run(t, py, args...)
		theirs := readNPY(t, filepath.Join(dir, "x.npy"))
		ours, err := m.Decode(z, labels)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(ours, theirs); d > 1e-5 {
			t.Errorf("sizes %+v: PyTorch's decode differs from ours by up to %g", s, d)
		}
	}
}

// A model trained in PyTorch (the example's module, one epoch on the
// fixture) imports here and gives each test image the loss PyTorch gives it
// (with eps = 0, z = mu), within 1e-3 nats.
func TestPyTorchTrainedModelImports(t *testing.T) {
	py := pytorchtest.Python(t, "numpy", "onnx")
	dir := t.TempDir()
	weights, losses := filepath.Join(dir, "torch.safetensors"), filepath.Join(dir, "losses.npy")
	run(t, py, "testdata/torch_check.py", "train", fixture.Dir(), weights, losses)
	p, err := ReadWeights(weights, model.Config{Input: 784, Hidden: 400, Latent: 20})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(p)
	if err != nil {
		t.Fatal(err)
	}
	test, err := dataset.LoadTestSet(fixture.Dir())
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, test.Len()*test.Size())
	test.Gather(dataset.Sequential(test.Len()), x)
	codes, err := m.Encode(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	recon, err := m.Decode(codes.Mu, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := readNPY64(t, losses)
	worst := 0.0
	for i := range test.Len() {
		got := negELBO(x[i*784:(i+1)*784], recon[i*784:(i+1)*784], codes.Mu[i*20:(i+1)*20], codes.Logvar[i*20:(i+1)*20])
		worst = max(worst, math.Abs(got-want[i]))
	}
	t.Logf("%d test images, PyTorch's loss %.3f for the first; largest difference %.2g nats", test.Len(), want[0], worst)
	if worst > 1e-3 {
		t.Errorf("per-image losses differ from PyTorch's by up to %g nats", worst)
	}
}

// negELBO is BCE(recon, x) + KL(mu, logvar) for one image, in float64 with
// PyTorch's clamp of the log at -100.
func negELBO(x, recon, mu, logvar []float32) float64 {
	var bce, kl float64
	for j := range x {
		r := float64(recon[j])
		bce -= float64(x[j])*max(math.Log(r), -100) + (1-float64(x[j]))*max(math.Log(1-r), -100)
	}
	for j := range mu {
		kl += 1 + float64(logvar[j]) - float64(mu[j])*float64(mu[j]) - math.Exp(float64(logvar[j]))
	}
	return bce - 0.5*kl
}

// readNPY64 reads the float64 losses the script saves.
func readNPY64(t *testing.T, path string) []float64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hlen := int(data[8]) | int(data[9])<<8
	if !bytes.Contains(data[10:10+hlen], []byte("'<f8'")) {
		t.Fatalf("losses are not float64: %q", data[10:10+hlen])
	}
	raw := data[10+hlen:]
	out := make([]float64, len(raw)/8)
	for i := range out {
		out[i] = math.Float64frombits(uint64(raw[8*i]) | uint64(raw[8*i+1])<<8 | uint64(raw[8*i+2])<<16 | uint64(raw[8*i+3])<<24 |
			uint64(raw[8*i+4])<<32 | uint64(raw[8*i+5])<<40 | uint64(raw[8*i+6])<<48 | uint64(raw[8*i+7])<<56)
	}
	return out
}

// The ONNX files pass onnx.checker, and ONNX Runtime computes with them what
// the model computes: the decoder's pixels, the encoder's mu and logvar (for
// two stochastic layers z2's, with z1's as mu1 and logvar1).
func TestONNXRuntimeMatchesTheModel(t *testing.T) {
	py := pytorchtest.Python(t, "numpy", "onnx")
	node, ortDir := ort(t)
	dir := t.TempDir()
	autoencoder := modelOf(t, model.Config{Input: 12, Hidden: 7, Latent: 3, Autoencoder: true})
	for _, m := range []*model.Model{openTiny(t), randomModel(t, 2), randomConvModel(t, 0, 1), randomConvModel(t, 2, 3), autoencoder, deepTanhModel(t), twoLayerModel(t)} {
		s := m.Config()
		const n = 32
		z := normalCodes(n, s.Code())
		x := make([]float32, n*s.Input)
		for i := range x {
			x[i] = float32(i%97) / 96
		}
		var labels []int
		var y []float32
		if s.Conditional() {
			for i := range n {
				labels = append(labels, i%s.Classes)
			}
			y, _ = model.OneHot(labels, s.Classes)
		}
		for _, part := range []string{PartDecoder, PartEncoder} {
			path := filepath.Join(dir, part+".onnx")
			if err := Export(path, m, part); err != nil {
				t.Fatal(err)
			}
			run(t, py, "testdata/torch_check.py", "check-onnx", path)
			inputs := map[string]any{}
			if part == PartDecoder {
				inputs["z"] = map[string]any{"dims": []int{n, s.Code()}, "data": z}
			} else {
				inputs["x"] = map[string]any{"dims": []int{n, s.Input}, "data": x}
			}
			if y != nil {
				inputs["y"] = map[string]any{"dims": []int{n, s.Classes}, "data": y}
			}
			js, _ := json.Marshal(inputs)
			in := filepath.Join(dir, "inputs.json")
			os.WriteFile(in, js, 0o644)
			cmd := exec.Command(node, "testdata/ort_run.js", path, in)
			cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(ortDir, "node_modules"))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("onnxruntime: %v\n%s", err, out)
			}
			var outputs map[string]struct{ Data []float32 }
			if err := json.Unmarshal(out, &outputs); err != nil {
				t.Fatalf("onnxruntime printed %.200s", out)
			}
			if part == PartDecoder {
				ours, _ := m.Decode(z, labels)
				if d := maxDiff(ours, outputs["x"].Data); d > 1e-5 {
					t.Errorf("%+v decoder: ONNX Runtime differs by up to %g", s, d)
				}
			} else {
				codes, _ := m.Encode(x, labels)
				d := max(maxDiff(codes.Mu, outputs["mu"].Data), maxDiff(codes.Logvar, outputs["logvar"].Data))
				if s.TwoLayers() {
					d = max(d, maxDiff(codes.Mu1, outputs["mu1"].Data), maxDiff(codes.Logvar1, outputs["logvar1"].Data))
				}
				if d > 1e-5 {
					t.Errorf("%+v encoder: ONNX Runtime differs by up to %g", s, d)
				}
			}
		}
	}
}
