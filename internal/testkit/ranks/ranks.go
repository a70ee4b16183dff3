// Package ranks gives tests a group of processes made of goroutines: n
// members of one mpi.Group that sum and broadcast among themselves as an
// Open MPI job's ranks do, so that data-parallel code is tested without
// mpirun (the real job is tested with mpirun too; see mpitest).
package ranks

import (
	"sync"

	"github.com/govae/govae/internal/mpi"
)

// New returns the n members of one group, member r being rank r. Each
// member's collectives block until every member has called the same one.
func New(n int) []mpi.Group {
	h := &hub{n: n, slots: make([]any, n)}
	h.cond = sync.NewCond(&h.mu)
	members := make([]mpi.Group, n)
	for r := range members {
		members[r] = &member{hub: h, rank: r}
	}
	return members
}

// Run calls f once for each member of a new group of n, each in its own
// goroutine, and returns their errors by rank.
func Run(n int, f func(g mpi.Group) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for r, g := range New(n) {
		wg.Go(func() { errs[r] = f(g) })
	}
	wg.Wait()
	return errs
}

// hub is where the members meet: each collective is two barriers, one after
// every member has put its buffer in its slot, one after every member has
// read what it needs from the others'.
type hub struct {
	n     int
	mu    sync.Mutex
	cond  *sync.Cond
	count int // members at the current barrier
	round int // barriers passed
	slots []any
}

func (h *hub) barrier() {
	h.mu.Lock()
	defer h.mu.Unlock()
	round := h.round
	if h.count++; h.count == h.n {
		h.count, h.round = 0, h.round+1
		h.cond.Broadcast()
		return
	}
	for round == h.round {
		h.cond.Wait()
	}
}

type member struct {
	hub  *hub
	rank int
}

func (m *member) Rank() int { return m.rank }
func (m *member) Size() int { return m.hub.n }

func (m *member) SumFloat32(buf []float32) error { return sum(m, buf) }
func (m *member) SumFloat64(buf []float64) error { return sum(m, buf) }

// sum adds the members' buffers in rank order.
func sum[T float32 | float64](m *member, buf []T) error {
	h := m.hub
	h.slots[m.rank] = buf
	h.barrier()
	total := make([]T, len(buf))
	for _, s := range h.slots {
		for i, v := range s.([]T) {
			total[i] += v
		}
	}
	h.barrier()
	copy(buf, total)
	return nil
}

func (m *member) Broadcast(buf []byte) error {
	h := m.hub
	h.slots[m.rank] = buf
	h.barrier()
	if m.rank != 0 {
		copy(buf, h.slots[0].([]byte))
	}
	h.barrier()
	return nil
}
