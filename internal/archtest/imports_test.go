// Package archtest checks how the project's packages import one another: the
// arrows of the README's "How it is built" point down only.
package archtest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/govae/govae/"

// imports maps each package of the module (tests left out) to the module's
// packages it imports.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		graph[pkg] = nil
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, module) {
				graph[pkg] = append(graph[pkg], strings.TrimPrefix(imp, module))
			}
		}
	}
	return graph
}

func importers(graph map[string][]string, target string) []string {
	var out []string
	for pkg, imps := range graph {
		if slices.Contains(imps, target) {
			out = append(out, pkg)
		}
	}
	slices.Sort(out)
	return out
}

// Only cmd/train imports train; internal/fixture, the tests' way to train a
// small model, does too, and only tests import it. Nothing imports a command.
func TestImportsPointDown(t *testing.T) {
	graph := imports(t)
	if len(graph) < 10 {
		t.Fatalf("go list found only %d packages", len(graph))
	}
	if got := importers(graph, "train"); !slices.Equal(got, []string{"cmd/train", "internal/fixture"}) {
		t.Errorf("train is imported by %v, want only cmd/train (and internal/fixture, for tests)", got)
	}
	for _, testsOnly := range []string{"internal/fixture", "internal/pytorchtest"} {
		if got := importers(graph, testsOnly); len(got) > 0 {
			t.Errorf("%s is for tests, but %v import it", testsOnly, got)
		}
	}
	for pkg, imps := range graph {
		for _, imp := range imps {
			if strings.HasPrefix(imp, "cmd/") {
				t.Errorf("%s imports the command %s", pkg, imp)
			}
		}
	}
	// The model knows nothing of data files, training or the tools on top.
	for _, imp := range graph["model"] {
		if !strings.HasPrefix(imp, "internal/") {
			t.Errorf("model imports %s", imp)
		}
	}
	if slices.Contains(graph["dataset"], "model") {
		t.Error("dataset imports model")
	}
}
