package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/internal/testkit/cmdtest"
)

// The folder it writes loads as a data set of three classes of the size
// asked; bad flags are one line each.
func TestWritesAFolderThatLoads(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := filepath.Join(t.TempDir(), "shapes")
	if out, err := exec.Command(bin, "-out", dir, "-n", "5", "-size", "12").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	d, err := dataset.Load(dataset.Spec{Dir: dir, ImageSize: 12, Channels: 3})
	if err != nil {
		t.Fatal(err)
	}
	if n := d.Train.Len() + d.Test.Len(); n != 15 || d.Train.Classes != 3 || d.Train.Rows != 12 {
		t.Errorf("loaded %d images of %d classes, %d×%d", n, d.Train.Classes, d.Train.Rows, d.Train.Cols)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{}, "-out is required"},
		{[]string{"-out", dir, "-n", "0"}, "-n 0: want 1 to 100000 images per shape"},
		{[]string{"-out", dir, "-size", "2"}, "-size 2: want 4 to 512 pixels"},
		{[]string{"-out", "/proc/no/such/folder"}, "/proc/no/such/folder"},
	} {
		cmdtest.Fails(t, bin, t.TempDir(), "shapes", tt.args, tt.want)
	}
	os.RemoveAll(dir)
}
