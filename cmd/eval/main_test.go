package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/govae/govae/internal/cmdtest"
	"github.com/govae/govae/train"
)

func TestPrintsJSONLine(t *testing.T) {
	bin := cmdtest.Build(t)
	cfg := train.Default()
	cfg.DataDir, _ = filepath.Abs(filepath.Join("..", "..", "dataset", "testdata", "mnist"))
	cfg.HiddenSize, cfg.LatentSize, cfg.Epochs = 32, 4, 1
	cfg.OutDir = t.TempDir()
	if err := train.Run(t.Context(), cfg, train.Options{}); err != nil {
		t.Fatal(err)
	}
	ck := filepath.Join(cfg.OutDir, train.CheckpointFile)
	out, err := exec.Command(bin, "-checkpoint", ck, "-k", "50", "-n", "10").Output()
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		ELBO, Recon, KL, NLL float64
		K, N                 int
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.K != 50 || r.N != 10 || !(r.NLL < r.ELBO) || r.ELBO != r.Recon+r.KL {
		t.Errorf("result %+v", r)
	}

	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-k", "0", "-checkpoint", ck}, "-k 0"},
		{[]string{"-checkpoint", filepath.Join(dir, "none.ckpt")}, "none.ckpt: no such file"},
		{[]string{"-k", "5"}, "-checkpoint is required"},
	} {
		cmdtest.Fails(t, bin, dir, "eval", tt.args, tt.want)
	}
}
