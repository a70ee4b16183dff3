package sample

import (
	"fmt"
	"math"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
	"gonum.org/v1/gonum/stat/distuv"
)

// MaxImages is the most images a mode draws at once, and so the most a PNG
// grid holds (a 100×100 grid of MNIST digits is 2,901 pixels square). Any
// number of samples streams to .npy or .idx (WriteSamples).
const MaxImages = 10000

// Samples decodes n codes drawn with the given seed from prior (nil: the
// standard normal N(0, I)), as model.Model.SampleFrom does, laid out
// square-ish.
func Samples(m *model.Model, prior *model.Prior, n int, seed uint64, label int) (Images, error) {
	if err := checkCount("n", n, n); err != nil {
		return Images{}, err
	}
	pixels, err := m.SampleFrom(prior, n, seed, label)
	if err != nil {
		return Images{}, err
	}
	return images(m, pixels, squareColumns(n)), nil
}

// Digits draws one row per digit, n samples each, of a conditional model.
// Column j decodes the same code z_j with every label, so a column holds one
// style of handwriting across the ten digits.
func Digits(m *model.Model, n int, seed uint64) (Images, error) {
	s := m.Config()
	if !s.Conditional() {
		return Images{}, &model.ArgError{Arg: "model", Msg: "the digits grid needs a conditional model (trained with conditional: true)"}
	}
	if n < 1 {
		return Images{}, &model.ArgError{Arg: "n", Value: n, Msg: "need at least one sample per digit"}
	}
	if err := checkCount("n", n, n*s.Classes); err != nil {
		return Images{}, err
	}
	z := prior(n, s.Code(), seed)
	var all []float32
	var digits []int
	for digit := range s.Classes {
		all = append(all, z...)
		for range n {
			digits = append(digits, digit)
		}
	}
	pixels, err := m.Decode(all, digits)
	if err != nil {
		return Images{}, err
	}
	return images(m, pixels, n), nil
}

// prior draws n codes of dimension d from N(0, I), the codes Sample decodes
// for the same seed.
func prior(n, d int, seed uint64) []float32 {
	z := make([]float32, n*d)
	model.FillNormal(z, model.PriorStream(seed))
	return z
}

// Reconstructions draws the test images idx in one row and, below, what the
// decoder makes of their latent means.
func Reconstructions(m *model.Model, set *dataset.Set, idx []int) (Images, error) {
	if err := checkCount("n", len(idx), 2*len(idx)); err != nil {
		return Images{}, err
	}
	x, err := gather(set, idx)
	if err != nil {
		return Images{}, err
	}
	recon, err := m.Reconstruct(x, labels(m, set.LabelsOf(idx)))
	if err != nil {
		return Images{}, err
	}
	return images(m, append(x, recon...), len(idx)), nil
}

// Interpolate decodes, for each pair of test images, steps codes from the
// first image's latent mean to the second's: along the straight line, or along
// the great circle (spherical) that keeps the codes' norm typical of the
// prior. One row per pair; its ends are the two reconstructions. A
// conditional model's label moves linearly from one one-hot to the other.
func Interpolate(m *model.Model, set *dataset.Set, pairs [][2]int, steps int, spherical bool) (Images, error) {
	if steps < 2 {
		return Images{}, &model.ArgError{Arg: "steps", Value: steps, Msg: "an interpolation needs at least 2"}
	}
	if len(pairs) == 0 {
		return Images{}, &model.ArgError{Arg: "pairs", Msg: "no pairs of images to interpolate between"}
	}
	if err := checkCount("steps", steps, len(pairs)*steps); err != nil {
		return Images{}, err
	}
	var idx []int
	for _, p := range pairs {
		idx = append(idx, p[0], p[1])
	}
	codes, err := encode(m, set, idx)
	if err != nil {
		return Images{}, err
	}
	s := m.Config()
	var y []float32
	if s.Conditional() {
		if y, err = model.OneHot(set.LabelsOf(idx), s.Classes); err != nil {
			return Images{}, err
		}
	}
	d, c := s.Code(), s.Classes
	var z, ys []float32
	for k := range pairs {
		a, b := codes.Mu[2*k*d:(2*k+1)*d], codes.Mu[(2*k+1)*d:(2*k+2)*d]
		for s := range steps {
			t := float64(s) / float64(steps-1)
			z = append(z, Between(a, b, t, spherical)...)
			if y != nil {
				ys = append(ys, Between(y[2*k*c:(2*k+1)*c], y[(2*k+1)*c:(2*k+2)*c], t, false)...)
			}
		}
	}
	pixels, err := m.DecodeSoft(z, ys)
	if err != nil {
		return Images{}, err
	}
	return images(m, pixels, steps), nil
}

