package commands

import (
	"fmt"
	"runtime"

	"github.com/govae/govae/internal/mpi"
)

// mpiUsage is the help of the -mpi flag of the commands that run in an
// Open MPI job.
const mpiUsage = "join an Open MPI job: auto (when mpirun started this process), on or off"

// joinMPI joins the job mpirun started, as the -mpi flag says, and gives the
// process its share of the machine's CPUs. It returns nil when the process
// runs alone. Call it before openblas.Use, which sizes OpenBLAS's threads
// from GOMAXPROCS.
func joinMPI(mode string) (*mpi.World, error) {
	switch mode {
	case "off":
		return nil, nil
	case "auto":
		if !mpi.Launched() {
			return nil, nil
		}
	case "on":
	default:
		return nil, fmt.Errorf("-mpi %q: want auto, on or off", mode)
	}
	runtime.GOMAXPROCS(mpi.CPUs())
	w, err := mpi.Join()
	if err != nil {
		return nil, fmt.Errorf("-mpi %s: %w", mode, err)
	}
	return w, nil
}

// closeWorld leaves the MPI job, if the process is in one.
func closeWorld(w *mpi.World) error {
	if w == nil {
		return nil
	}
	return w.Close()
}
