package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/testkit/cmdtest"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

// A plain autoencoder samples from N(0, I) and from its fitted prior; a
// label it does not take, a prior that is not a word, and a fitted prior
// it holds none of and whose data is gone are one line each.
func TestAutoencoderSamples(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	// The fixture copied to a folder of its own, which goes away below.
	data := filepath.Join(dir, "data")
	if err := os.CopyFS(data, os.DirFS(fixture.Dir())); err != nil {
		t.Fatal(err)
	}
	ck := fixture.Trained(t, fixture.Config(t, func(c *config.Config) { c.Variational, c.DataDir = false, data }))
	for _, prior := range []string{"standard", "fitted"} {
		if out, err := exec.Command(bin, "-checkpoint", ck, "-prior", prior, "-n", "16", "-out", filepath.Join(dir, prior+".png")).CombinedOutput(); err != nil {
			t.Fatalf("-prior %s: %v\n%s", prior, err, out)
		}
	}
	// The same model without its fitted prior, and without its data.
	c, err := model.ReadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	c.Prior = nil
	bare := filepath.Join(dir, "bare.ckpt")
	if err := c.Save(bare); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-checkpoint", bare, "-prior", "fitted", "-out", filepath.Join(dir, "refit.png")).CombinedOutput(); err != nil {
		t.Fatalf("fitting on demand: %v\n%s", err, out)
	}
	os.RemoveAll(data)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-checkpoint", ck, "-label", "3", "-out", "x.png"}, "label 3: the model is not conditional"},
		{[]string{"-checkpoint", ck, "-prior", "learned", "-out", "x.png"}, `-prior "learned": want standard or fitted`},
		{[]string{"-checkpoint", bare, "-prior", "fitted", "-out", "x.png"}, "-prior fitted: the checkpoint holds no fitted prior, and the training data to fit one to cannot be loaded (give -data)"},
		{[]string{"-checkpoint", ck, "-mode", "recon", "-prior", "fitted", "-out", "x.png"}, "-prior: only -mode samples draws codes from a prior"},
	} {
		cmdtest.Fails(t, bin, dir, "sample", tt.args, tt.want)
	}
}
