package sample

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
	"gonum.org/v1/gonum/stat/distuv"
)

// NoLabel asks for samples without choosing a digit.
const NoLabel = -1

// Samples decodes n codes drawn from the prior N(0, I) with the given seed.
// A conditional model draws them all as digit label, or as digits 0, 1, 2,
// ... in turn when label is NoLabel; a plain model takes no label.
func (m *Model) Samples(n int, seed uint64, label int) (Images, error) {
	if n < 1 {
		return Images{}, fmt.Errorf("-n %d: need at least one sample", n)
	}
	digits := make([]int, n)
	for i := range digits {
		digits[i] = label
		if label == NoLabel && m.classes() > 0 {
			digits[i] = i % m.classes()
		}
	}
	y, err := m.labels(digits, label != NoLabel)
	if err != nil {
		return Images{}, err
	}
	return m.decode(prior(n, m.Params.Sizes.Latent, seed), y, squareColumns(n))
}

// Digits draws one row per digit, n samples each, of a conditional model.
// Column j decodes the same code z_j with every label, so a column holds one
// style of handwriting across the ten digits.
func (m *Model) Digits(n int, seed uint64) (Images, error) {
	if !m.Params.Sizes.Conditional() {
		return Images{}, errors.New("the digits grid needs a conditional model (trained with conditional: true)")
	}
	if n < 1 {
		return Images{}, fmt.Errorf("-n %d: need at least one sample per digit", n)
	}
	d := m.Params.Sizes.Latent
	codes := prior(n, d, seed)
	var z []float32
	var digits []int
	for digit := range m.classes() {
		z = append(z, codes...)
		for range n {
			digits = append(digits, digit)
		}
	}
	y, err := m.labels(digits, true)
	if err != nil {
		return Images{}, err
	}
	return m.decode(z, y, n)
}

// prior draws n codes of dimension d from N(0, I).
func prior(n, d int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0))
	z := make([]float32, n*d)
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	return z
}

// classes is the number of labels the model takes (0 for a plain model).
func (m *Model) classes() int { return m.Params.Sizes.Classes }

// labels are one-hot rows for a conditional model and nil for a plain one.
// A digit the caller chose (asked) is an error for a plain model.
func (m *Model) labels(digits []int, asked bool) ([]float32, error) {
	if !m.Params.Sizes.Conditional() {
		if asked {
			return nil, errors.New("-label needs a conditional model; this checkpoint's model was trained without labels")
		}
		return nil, nil
	}
	y, err := model.OneHot(digits, m.classes())
	if err != nil {
		return nil, fmt.Errorf("-label: %w", err)
	}
	return y, nil
}

// Reconstructions draws the test images idx in one row and, below, what the
// decoder makes of their latent means.
func (m *Model) Reconstructions(set *dataset.Set, idx []int) (Images, error) {
	x, codes, err := m.encode(set, idx)
	if err != nil {
		return Images{}, err
	}
	rows, cols := m.shape()
	return Images{Pixels: append(x, codes.Recon...), Rows: rows, Cols: cols, Columns: len(idx)}, nil
}

// Interpolate decodes, for each pair of test images, steps codes from the
// first image's latent mean to the second's: along the straight line, or along
// the great circle (spherical) that keeps the codes' norm typical of the
// prior. One row per pair; its ends are the two reconstructions. A
// conditional model's label moves linearly from one one-hot to the other.
func (m *Model) Interpolate(set *dataset.Set, pairs [][2]int, steps int, spherical bool) (Images, error) {
	if steps < 2 {
		return Images{}, fmt.Errorf("-steps %d: an interpolation needs at least 2", steps)
	}
	if len(pairs) == 0 {
		return Images{}, errors.New("no pairs of images to interpolate between")
	}
	var idx []int
	for _, p := range pairs {
		idx = append(idx, p[0], p[1])
	}
	_, codes, err := m.encode(set, idx)
	if err != nil {
		return Images{}, err
	}
	y, _ := m.labels(pick(set.Labels, idx), false)
	d, c := m.Params.Sizes.Latent, m.classes()
	var z, ys []float32
	for k := range pairs {
		a, b := codes.Mu[2*k*d:(2*k+1)*d], codes.Mu[(2*k+1)*d:(2*k+2)*d]
		for s := range steps {
			t := float64(s) / float64(steps-1)
			z = append(z, between(a, b, t, spherical)...)
			if y != nil {
				ys = append(ys, between(y[2*k*c:(2*k+1)*c], y[(2*k+1)*c:(2*k+2)*c], t, false)...)
			}
		}
	}
	return m.decode(z, ys, steps)
}

