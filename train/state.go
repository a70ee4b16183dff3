package train

// The run's state inside a checkpoint (model.Checkpoint.Training).
//
// As this build writes it: stateMagic, a big-endian uint32 n, n bytes of
// encoding/gob (stateHead: Adam's step count, the length of each of its
// moment arrays, the progress of an epoch under way), then Adam's first
// moments and then its second moments, one array per weight in the weights'
// order, as little-endian float32. Its size is known before it is written,
// so it is made in one piece. Earlier builds wrote one gob value (state);
// both read.

import (
	"bytes"
	byteorder "encoding/binary"
	"encoding/gob"
	"fmt"

	"github.com/govae/govae/internal/le"
	"github.com/govae/govae/optimizer"
)

// stateMagic opens the run's state as this build writes it.
const stateMagic = "GOVAE-TRAINING-2\n"

// stateHead is the gob part, under the field names it keeps.
type stateHead struct {
	Iter    int
	Sizes   []int // values in each weight's moment arrays
	Partial *EpochProgress
}

// state is the run's state as earlier builds stored it, in one gob value.
type state struct {
	Adam    optimizer.State
	Partial *EpochProgress
}

// encodeState is the run's state as a checkpoint keeps it.
func encodeState(adam optimizer.State, partial *EpochProgress) ([]byte, error) {
	h := stateHead{Iter: adam.Iter, Partial: partial}
	values := 0
	for i, m := range adam.M {
		if len(adam.V) != len(adam.M) || len(adam.V[i]) != len(m) {
			return nil, fmt.Errorf("optimizer state: moments of weight %d differ in length", i)
		}
		h.Sizes = append(h.Sizes, len(m))
		values += len(m)
	}
	var desc bytes.Buffer
	if err := gob.NewEncoder(&desc).Encode(h); err != nil {
		return nil, fmt.Errorf("encode training state: %w", err)
	}
	out := make([]byte, 0, len(stateMagic)+4+desc.Len()+8*values)
	out = append(out, stateMagic...)
	out = byteorder.BigEndian.AppendUint32(out, uint32(desc.Len()))
	out = append(out, desc.Bytes()...)
	for _, moments := range [][][]float32{adam.M, adam.V} {
		for _, m := range moments {
			out = le.AppendFloat32s(out, m)
		}
	}
	return out, nil
}

// decodeState reads the run's state in either layout.
func decodeState(b []byte) (state, error) {
	var s state
	if !bytes.HasPrefix(b, []byte(stateMagic)) {
		err := gob.NewDecoder(bytes.NewReader(b)).Decode(&s)
		return s, err
	}
	rest := b[len(stateMagic):]
	if len(rest) < 4 {
		return s, fmt.Errorf("%d bytes: shorter than its length field", len(b))
	}
	n := byteorder.BigEndian.Uint32(rest)
	if rest = rest[4:]; uint64(n) > uint64(len(rest)) {
		return s, fmt.Errorf("a description of %d bytes in %d", n, len(rest))
	}
	var h stateHead
	if err := gob.NewDecoder(bytes.NewReader(rest[:n])).Decode(&h); err != nil {
		return s, err
	}
	rest = rest[n:]
	values := 0
	for _, size := range h.Sizes {
		if size < 0 || size > len(rest)/8-values {
			return s, fmt.Errorf("moments of %v values: more than the %d bytes there are", h.Sizes, len(rest))
		}
		values += size
	}
	if 8*values != len(rest) {
		return s, fmt.Errorf("moments of %d values in %d bytes", values, len(rest))
	}
	s.Adam.Iter, s.Partial = h.Iter, h.Partial
	for _, moments := range []*[][]float32{&s.Adam.M, &s.Adam.V} {
		for _, size := range h.Sizes {
			*moments = append(*moments, le.Float32s(rest[:4*size]))
			rest = rest[4*size:]
		}
	}
	return s, nil
}
