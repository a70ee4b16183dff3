package openblas

import (
	"os"
	"testing"

	"github.com/govae/govae/internal/testkit/blastest"
)

// load returns OpenBLAS, skipping the test where it is not installed unless
// GOVAE_REQUIRE_OPENBLAS is set (as .ci/run does, so CI tests this path).
func load(t *testing.T) *BLAS {
	b, err := Load()
	if err != nil {
		if os.Getenv("GOVAE_REQUIRE_OPENBLAS") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return b
}

// TestSgemmMatchesGonum compares OpenBLAS with gonum (see blastest).
func TestSgemmMatchesGonum(t *testing.T) { blastest.MatchesGonum(t, load(t)) }
