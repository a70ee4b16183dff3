package mpi

import "testing"

func TestCountCPUs(t *testing.T) {
	for _, tt := range []struct {
		list string
		want int
	}{
		{"0-1\n", 2}, {"0", 1}, {"0-3,8,10-11", 7}, {"", 0}, {"3-1", 0}, {"x", 0},
	} {
		if got := countCPUs(tt.list); got != tt.want {
			t.Errorf("countCPUs(%q) = %d, want %d", tt.list, got, tt.want)
		}
	}
}

// Two ranks on a machine that did not bind them share its CPUs.
func TestCPUsShareTheMachine(t *testing.T) {
	t.Setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "2")
	if got, want := CPUs(), max(1, online()/2); got > want {
		t.Errorf("CPUs() = %d with 2 ranks on %d CPUs, want at most %d", got, online(), want)
	}
}
