package mpi_test

import (
	"sync"
	"testing"

	"github.com/govae/govae/internal/mpi"
)

// world is the job a benchmark run under mpirun joins, once per process;
// TestMain finalises it.
var (
	world   = sync.OnceValues(mpi.Join)
	benched bool
)

// BenchmarkSumFloat32 is one step's allreduce of data-parallel training:
// the VAE's 652,824 gradients and its 3 values of loss and stop flag. It
// runs only under mpirun, with a fixed count so that every rank runs the
// same calls (bench/mpi.sh):
//
//	mpirun -np 2 mpi.test -test.run '^$' -test.bench SumFloat32 -test.benchtime 2000x
func BenchmarkSumFloat32(b *testing.B) {
	if !mpi.Launched() {
		b.Skip("run under mpirun (bench/mpi.sh)")
	}
	benched = true
	w, err := world()
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]float32, 652824+3)
	b.SetBytes(int64(4 * len(buf)))
	for b.Loop() {
		if err := w.SumFloat32(buf); err != nil {
			b.Fatal(err)
		}
	}
}
