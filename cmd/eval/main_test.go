package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/testkit/cmdtest"
	"github.com/govae/govae/internal/testkit/fixture"
)

func TestPrintsJSONLine(t *testing.T) {
	bin := cmdtest.Build(t)
	ck := fixture.Trained(t, fixture.Config(t, nil))
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

// A plain autoencoder is evaluated on its reconstruction alone, with its
// prior samples judged; asked for an NLL it says why it has none.
func TestAutoencoder(t *testing.T) {
	bin := cmdtest.Build(t)
	ck := fixture.Trained(t, fixture.Config(t, func(c *config.Config) { c.Variational = false }))
	out, err := exec.Command(bin, "-checkpoint", ck, "-n", "10", "-samples", "100", "-prior", "fitted").Output()
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Reconstruction float64
		NLL            *float64
		Quality        struct {
			Prior   string
			Samples int
		}
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Reconstruction <= 0 || r.NLL != nil || r.Quality.Prior != "fitted" || r.Quality.Samples != 100 {
		t.Errorf("result %s", out)
	}
	cmdtest.Fails(t, bin, t.TempDir(), "eval", []string{"-checkpoint", ck, "-k", "100"},
		"-k 100: a plain autoencoder (variational: false) has no likelihood to estimate")
}
