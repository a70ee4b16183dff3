package likelihood

import (
	"fmt"
	"os"
	"testing"

	"github.com/govae/govae/internal/blas/openblas"
)

// TestMain runs the package on the BLAS that GOVAE_BLAS picks, as cmd/eval does.
func TestMain(m *testing.M) {
	if _, err := openblas.Use(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}
