package model

import (
	"fmt"
	"math/rand/v2"

	"github.com/govae/govae/internal/runner"
	"github.com/govae/govae/internal/streams"
)

// Sample decodes n codes drawn from the prior N(0, I) with the given seed.
// A conditional model draws them all with label, or with labels 0, 1, 2, …
// in turn for NoLabel; a plain model takes NoLabel.
func (m *Model) Sample(n int, seed uint64, label int) ([]float32, error) {
	return m.SampleFrom(nil, n, seed, label)
}

// SampleFrom is Sample with codes drawn from prior (nil: N(0, I)).
func (m *Model) SampleFrom(prior *Prior, n int, seed uint64, label int) ([]float32, error) {
	if n > MaxValues/m.params.Config.Input {
		return nil, &ArgError{Arg: "n", Value: n, Msg: fmt.Sprintf("more samples than the %d values one call returns; SampleEach streams them", MaxValues)}
	}
	out := make([]float32, 0, max(0, n)*m.params.Config.Input)
	err := m.SampleEachFrom(prior, n, seed, label, func(images []float32) error {
		out = append(out, images...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SampleEach is Sample for any n: it calls each with the samples in order,
// at most runner.MaxBatch at a time, valid only during the call. The samples
// are those Sample draws for the same arguments.
func (m *Model) SampleEach(n int, seed uint64, label int, each func(images []float32) error) error {
	return m.SampleEachFrom(nil, n, seed, label, each)
}

// SampleEachFrom is SampleEach with codes drawn from prior (nil: N(0, I)).
//
// The codes are decoded a group at a time, a batch per graph the model runs
// at once (Decode's chunks, in parallel), and the next group is decoded
// while each reads the last: a caller writing a file overlaps the decoder.
// Two groups are held whatever n is (StreamBytes). The chunks are those of
// one Decode call on consecutive codes, so the samples do not depend on the
// number of CPUs.
func (m *Model) SampleEachFrom(prior *Prior, n int, seed uint64, label int, each func(images []float32) error) error {
	s := m.params.Config
	if err := prior.check(s.Code()); err != nil {
		return &ArgError{Arg: "prior", Msg: err.Error()}
	}
	if n < 1 {
		return &ArgError{Arg: "n", Value: n, Msg: "need at least one sample"}
	}
	if err := m.checkLabel(label); err != nil {
		return err
	}
	done := make(chan struct{})
	defer close(done)
	groups, free := m.decodeGroups(prior, n, seed, label, done)
	for g := range groups {
		if g.err != nil {
			return g.err
		}
		err := runner.Chunks(len(g.images)/s.Input, func(start, size int) error {
			return each(g.images[start*s.Input : (start+size)*s.Input])
		})
		if err != nil {
			return err
		}
		free <- g.images
	}
	return nil
}

// decoded is a group of samples, or the error that ended them.
type decoded struct {
	images []float32
	err    error
}

// decodeGroups decodes the n samples in groups of m.concurrent batches on a
// goroutine of its own, one group ahead of the reader, until done closes.
// The reader hands each group's buffer back on free when it is through with
// it, and the next group is decoded into it: two buffers serve any n, and no
// fresh memory is touched after the first groups.
func (m *Model) decodeGroups(prior *Prior, n int, seed uint64, label int, done <-chan struct{}) (<-chan decoded, chan<- []float32) {
	out, free := make(chan decoded, 1), make(chan []float32, streamBuffers)
	s := m.params.Config
	group := m.streamGroup()
	for range streamBuffers {
		free <- make([]float32, min(n, group)*s.Input)
	}
	go func() {
		defer close(out)
		rng := PriorStream(seed)
		z := make([]float32, min(n, group)*s.Code())
		for start := 0; start < n; start += group {
			size := min(group, n-start)
			var images []float32
			select {
			case images = <-free:
			case <-done:
				return
			}
			images = images[:size*s.Input]
			prior.Fill(z[:size*s.Code()], rng)
			y, err := m.oneHot(m.sampleLabels(start, size, label))
			if err == nil {
				err = m.decodeInto(images, z[:size*s.Code()], y, size)
			}
			select {
			case out <- decoded{images, err}:
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return out, free
}

// streamBuffers are the groups SampleEach holds: the one its reader reads,
// the one being decoded.
const streamBuffers = 2

// streamGroup is the samples SampleEach decodes at once: a batch for each
// graph the model runs at once.
func (m *Model) streamGroup() int { return max(1, m.concurrent) * m.batch }

// StreamBytes is the memory SampleEach holds while it streams n samples:
// its buffers of images, whatever n is beyond a group. A server admitting
// streams by the memory they hold counts this.
func (m *Model) StreamBytes(n int) int64 {
	s := m.params.Config
	return int64(streamBuffers) * int64(min(max(n, 0), m.streamGroup())) * int64(s.Input+s.Code()) * 4
}

// PriorStream is the random stream Sample draws its codes from for a seed.
func PriorStream(seed uint64) *rand.Rand { return streams.New(seed, streams.Items, 0) }
