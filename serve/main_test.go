package serve

import (
	"fmt"
	"os"
	"testing"

	"github.com/govae/govae/internal/blas/openblas"
)

// tempDir holds what the package's tests train once and share.
var tempDir string

// TestMain runs the tests on the BLAS GOVAE_BLAS picks, as cmd/serve does.
func TestMain(m *testing.M) {
	if _, err := openblas.Use(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "serve-test-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	tempDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
