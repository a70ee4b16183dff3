package train

import (
	"context"
	"crypto/sha256"
	byteorder "encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"github.com/govae/govae/internal/mpi"
	"github.com/govae/govae/model"
	"github.com/govae/govae/optimizer"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Training in a group of processes (data parallelism): every process holds
// the whole model and the whole data, draws the same epoch order and the
// same noise, and takes its share of the rows of every batch (mpi.Share).
// After the backward pass one sum across the group — of a single buffer
// holding every gradient, the batch's two loss terms and a stop flag — gives
// every process the gradient of the whole batch, and each applies the same
// Adam update. The losses are summed, so every branch that follows (a loss
// that is not finite, an interrupt) is taken by all processes alike; one
// that branched alone would leave the others waiting in the next sum.

// shared is a trainer's buffers for training in a group.
type shared struct {
	fused []float32     // the gradients in the order of Params.All, then recon, KL, stop
	grads []G.ValueGrad // each weight with its slice of fused
	stop  bool          // the group agreed to stop after the last step
}

// The values after the gradients in the fused buffer.
const (
	tailRecon = iota
	tailKL
	tailStop
	tailLen
)

func newShared(p *model.Params) *shared {
	s := &shared{fused: make([]float32, p.Count()+tailLen)}
	off := 0
	for _, w := range p.All() {
		n := w.Tensor.Shape().TotalSize()
		g := tensor.New(tensor.WithShape(w.Tensor.Shape().Clone()...), tensor.WithBacking(s.fused[off:off+n]))
		s.grads = append(s.grads, summedGrad{w.Tensor, g})
		off += n
	}
	return s
}

// summedGrad is a weight and the group's summed gradient of it.
type summedGrad struct {
	w, g *tensor.Dense
}

func (s summedGrad) Value() G.Value         { return s.w }
func (s summedGrad) Grad() (G.Value, error) { return s.g, nil }

// share is this process's rows of a batch, and their noise (as much an
// image as the batch's noise holds: k codes).
func (t *Trainer) share(idx []int, eps []float32) ([]int, []float32) {
	if t.Group == nil || len(idx) == 0 {
		return idx, eps
	}
	lo, hi := mpi.Share(len(idx), t.Group.Rank(), t.Group.Size())
	d := len(eps) / len(idx)
	return idx[lo:hi], eps[lo*d : hi*d]
}

// stopping reports whether training stops before the next step: when ctx
// has ended, or, in a group, when any process's had at the last step.
func (t *Trainer) stopping(ctx context.Context) bool {
	if t.Group == nil {
		return ctx.Err() != nil
	}
	return t.shared != nil && t.shared.stop
}

// sharedStep is one training step in a group: the gradients of this
// process's rows, summed with the group's, then the update.
func (t *Trainer) sharedStep(ctx context.Context, im images, idx []int, eps []float32, klWeight float64) (model.Terms, error) {
	if t.shared == nil {
		t.shared = newShared(t.Params)
	}
	s := t.shared
	grads, tail := s.fused[:len(s.fused)-tailLen], s.fused[len(s.fused)-tailLen:]
	var local model.Terms
	if idx, eps = t.share(idx, eps); len(idx) > 0 {
		err := t.training.With(len(idx), func(m *machine) (err error) {
			local, err = m.gradients(im, idx, eps, klWeight, grads)
			return err
		})
		if err != nil {
			return model.Terms{}, err
		}
	} else {
		clear(grads)
	}
	tail[tailRecon], tail[tailKL], tail[tailStop] = float32(local.Recon), float32(local.KL), 0
	if ctx.Err() != nil {
		tail[tailStop] = 1
	}
	if err := t.Group.SumFloat32(s.fused); err != nil {
		return model.Terms{}, fmt.Errorf("sum gradients across %d processes: %w", t.Group.Size(), err)
	}
	s.stop = tail[tailStop] > 0
	terms := model.Terms{Recon: float64(tail[tailRecon]), KL: float64(tail[tailKL])}
	if l := terms.NegELBO(); math.IsNaN(l) || math.IsInf(l, 0) {
		return terms, fmt.Errorf("loss is %v: %w", l, optimizer.ErrNonFinite)
	}
	return terms, t.Adam.Step(s.grads)
}

// sumTerms adds up the group's loss terms, in place.
func (t *Trainer) sumTerms(sum *model.Terms) error {
	if t.Group == nil {
		return nil
	}
	buf := []float64{sum.Recon, sum.KL}
	if err := t.Group.SumFloat64(buf); err != nil {
		return fmt.Errorf("sum losses across %d processes: %w", t.Group.Size(), err)
	}
	sum.Recon, sum.KL = buf[0], buf[1]
	return nil
}

// Digest is a short fingerprint of the run's state: the weights, the
// optimizer's moments and step count, and the epoch. Processes training
// together hold the same state, and so the same digest, after every step.
func (t *Trainer) Digest() string {
	h := sha256.New()
	var word [8]byte
	put := func(v uint64) {
		byteorder.LittleEndian.PutUint64(word[:], v)
		h.Write(word[:])
	}
	put(uint64(t.Epoch))
	put(uint64(t.Adam.Iter))
	floats := func(xs []float32) {
		for _, x := range xs {
			byteorder.LittleEndian.PutUint32(word[:4], math.Float32bits(x))
			h.Write(word[:4])
		}
	}
	for _, w := range t.Params.All() {
		floats(w.Tensor.Float32s())
	}
	for i := range t.Adam.M {
		floats(t.Adam.M[i])
		floats(t.Adam.V[i])
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
}

// agree checks that every process of the group holds rank 0's state, and
// returns this process's digest.
func (t *Trainer) agree(when string) (string, error) {
	mine := t.Digest()
	if t.Group == nil {
		return mine, nil
	}
	first := []byte(mine)
	if err := t.Group.Broadcast(first); err != nil {
		return mine, fmt.Errorf("compare weights across %d processes: %w", t.Group.Size(), err)
	}
	if string(first) != mine {
		return mine, fmt.Errorf("%s, rank %d's weights (%s) differ from rank 0's (%s): every process must start from the same seed or checkpoint, on CPUs that round alike",
			when, t.Group.Rank(), mine, first)
	}
	return mine, nil
}
