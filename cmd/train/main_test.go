package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/govae/govae/internal/mpi"
	"github.com/govae/govae/internal/testkit/cmdtest"
)

func TestBadInputIsOneClearLine(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	typo := write("typo.yaml", "epochs: 1\nlaten_size: 2\n")
	negative := write("neg.yaml", "lr: -1\n")
	notCkpt := write("model.ckpt", "hello")
	fixture, _ := filepath.Abs(filepath.Join("..", "..", "dataset", "testdata", "mnist"))

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown key", []string{"-config", typo}, typo + `:2: laten_size: unknown key (did you mean "latent_size"?)`},
		{"negative lr", []string{"-config", negative}, negative + ":1: lr: -1: must be greater than 0"},
		{"missing config", []string{"-config", filepath.Join(dir, "nope.yaml")}, "nope.yaml: no such file"},
		{"zero epochs flag", []string{"-epochs", "0"}, "epochs: 0: must be at least 1"},
		{"bad log flag", []string{"-log", "xml"}, `log_format: "xml"`},
		{"missing data", []string{"-data", filepath.Join(dir, "nodata")}, "nodata: no such file"},
		{"not a checkpoint", []string{"-resume", notCkpt}, "not a govae checkpoint"},
		{"config and resume", []string{"-config", typo, "-resume", notCkpt}, "not both"},
		{"stray argument", []string{"configs/mnist.yaml"}, "unexpected argument"},
		{"bad mpi flag", []string{"-mpi", "yes"}, `-mpi "yes": want auto, on or off`},
		{"input size", []string{"-config", write("in.yaml", "input_size: 100\nepochs: 1\n"), "-data", fixture}, "input_size: 100, but the images"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Fails(t, bin, dir, "train", tt.args, tt.want)
		})
	}
}

// MPI asked for where its library is missing is one line naming the
// package to install.
func TestMPIWithoutItsLibrary(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	t.Setenv(mpi.LibraryVar, filepath.Join(dir, "libmpi.so.40"))
	cmdtest.Fails(t, bin, dir, "train", []string{"-mpi", "on"}, "-mpi on: MPI: "+filepath.Join(dir, "libmpi.so.40")+" not found (install Open MPI: apt-get install openmpi-bin)")
}

// One epoch on the fixture through the real binary: the happy path a user sees.
func TestTrainsOnFixture(t *testing.T) {
	bin := cmdtest.Build(t)
	out := t.TempDir()
	cfg := filepath.Join(out, "small.yaml")
	os.WriteFile(cfg, []byte("hidden_size: 16\nlatent_size: 2\nepochs: 1\nbatch_size: 64\n"), 0o644)
	cmd := exec.Command(bin, "-config", cfg, "-data", filepath.Join("..", "..", "dataset", "testdata", "mnist"), "-out", out, "-log", "json")
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, msg)
	}
	if !bytes.Contains(msg, []byte(`"msg":"epoch done"`)) || !bytes.Contains(msg, []byte(`"epoch":1`)) {
		t.Errorf("no JSON epoch line in:\n%s", msg)
	}
	if _, err := os.Stat(filepath.Join(out, "checkpoint.ckpt")); err != nil {
		t.Error(err)
	}
}
