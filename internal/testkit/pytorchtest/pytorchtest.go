// Package pytorchtest finds the Python that tests compare the model with:
// Debian's python3 with PyTorch and the modules a test names. Only tests
// import it.
package pytorchtest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Python returns a python3 that imports torch and modules, or skips the
// test; where GOVAE_REQUIRE_PYTORCH is set (CI), a missing one is a failure.
func Python(t testing.TB, modules ...string) string {
	t.Helper()
	imports := strings.Join(append([]string{"torch"}, modules...), ", ")
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import "+imports).Run() == nil {
			return p
		}
	}
	msg := "no python3 that can import " + imports + " (Debian: apt-get install python3-torch python3-numpy python3-onnx)"
	if os.Getenv("GOVAE_REQUIRE_PYTORCH") != "" {
		t.Fatal(msg + ", and GOVAE_REQUIRE_PYTORCH is set")
	}
	t.Skip(msg)
	return ""
}