// between is the point at t ∈ [0, 1] from a to b.
func between(a, b []float32, t float64, spherical bool) []float32 {
	wa, wb := 1-t, t
	if spherical {
		var dot, na, nb float64
		for i := range a {
			dot += float64(a[i]) * float64(b[i])
			na += float64(a[i]) * float64(a[i])
			nb += float64(b[i]) * float64(b[i])
		}
		if omega := math.Acos(max(-1, min(1, dot/math.Sqrt(na*nb)))); omega > 1e-6 && na > 0 && nb > 0 {
			wa, wb = math.Sin((1-t)*omega)/math.Sin(omega), math.Sin(t*omega)/math.Sin(omega)
		}
	}
	out := make([]float32, len(a))
	for i := range a {
		out[i] = float32(wa*float64(a[i]) + wb*float64(b[i]))
	}
	return out
}

// Traverse varies one latent dimension at a time over [-3, 3] in steps
// values, the others held at the latent mean of test image base. One row per
// dimension.
func (m *Model) Traverse(set *dataset.Set, base, steps int) (Images, error) {
	if steps < 2 {
		return Images{}, fmt.Errorf("-steps %d: a traversal needs at least 2", steps)
	}
	_, codes, err := m.encode(set, []int{base})
	if err != nil {
		return Images{}, err
	}
	var z []float32
	var digits []int
	for dim := range codes.Mu {
		for s := range steps {
			code := append([]float32(nil), codes.Mu...)
			code[dim] = float32(-3 + 6*float64(s)/float64(steps-1))
			z = append(z, code...)
			digits = append(digits, set.Labels[base])
		}
	}
	y, _ := m.labels(digits, false)
	return m.decode(z, y, steps)
}

// Manifold is the classic picture of a 2-D latent space: side×side decoded
// codes on a grid evenly spaced in probability under the prior, z_i =
// Φ⁻¹((i+½)/side), the first dimension across and the second down. A
// conditional model draws it for one digit, label.
func (m *Model) Manifold(side, label int) (Images, error) {
	if d := m.Params.Sizes.Latent; d != 2 {
		return Images{}, fmt.Errorf("the manifold needs a model with latent_size 2 (this one has %d; train configs/mnist-2d.yaml)", d)
	}
	if side < 2 {
		return Images{}, fmt.Errorf("-n %d: the manifold grid needs at least 2 per side", side)
	}
	if m.Params.Sizes.Conditional() && label == NoLabel {
		return Images{}, errors.New("a conditional model's manifold is drawn for one digit: give -label")
	}
	var z []float32
	var digits []int
	for row := range side {
		y := distuv.UnitNormal.Quantile(1 - (float64(row)+0.5)/float64(side))
		for col := range side {
			x := distuv.UnitNormal.Quantile((float64(col) + 0.5) / float64(side))
			z = append(z, float32(x), float32(y))
			digits = append(digits, label)
		}
	}
	y, err := m.labels(digits, label != NoLabel)
	if err != nil {
		return Images{}, err
	}
	return m.decode(z, y, side)
}

// encode runs the test images idx, with their true labels for a conditional
// model, through the encoder, and returns the images too.
func (m *Model) encode(set *dataset.Set, idx []int) ([]float32, model.Codes, error) {
	x, err := gather(set, idx)
	if err != nil {
		return nil, model.Codes{}, err
	}
	y, err := m.labels(pick(set.Labels, idx), false)
	if err != nil {
		return nil, model.Codes{}, err
	}
	codes, err := model.Encode(m.Params, x, y)
	return x, codes, err
}

// pick returns labels[i] for each i in idx.
func pick(labels, idx []int) []int {
	out := make([]int, len(idx))
	for k, i := range idx {
		out[k] = labels[i]
	}
	return out
}

func (m *Model) decode(z, y []float32, columns int) (Images, error) {
	pixels, err := model.Decode(m.Params, z, y)
	if err != nil {
		return Images{}, err
	}
	rows, cols := m.shape()
	return Images{Pixels: pixels, Rows: rows, Cols: cols, Columns: columns}, nil
}

// gather checks the indices and copies those images.
func gather(set *dataset.Set, idx []int) ([]float32, error) {
	if len(idx) == 0 {
		return nil, errors.New("no images chosen")
	}
	for _, i := range idx {
		if err := checkIndex(i, set.Len()); err != nil {
			return nil, err
		}
	}
	x := make([]float32, len(idx)*set.Size())
	set.Gather(idx, x)
	return x, nil
}
