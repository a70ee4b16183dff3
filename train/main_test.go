package train

import (
	"fmt"
	"os"
	"testing"

	"github.com/govae/govae/internal/blas/openblas"
)

// TestMain runs the package's tests on the BLAS that GOVAE_BLAS picks, as the
// train command does, so CI can test both the OpenBLAS and the pure-Go path.
func TestMain(m *testing.M) {
	if _, err := openblas.Use(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}
