// Package archtest checks how the project's packages import one another:
// every package sits in a layer, and each import points to a lower one, as
// docs/architecture.md draws them.
package archtest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/govae/govae/"

// layers lists every package of the module from the bottom up. A package may
// import only packages of lower layers; a new package must be placed here.
var layers = [][]string{
	// What the product runs on: files, logging, pictures, BLAS, the graph runner.
	{"internal/le"},
	{"internal/atomicfile", "internal/grid", "internal/mpi", "internal/npy", "internal/parallel", "internal/streams", "progress"},
	{"internal/shapes", "internal/logging", "internal/runner", "internal/blas/gemm", "internal/blas/halves"},
	{"internal/blas/goblas"},
	{"internal/blas/openblas"},
	// Domain packages that need none of the others: ops and kernels, data, the optimizer.
	{"model/nn", "dataset", "optimizer"},
	// The VAE: graph, weights, checkpoint, the Model API.
	{"model"},
	// What reads, scores, draws or moves a model, and the run's config file.
	{"config", "likelihood", "interop", "diagram", "classifier"},
	{"train", "sample"},
	{"serve"},
	// The commands.
	{"cmd/internal/commands"},
	{"cmd/govae", "cmd/train", "cmd/sample", "cmd/eval", "cmd/graph", "cmd/serve", "cmd/export", "cmd/import", "cmd/shapes",
		"bench/kernels"},
}

// testKit holds the tests' helpers: they may import anything but a command,
// and nothing but tests imports them.
const testKit = "internal/testkit/"

// imports maps each package of the module (tests left out) to the module's
// packages it imports, and to the other packages it imports in extern.
func imports(t *testing.T) (own, extern map[string][]string) {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	own, extern = map[string][]string{}, map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		own[pkg] = nil
		for _, imp := range fields[1:] {
			if rel, ok := strings.CutPrefix(imp, module); ok {
				own[pkg] = append(own[pkg], rel)
			} else {
				extern[pkg] = append(extern[pkg], imp)
			}
		}
	}
	return own, extern
}

func layerOf(pkg string) int {
	for i, l := range layers {
		if slices.Contains(l, pkg) {
			return i
		}
	}
	return -1
}

func TestImportsPointDown(t *testing.T) {
	own, _ := imports(t)
	if len(own) < 20 {
		t.Fatalf("go list found only %d packages", len(own))
	}
	for pkg, imps := range own {
		if strings.HasPrefix(pkg, testKit) {
			for _, imp := range imps {
				if strings.HasPrefix(imp, "cmd/") {
					t.Errorf("test helper %s imports the command %s", pkg, imp)
				}
			}
			continue
		}
		layer := layerOf(pkg)
		if layer < 0 {
			t.Errorf("package %s is in no layer: place it in archtest's layers", pkg)
			continue
		}
		for _, imp := range imps {
			switch {
			case strings.HasPrefix(imp, testKit):
				t.Errorf("%s imports the test helper %s", pkg, imp)
			case layerOf(imp) >= layer:
				t.Errorf("%s (layer %d) imports %s (layer %d): imports point down only", pkg, layer, imp, layerOf(imp))
			}
		}
	}
	for _, l := range layers {
		for _, pkg := range l {
			if _, ok := own[pkg]; !ok {
				t.Errorf("archtest's layers name %s, which go list does not find", pkg)
			}
		}
	}
}

// Some arrows the layers allow are still wrong: the data knows nothing of
// Gorgonia, the model nothing of data files or HTTP.
func TestWhatPackagesDoNotKnow(t *testing.T) {
	own, extern := imports(t)
	for _, tt := range []struct{ pkg, forbidden string }{
		{"dataset", "gorgonia.org/"},
		{"model", "net/http"},
		{"model", "dataset"},
		{"model/nn", "net/http"},
	} {
		for _, imp := range append(own[tt.pkg], extern[tt.pkg]...) {
			if strings.HasPrefix(imp, tt.forbidden) {
				t.Errorf("%s imports %s", tt.pkg, imp)
			}
		}
	}
}
