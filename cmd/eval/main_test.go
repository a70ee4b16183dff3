package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

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
