package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/blas/openblas"
	"github.com/govae/govae/internal/npy"
	"github.com/govae/govae/internal/testkit/cmdtest"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

// checkpoint trains a tiny model with a 2-D latent space for one epoch on the fixture.
func checkpoint(t *testing.T) string {
	return fixture.Trained(t, fixture.Config(t, func(c *config.Config) { c.HiddenSize, c.LatentSize, c.BatchSize = 16, 2, 128 }))
}

func TestModes(t *testing.T) {
	bin := cmdtest.Build(t)
	ck := checkpoint(t)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"-n", "9", "-out", "s.png"},
		{"-n", "9", "-out", "s.npy"},
		{"-n", "9", "-out", "s.idx.gz"},
		{"-mode", "recon", "-out", "r.png"},
		{"-mode", "interp", "-pairs", "0:1,2:3", "-slerp", "-out", "i.png"},
		{"-mode", "traverse", "-out", "t.png"},
		{"-mode", "manifold", "-n", "8", "-out", "m.png"},
		{"-mode", "scatter", "-out", "sc.png"},
		{"-mode", "losses", "-out", "l.svg"},
	} {
		cmd := exec.Command(bin, append([]string{"-checkpoint", ck}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%v: %v\n%s", args, err, out)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, args[len(args)-1])); err != nil {
			t.Error(err)
		}
	}
}

func TestHelpListsModes(t *testing.T) {
	out, _ := exec.Command(cmdtest.Build(t), "-h").CombinedOutput()
	for _, mode := range []string{"samples", "recon", "interp", "traverse", "manifold", "scatter", "losses"} {
		if !strings.Contains(string(out), "-mode "+mode) && mode != "samples" {
			t.Errorf("-h shows no example of %s", mode)
		}
	}
}

func TestBadInputIsOneClearLine(t *testing.T) {
	bin := cmdtest.Build(t)
	ck := checkpoint(t)
	dir := t.TempDir()
	data, _ := os.ReadFile(ck)
	truncated := filepath.Join(dir, "truncated.ckpt")
	os.WriteFile(truncated, data[:len(data)/2], 0o644)
	corrupt := filepath.Join(dir, "corrupt.ckpt")
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)-10] ^= 1
	os.WriteFile(corrupt, flipped, 0o644)
	foreign := filepath.Join(dir, "foreign.ckpt")
	os.WriteFile(foreign, []byte("\x89PNG\r\n\x1a\n not a checkpoint"), 0o644)
	newer := filepath.Join(dir, "newer.ckpt")
	future := append([]byte(nil), data...)
	future[len("GOVAE-CHECKPOINT\n")+3] = 99
	os.WriteFile(newer, future, 0o644)

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing checkpoint", []string{"-checkpoint", "nope.ckpt", "-out", "a.png"}, "nope.ckpt: no such file"},
		{"truncated", []string{"-checkpoint", truncated, "-out", "a.png"}, "truncated"},
		{"corrupted", []string{"-checkpoint", corrupt, "-out", "a.png"}, "checksum mismatch"},
		{"foreign", []string{"-checkpoint", foreign, "-out", "a.png"}, "not a govae checkpoint"},
		{"newer version", []string{"-checkpoint", newer, "-out", "a.png"}, "written by a newer govae"},
		{"index outside", []string{"-checkpoint", ck, "-mode", "traverse", "-index", "500", "-out", "a.png"}, "image index 500 is outside the test set (0–127)"},
		{"n zero", []string{"-checkpoint", ck, "-n", "0", "-out", "a.png"}, "-n 0: need at least one sample"},
		{"more samples than the disk holds", []string{"-checkpoint", ck, "-n", "2000000000", "-out", "s.npy"}, "s.npy would take 6.3 TB; its disk has"},
		{"a picture too large", []string{"-checkpoint", ck, "-n", "20000", "-out", "s.png"}, "-n 20000: 20000 images are more than the 10000 a picture holds"},
		{"a manifold too large", []string{"-checkpoint", ck, "-mode", "manifold", "-n", "1000000", "-out", "m.png"}, "-n 1000000: a grid of 1000000×1000000 is more than"},
		{"a label for a plain model", []string{"-checkpoint", ck, "-label", "3", "-out", "a.png"}, "-label 3: the model is not conditional"},
		{"one step", []string{"-checkpoint", ck, "-mode", "interp", "-steps", "1", "-out", "a.png"}, "-steps 1: an interpolation needs at least 2"},
		{"unknown extension", []string{"-checkpoint", ck, "-out", "a.bmp"}, `unknown extension ".bmp"`},
		{"unknown mode", []string{"-checkpoint", ck, "-mode", "dream", "-out", "a.png"}, `unknown -mode "dream"`},
		{"bad pairs", []string{"-checkpoint", ck, "-mode", "interp", "-pairs", "1-2", "-out", "a.png"}, "-pairs"},
		{"no out", []string{"-checkpoint", ck}, "-out is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Fails(t, bin, dir, "sample", tt.args, tt.want)
		})
	}
}

// Ctrl-C while samples stream to a file stops the command with one clear
// line and leaves no file behind, not even a temporary one; its memory
// stays small meanwhile.
func TestInterruptedStreamLeavesNothing(t *testing.T) {
	bin := cmdtest.Build(t)
	ck := checkpoint(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "-checkpoint", ck, "-n", "1000000", "-out", "s.npy")
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 {
		t.Fatalf("exit %v, want status 1\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "stopped before the end, nothing written") {
		t.Errorf("stderr %q", stderr.String())
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rss, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rss), " kB"))
			t.Logf("resident memory while streaming: %d MB", kb>>10)
			if kb > 300<<10 {
				t.Errorf("resident memory %d MB while streaming", kb>>10)
			}
		}
	}
}

// -mode decode turns a .npy of codes into the model's pixels, exactly as
// the model decodes them.
func TestDecodeCodesFile(t *testing.T) {
	bin := cmdtest.Build(t)
	ck := checkpoint(t)
	dir := t.TempDir()
	if _, err := openblas.Use(); err != nil { // the BLAS the command picks
		t.Fatal(err)
	}
	m, err := model.Open(ck)
	if err != nil {
		t.Fatal(err)
	}
	z := []float32{0.5, -1, 2, 0.25, 0, 0}
	var buf bytes.Buffer
	npy.Write(&buf, z, 3, 2)
	os.WriteFile(filepath.Join(dir, "codes.npy"), buf.Bytes(), 0o644)
	cmd := exec.Command(bin, "-checkpoint", ck, "-mode", "decode", "-z", "codes.npy", "-out", "x.npy")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, _ := os.Open(filepath.Join(dir, "x.npy"))
	defer f.Close()
	shape, got, err := npy.Read(f, 1<<20)
	want, _ := m.Decode(z, nil)
	if err != nil || !slices.Equal(shape, []int{3, 784}) || !slices.Equal(got, want) {
		t.Errorf("shape %v, %v; equal to the model's decode: %v", shape, err, slices.Equal(got, want))
	}
	var wrong bytes.Buffer
	npy.Write(&wrong, make([]float32, 6), 2, 3)
	os.WriteFile(filepath.Join(dir, "wrong.npy"), wrong.Bytes(), 0o644)
	cmdtest.Fails(t, bin, dir, "sample", []string{"-checkpoint", ck, "-mode", "decode", "-z", "wrong.npy", "-out", "y.npy"}, "wrong.npy: shape [2 3], want [N, 2]")
	cmdtest.Fails(t, bin, dir, "sample", []string{"-checkpoint", ck, "-mode", "decode", "-out", "y.npy"}, "-mode decode needs -z")
}
