package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/testkit/cmdtest"
)

// govae runs each subcommand as its own main does: the same flags, the same
// work, its errors under the command's name; help lists every command.
func TestSubcommands(t *testing.T) {
	bin := cmdtest.Build(t)
	out, err := exec.Command(bin, "help").CombinedOutput()
	if err != nil {
		t.Fatalf("govae help: %v\n%s", err, out)
	}
	for _, name := range []string{"train", "sample", "eval", "graph", "serve", "export", "import", "shapes"} {
		if !strings.Contains(string(out), "\n  "+name+" ") {
			t.Errorf("govae help does not list %s:\n%s", name, out)
		}
		if out, err := exec.Command(bin, "help", name).CombinedOutput(); err != nil || !strings.Contains(strings.ToLower(string(out)), "usage") {
			t.Errorf("govae help %s: %v\n%s", name, err, out)
		}
	}

	dir := filepath.Join(t.TempDir(), "shapes")
	if out, err := exec.Command(bin, "shapes", "-out", dir, "-n", "2", "-size", "8").CombinedOutput(); err != nil {
		t.Fatalf("govae shapes: %v\n%s", err, out)
	}
	if d, err := dataset.Load(dataset.Spec{Dir: dir, ImageSize: 8, Channels: 3}); err != nil || d.Train.Len()+d.Test.Len() != 6 {
		t.Errorf("govae shapes wrote a folder that loads as %v, %v", d, err)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{}, "no command given"},
		{[]string{"trian"}, `unknown command "trian"`},
		{[]string{"export"}, "export: -checkpoint is required"},
		{[]string{"train", "-epochs", "-1"}, "train: flags: epochs"},
		{[]string{"sample", "-checkpoint", "/no/such.ckpt"}, "sample: "},
	} {
		cmdtest.Fails(t, bin, t.TempDir(), "govae", tt.args, tt.want)
	}
}
