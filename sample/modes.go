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

// Samples decodes n codes drawn from the prior N(0, I) with the given seed.
func (m *Model) Samples(n int, seed uint64) (Images, error) {
	if n < 1 {
		return Images{}, fmt.Errorf("-n %d: need at least one sample", n)
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	z := make([]float32, n*m.Params.Sizes.Latent)
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	return m.decode(z, squareColumns(n))
}

// Reconstructions draws the test images idx in one row and, below, what the
// decoder makes of their latent means.
func (m *Model) Reconstructions(set *dataset.Set, idx []int) (Images, error) {
	x, err := gather(set, idx)
	if err != nil {
		return Images{}, err
	}
	codes, err := model.Encode(m.Params, x)
	if err != nil {
		return Images{}, err
	}
	rows, cols := m.shape()
	return Images{Pixels: append(x, codes.Recon...), Rows: rows, Cols: cols, Columns: len(idx)}, nil
}

// Interpolate decodes, for each pair of test images, steps codes from the
// first image's latent mean to the second's: along the straight line, or along
// the great circle (spherical) that keeps the codes' norm typical of the
// prior. One row per pair; its ends are the two reconstructions.
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
	mu, err := m.means(set, idx)
	if err != nil {
		return Images{}, err
	}
	d := m.Params.Sizes.Latent
	var z []float32
	for k := range pairs {
		a, b := mu[2*k*d:(2*k+1)*d], mu[(2*k+1)*d:(2*k+2)*d]
		for s := range steps {
			z = append(z, between(a, b, float64(s)/float64(steps-1), spherical)...)
		}
	}
	return m.decode(z, steps)
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
	mu, err := m.means(set, []int{base})
	if err != nil {
		return Images{}, err
	}
	var z []float32
	for dim := range mu {
		for s := range steps {
			code := append([]float32(nil), mu...)
			code[dim] = float32(-3 + 6*float64(s)/float64(steps-1))
			z = append(z, code...)
		}
	}
	return m.decode(z, steps)
}

// Manifold is the classic picture of a 2-D latent space: side×side decoded
// codes on a grid evenly spaced in probability under the prior, z_i =
// Φ⁻¹((i+½)/side), the first dimension across and the second down.
func (m *Model) Manifold(side int) (Images, error) {
	if d := m.Params.Sizes.Latent; d != 2 {
		return Images{}, fmt.Errorf("the manifold needs a model with latent_size 2 (this one has %d; train configs/mnist-2d.yaml)", d)
	}
	if side < 2 {
		return Images{}, fmt.Errorf("-n %d: the manifold grid needs at least 2 per side", side)
	}
	var z []float32
	for row := range side {
		y := distuv.UnitNormal.Quantile(1 - (float64(row)+0.5)/float64(side))
		for col := range side {
			x := distuv.UnitNormal.Quantile((float64(col) + 0.5) / float64(side))
			z = append(z, float32(x), float32(y))
		}
	}
	return m.decode(z, side)
}

// means are the latent means of the test images idx.
func (m *Model) means(set *dataset.Set, idx []int) ([]float32, error) {
	x, err := gather(set, idx)
	if err != nil {
		return nil, err
	}
	codes, err := model.Encode(m.Params, x)
	return codes.Mu, err
}

func (m *Model) decode(z []float32, columns int) (Images, error) {
	pixels, err := model.Decode(m.Params, z)
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
