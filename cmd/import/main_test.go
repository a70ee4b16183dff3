package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/testkit/cmdtest"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/interop"
	"github.com/govae/govae/model"
)

func build(t *testing.T, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// A model exported and imported comes back with the same weights; the
// imported checkpoint opens in every command, and cmd/train -resume
// continues from it with a fresh optimizer.
func TestExportImportResume(t *testing.T) {
	dir := t.TempDir()
	cfg := fixture.Config(t, func(c *config.Config) { c.HiddenSize, c.LatentSize = 32, 4 })
	ck := fixture.Trained(t, cfg)
	yaml, _ := cfg.Marshal()
	cfgPath := filepath.Join(dir, "cfg.yaml")
	os.WriteFile(cfgPath, yaml, 0o644)

	export, imp := build(t, "../export"), cmdtest.Build(t)
	weights, out := filepath.Join(dir, "w.safetensors"), filepath.Join(dir, "imported.ckpt")
	for _, args := range [][]string{
		{export, "-checkpoint", ck, "-out", weights},
		{imp, "-weights", weights, "-config", cfgPath, "-out", out},
	} {
		if msg, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, msg)
		}
	}
	a, _ := model.ReadCheckpoint(ck)
	b, err := model.ReadCheckpoint(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Weights, b.Weights) || b.Epoch != 0 || len(b.Training) != 0 {
		t.Errorf("imported: equal weights %v, epoch %d, %d bytes of trainer's state", reflect.DeepEqual(a.Weights, b.Weights), b.Epoch, len(b.Training))
	}
	train := build(t, "../train")
	resume := exec.Command(train, "-resume", out, "-epochs", "1", "-out", filepath.Join(dir, "run"))
	if msg, err := resume.CombinedOutput(); err != nil {
		t.Fatalf("train -resume: %v\n%s", err, msg)
	}
	if _, err := os.Stat(filepath.Join(dir, "run", "checkpoint.ckpt")); err != nil {
		t.Error(err)
	}
}

// Bad input is one line and exit 1, and nothing is written.
func TestBadInputWritesNothing(t *testing.T) {
	dir := t.TempDir()
	bin := cmdtest.Build(t)
	export := build(t, "../export")
	tiny, _ := filepath.Abs(filepath.Join("..", "..", "model", "testdata", "tiny.ckpt"))
	good := filepath.Join(dir, "tiny.safetensors")
	if msg, err := exec.Command(export, "-checkpoint", tiny, "-out", good).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, msg)
	}
	data, _ := os.ReadFile(good)
	os.WriteFile(filepath.Join(dir, "truncated.safetensors"), data[:len(data)/2], 0o644)
	os.WriteFile(filepath.Join(dir, "foreign.safetensors"), []byte("\x89PNG\r\n\x1a\n, not weights"), 0o644)
	// The tiny model is 784-64-4; the default config wants 784-400-20.
	def, _ := config.Default().Marshal()
	os.WriteFile(filepath.Join(dir, "default.yaml"), def, 0o644)
	small := config.Default()
	small.HiddenSize, small.LatentSize = 64, 4
	sm, _ := small.Marshal()
	os.WriteFile(filepath.Join(dir, "small.yaml"), sm, 0o644)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no weights", []string{"-config", "small.yaml", "-out", "a.ckpt"}, "-weights is required"},
		{"no config", []string{"-weights", "tiny.safetensors", "-out", "a.ckpt"}, "-config is required"},
		{"truncated", []string{"-weights", "truncated.safetensors", "-config", "small.yaml", "-out", "a.ckpt"}, "truncated.safetensors"},
		{"foreign", []string{"-weights", "foreign.safetensors", "-config", "small.yaml", "-out", "a.ckpt"}, "not a safetensors file"},
		{"sizes differ", []string{"-weights", "tiny.safetensors", "-config", "default.yaml", "-out", "a.ckpt"}, "tensor fc1.weight: shape [64 784], the model's sizes need [400 784]"},
		{"missing file", []string{"-weights", "gone.safetensors", "-config", "small.yaml", "-out", "a.ckpt"}, "gone.safetensors: no such file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Fails(t, bin, dir, "import", tt.args, tt.want)
			if _, err := os.Stat(filepath.Join(dir, "a.ckpt")); err == nil {
				t.Error("a checkpoint was written")
			}
		})
	}
	cmdtest.Fails(t, export, dir, "export", []string{"-checkpoint", tiny, "-out", "w.bin"}, `unknown extension ".bin"`)

	// Weights with a NaN or an Inf are refused, naming the tensor and the
	// first bad value, and a good checkpoint already at -out stays as it was.
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(-1))} {
		poisoned := filepath.Join(dir, "poisoned.safetensors")
		poison(t, good, poisoned, "fc3.weight", 5, bad)
		out := filepath.Join(dir, "kept.ckpt")
		if msg, err := exec.Command(bin, "-weights", good, "-config", filepath.Join(dir, "small.yaml"), "-out", out).CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, msg)
		}
		before, _ := os.ReadFile(out)
		cmdtest.Fails(t, bin, dir, "import", []string{"-weights", "poisoned.safetensors", "-config", "small.yaml", "-out", "kept.ckpt"},
			fmt.Sprintf("tensor fc3.weight: value 5 is %v", bad))
		if after, _ := os.ReadFile(out); !bytes.Equal(before, after) {
			t.Errorf("%v: the checkpoint at -out changed", bad)
		}
	}
	cmdtest.Fails(t, export, dir, "export", []string{"-checkpoint", tiny, "-part", "encoder", "-out", "w.npz"}, "only an .onnx file holds one part")
	cmdtest.Fails(t, export, dir, "export", []string{"-checkpoint", tiny, "-part", "middle", "-out", "w.onnx"}, `part "middle"`)
}

// poison copies the safetensors file src to dst with value i of tensor name
// set to v.
func poison(t *testing.T, src, dst, name string, i int, v float32) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	tensors, meta, err := interop.ReadSafetensors(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	for _, tn := range tensors {
		if tn.Name == name {
			tn.Data[i] = v
		}
	}
	var buf bytes.Buffer
	if err := interop.WriteSafetensors(&buf, tensors, meta); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
