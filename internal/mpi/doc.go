// Package mpi joins this process to an Open MPI job, without cgo: it opens
// libmpi.so.40 at run time (github.com/ebitengine/purego) and offers the
// three collectives data-parallel training needs — a sum of float32s or
// float64s across every rank, done in place, and a broadcast of bytes from
// rank 0.
//
// Open MPI names MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM and the other predefined
// handles by the addresses of exported globals (ompi_mpi_comm_world, …; see
// its mpi.h), so they are looked up by name like functions. MPICH, whose
// handles are integers, is not supported.
//
// Every MPI call runs on one OS thread, the one that called MPI_Init
// (MPI_THREAD_FUNNELED): a goroutine locked to it serves the calls of any
// goroutine in turn.
//
// Launched reports whether mpirun started this process; nothing is loaded
// until Join is called.
package mpi