// Between is the point at t ∈ [0, 1] from a to b: on the straight line,
// or on the great circle (spherical), which keeps a code's norm typical of
// the prior.
func Between(a, b []float32, t float64, spherical bool) []float32 {
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
func Traverse(m *model.Model, set *dataset.Set, base, steps int) (Images, error) {
	if steps < 2 {
		return Images{}, &model.ArgError{Arg: "steps", Value: steps, Msg: "a traversal needs at least 2"}
	}
	if err := checkCount("steps", steps, m.Config().Code()*steps); err != nil {
		return Images{}, err
	}
	codes, err := encode(m, set, []int{base})
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
	pixels, err := m.Decode(z, labels(m, digits))
	if err != nil {
		return Images{}, err
	}
	return images(m, pixels, steps), nil
}

// Manifold is the classic picture of a 2-D latent space: side×side decoded
// codes on a grid evenly spaced in probability under the prior, z_i =
// Φ⁻¹((i+½)/side), the first dimension across and the second down. A
// conditional model draws it for one digit, label.
func Manifold(m *model.Model, side, label int) (Images, error) {
	s := m.Config()
	switch {
	case s.Code() != 2:
		return Images{}, &model.ArgError{Arg: "model", Msg: fmt.Sprintf("the manifold needs a model with latent_size 2 (this one has %d; train configs/mnist-2d.yaml)", s.Code())}
	case side < 2:
		return Images{}, &model.ArgError{Arg: "n", Value: side, Msg: "the manifold grid needs at least 2 per side"}
	case side > MaxImages/side:
		return Images{}, &model.ArgError{Arg: "n", Value: side, Msg: fmt.Sprintf("a grid of %d×%d is more than the %d images a picture holds", side, side, MaxImages)}
	case s.Conditional() && label == model.NoLabel:
		return Images{}, &model.ArgError{Arg: "label", Msg: "a conditional model's manifold is drawn for one digit: give a label"}
	case !s.Conditional() && label != model.NoLabel:
		return Images{}, &model.ArgError{Arg: "label", Msg: "the model is not conditional: it takes no label"}
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
	pixels, err := m.Decode(z, labels(m, digits))
	if err != nil {
		return Images{}, err
	}
	return images(m, pixels, side), nil
}

// encode runs the test images idx, with their true labels for a conditional
// model, through the encoder.
func encode(m *model.Model, set *dataset.Set, idx []int) (model.Codes, error) {
	x, err := gather(set, idx)
	if err != nil {
		return model.Codes{}, err
	}
	return m.Encode(x, labels(m, set.LabelsOf(idx)))
}

// labels are the given labels for a conditional model, nil for a plain one.
func labels(m *model.Model, digits []int) []int {
	if !m.Config().Conditional() {
		return nil
	}
	return digits
}

// checkCount refuses a request whose images would not fit in a picture.
func checkCount(arg string, value, images int) error {
	if images > MaxImages || images < 0 {
		return &model.ArgError{Arg: arg, Value: value, Msg: fmt.Sprintf("%d images are more than the %d a picture holds (stream samples to .npy or .idx for more)", images, MaxImages)}
	}
	return nil
}

// gather checks the indices and copies those images.
func gather(set *dataset.Set, idx []int) ([]float32, error) {
	if len(idx) == 0 {
		return nil, &model.ArgError{Arg: "n", Msg: "no images chosen"}
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
