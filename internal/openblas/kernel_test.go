package openblas

import (
	"os"
	"strings"
	"testing"
)

// TestLoadRunsKernelsForThisCPU guards against OpenBLAS falling back to its
// oldest kernels on a CPU it does not recognise (five times slower here).
func TestLoadRunsKernelsForThisCPU(t *testing.T) {
	if _, set := os.LookupEnv(CoreTypeVar); set {
		t.Skipf("%s is set by the user", CoreTypeVar)
	}
	want := Kernels()
	b := load(t)
	if want != "" && !strings.EqualFold(b.Core, want) {
		t.Errorf("OpenBLAS runs %q kernels, this CPU supports %q", b.Core, want)
	}
}

func TestChooseKernels(t *testing.T) {
	t.Run("the user's choice wins", func(t *testing.T) {
		t.Setenv(CoreTypeVar, "Prescott")
		if got := chooseKernels(); got != "Prescott" {
			t.Errorf("chooseKernels() = %q, want the user's Prescott", got)
		}
		if got := os.Getenv(CoreTypeVar); got != "Prescott" {
			t.Errorf("%s = %q after chooseKernels, want Prescott", CoreTypeVar, got)
		}
	})
	t.Run("unset is filled from the CPU", func(t *testing.T) {
		t.Setenv(CoreTypeVar, "") // restores the old value after the test
		os.Unsetenv(CoreTypeVar)
		want := Kernels()
		if got := chooseKernels(); got != want {
			t.Errorf("chooseKernels() = %q, want %q", got, want)
		}
		if got, _ := os.LookupEnv(CoreTypeVar); got != want {
			t.Errorf("%s = %q, want %q", CoreTypeVar, got, want)
		}
	})
}
