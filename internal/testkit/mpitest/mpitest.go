// Package mpitest runs programs under Open MPI's real mpirun in tests. Where
// mpirun is missing the tests skip, unless GOVAE_REQUIRE_MPI is set (CI
// sets it, after installing openmpi-bin), when they fail.
package mpitest

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// Transports are the ways ranks on one machine can talk: Open MPI's shared
// memory, and TCP, the path ranks on several hosts take.
var Transports = map[string][]string{
	"shared memory": {"--mca", "btl", "self,vader"},
	"tcp":           {"--mca", "btl", "self,tcp"},
}

// Command is mpirun starting np ranks of bin with args, over the given
// transport's flags. Ranks may outnumber the CPUs, and root may run them.
func Command(t testing.TB, np int, transport []string, bin string, args ...string) *exec.Cmd {
	t.Helper()
	mpirun, err := exec.LookPath("mpirun")
	if err != nil {
		if os.Getenv("GOVAE_REQUIRE_MPI") != "" {
			t.Fatalf("GOVAE_REQUIRE_MPI is set but mpirun is not installed: %v", err)
		}
		t.Skip("Open MPI's mpirun is not installed (apt-get install openmpi-bin)")
	}
	all := []string{"-np", strconv.Itoa(np), "--oversubscribe"}
	if os.Geteuid() == 0 {
		all = append(all, "--allow-run-as-root")
	}
	all = append(all, transport...)
	all = append(all, bin)
	return exec.Command(mpirun, append(all, args...)...)
}
