package runner

import (
	"slices"
	"sync"
)

// Pool keeps compiled machines of some kind (M) per batch size: built on
// first use, reused after, and at most `limit` lent out at once, so a pool
// holds at most limit machines of each size. It is safe for concurrent use.
type Pool[M any] struct {
	build func(batch int) (M, error)
	slots chan struct{}

	mu   sync.Mutex
	idle map[int][]M
}

// NewPool returns a pool that builds machines with build and lends out at
// most limit (at least 1) at a time.
func NewPool[M any](limit int, build func(batch int) (M, error)) *Pool[M] {
	return &Pool[M]{build: build, slots: make(chan struct{}, max(1, limit)), idle: map[int][]M{}}
}

// With lends f a machine for batches of the given size, waiting while the
// pool's limit is reached, and takes it back when f returns.
func (p *Pool[M]) With(batch int, f func(M) error) error {
	p.slots <- struct{}{}
	defer func() { <-p.slots }()
	m, err := p.take(batch)
	if err != nil {
		return err
	}
	defer p.give(batch, m)
	return f(m)
}

func (p *Pool[M]) take(batch int) (M, error) {
	p.mu.Lock()
	if free := p.idle[batch]; len(free) > 0 {
		m := free[len(free)-1]
		p.idle[batch] = free[:len(free)-1]
		p.mu.Unlock()
		return m, nil
	}
	p.mu.Unlock()
	return p.build(batch)
}

func (p *Pool[M]) give(batch int, m M) {
	p.mu.Lock()
	p.idle[batch] = append(p.idle[batch], m)
	p.mu.Unlock()
}

// Drop lets go of the idle machines of every batch size but those in keep,
// so that their memory can serve other work; a later With builds anew.
func (p *Pool[M]) Drop(keep ...int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for batch := range p.idle {
		if !slices.Contains(keep, batch) {
			delete(p.idle, batch)
		}
	}
}

// Idle is the batch sizes of the machines the pool holds, in order.
func (p *Pool[M]) Idle() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var sizes []int
	for batch, ms := range p.idle {
		if len(ms) > 0 {
			sizes = append(sizes, batch)
		}
	}
	slices.Sort(sizes)
	return sizes
}
