package openblas

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestLoadRunsKernelsForThisCPU guards against OpenBLAS falling back to its
// oldest kernels on a CPU it does not recognise (five times slower here).
func TestLoadRunsKernelsForThisCPU(t *testing.T) {
	if userKernels {
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

func TestChooseThreads(t *testing.T) {
	for _, v := range ThreadVars {
		t.Setenv(v, "") // restores the old values after the test
		os.Unsetenv(v)
	}
	if got := chooseThreads(); got != Threads() || os.Getenv(ThreadVars[0]) != strconv.Itoa(Threads()) {
		t.Errorf("with nothing set: chooseThreads() = %d, %s = %q; want %d", got, ThreadVars[0], os.Getenv(ThreadVars[0]), Threads())
	}
	t.Setenv("OMP_NUM_THREADS", "3")
	os.Unsetenv(ThreadVars[0])
	if got := chooseThreads(); got != 0 || os.Getenv(ThreadVars[0]) != "" {
		t.Errorf("with OMP_NUM_THREADS set: chooseThreads() = %d, %s = %q; want the user's choice kept", got, ThreadVars[0], os.Getenv(ThreadVars[0]))
	}
}

// userKernels tells whether the user set CoreTypeVar, read before any test
// loads OpenBLAS and sets it.
var userKernels = func() bool { _, set := os.LookupEnv(CoreTypeVar); return set }()

// userThreads is the thread variable the user set, read before any test
// loads OpenBLAS and sets one.
var userThreads = func() string {
	for _, v := range ThreadVars {
		if _, set := os.LookupEnv(v); set {
			return v
		}
	}
	return ""
}()

// TestLoadRunsHalfTheCores checks that OpenBLAS took the thread count.
func TestLoadRunsHalfTheCores(t *testing.T) {
	if userThreads != "" {
		t.Skipf("%s is set by the user", userThreads)
	}
	if b := load(t); b.Threads != Threads() {
		t.Errorf("OpenBLAS runs %d threads, want %d", b.Threads, Threads())
	}
}
