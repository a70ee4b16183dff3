package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/govae/govae/internal/testkit/cmdtest"
)

func TestSameConfigSameBytes(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	var outs [][]byte
	for _, name := range []string{"a.dot", "b.dot"} {
		path := filepath.Join(dir, name)
		if out, err := exec.Command(bin, "-config", "../../configs/mnist.yaml", "-out", path, "-grad").CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, data)
	}
	if !bytes.Equal(outs[0], outs[1]) || !bytes.Contains(outs[0], []byte(`label="eps ~ N(0, I)\n[128×20]"`)) {
		t.Error("two runs on the same config differ, or the eps node is missing")
	}
}

func TestBadInputIsOneClearLine(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("latent_size: -2\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown part", []string{"-part", "encoder", "-out", "x.dot"}, `unknown part "encoder"`},
		{"unwritable out", []string{"-out", filepath.Join(dir, "no", "such", "dir", "x.dot")}, "x.dot"},
		{"bad config", []string{"-config", bad, "-out", "x.dot"}, bad + ":1: latent_size: -2: must be at least 1"},
		{"unknown extension", []string{"-out", "x.jpg"}, `unknown extension ".jpg"`},
		{"no out", nil, "-out is required"},
		{"bad batch", []string{"-batch", "-3", "-out", "x.dot"}, "batch size -3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Fails(t, bin, dir, "graph", tt.args, tt.want)
		})
	}
}
