package sample

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Projection maps codes of dimension d to a plane and back: a code z goes to
// (z·Axes[0], z·Axes[1]), and a point (x, y) of the plane to the code
// x·Axes[0] + y·Axes[1]. For d = 2 the axes are the latent dimensions
// themselves; beyond, the first two principal components of the codes it
// was made from.
type Projection struct {
	Axes  [2][]float64
	Names [2]string
}

// NewProjection finds the plane for n codes of dimension d (back to back).
func NewProjection(codes []float32, d int) (Projection, error) {
	if d == 2 {
		return Projection{Axes: [2][]float64{{1, 0}, {0, 1}}, Names: [2]string{"z₁", "z₂"}}, nil
	}
	n := len(codes) / d
	if n < 2 || n*d != len(codes) {
		return Projection{}, fmt.Errorf("principal components need at least 2 whole codes of %d values, have %d values", d, len(codes))
	}
	data := mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			data.Set(i, j, float64(codes[i*d+j]))
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(data, nil) {
		return Projection{}, fmt.Errorf("principal components of %d codes failed", n)
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	p := Projection{Names: [2]string{"first principal component", "second principal component"}}
	for k := range 2 {
		p.Axes[k] = mat.Col(nil, k, &vecs)
	}
	return p, nil
}

// Apply maps codes (back to back) to points, x and y back to back.
func (p Projection) Apply(codes []float32) []float64 {
	d := len(p.Axes[0])
	out := make([]float64, 0, 2*len(codes)/d)
	for i := 0; i+d <= len(codes); i += d {
		for _, axis := range p.Axes {
			var dot float64
			for j, a := range axis {
				dot += a * float64(codes[i+j])
			}
			out = append(out, dot)
		}
	}
	return out
}

// Code is the code of a point (x, y) of the plane.
func (p Projection) Code(x, y float64) []float32 {
	z := make([]float32, len(p.Axes[0]))
	for j := range z {
		z[j] = float32(x*p.Axes[0][j] + y*p.Axes[1][j])
	}
	return z
}
