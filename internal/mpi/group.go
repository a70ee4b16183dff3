package mpi

// Group is what a data-parallel computation needs of the processes that
// share it: who it is among how many, sums across all of them, and rank 0's
// bytes. *World is the group of an Open MPI job; tests use groups of
// goroutines. Every member calls the same collectives in the same order.
type Group interface {
	Rank() int
	Size() int
	SumFloat32(buf []float32) error
	SumFloat64(buf []float64) error
	Broadcast(buf []byte) error
}

var _ Group = (*World)(nil)

// Share is the part of n items that rank r of size ranks takes: items
// [r·n/size, (r+1)·n/size), so the parts are consecutive, cover all n and
// differ in length by at most one. A rank's part may be empty when n < size.
func Share(n, rank, size int) (lo, hi int) {
	return rank * n / size, (rank + 1) * n / size
}
