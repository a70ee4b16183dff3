package model

import (
	"gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
)

// ConvSpec is the geometry of a square 2-D convolution, as PyTorch's Conv2d
// and ConvTranspose2d take it: kernel K×K, stride S, zero padding P on every
// side. A convolution maps In channels of H×W to Out channels of
// ((H + 2P − K)/S + 1) squared; its transpose maps the other way, In
// channels of H×W to Out channels of ((H − 1)·S − 2P + K) squared.
type ConvSpec struct {
	In, Out        int
	Kernel, Stride int
	Pad            int
	Transposed     bool
	Height, Width  int // of the input
}

// OutSize is the height and width of the output.
func (c ConvSpec) OutSize() (h, w int) {
	if c.Transposed {
		return (c.Height-1)*c.Stride - 2*c.Pad + c.Kernel, (c.Width-1)*c.Stride - 2*c.Pad + c.Kernel
	}
	return (c.Height+2*c.Pad-c.Kernel)/c.Stride + 1, (c.Width+2*c.Pad-c.Kernel)/c.Stride + 1
}

// The lattice both directions share is that of the convolution: "image"
// is the side with the larger grid (a convolution's input, a transposed
// convolution's output), "grid" the side of the kernel positions.

// im2col copies the K×K patches of one image of c channels (h×w, row-major)
// into cols: row (ch, ky, kx) holds, at cols[row·ld:], one value per kernel
// position (gh×gw of them). Patches that reach past the border read zeros.
func im2col[T float32 | float64](img []T, c, h, w, k, s, p, gh, gw int, cols []T, ld int) {
	n := gh * gw
	for ch := range c {
		plane := img[ch*h*w : (ch+1)*h*w]
		for ky := range k {
			for kx := range k {
				r := (ch*k+ky)*k + kx
				row := cols[r*ld : r*ld+n]
				for oy := range gh {
					y := oy*s - p + ky
					out := row[oy*gw : (oy+1)*gw]
					if y < 0 || y >= h {
						clear(out)
						continue
					}
					src := plane[y*w : (y+1)*w]
					for ox := range gw {
						x := ox*s - p + kx
						if x < 0 || x >= w {
							out[ox] = 0
						} else {
							out[ox] = src[x]
						}
					}
				}
			}
		}
	}
}

// col2im is im2col's adjoint: it adds each column entry back onto the pixel
// it came from. img must be zeroed by the caller (or hold what to add to).
func col2im[T float32 | float64](cols []T, ld, c, h, w, k, s, p, gh, gw int, img []T) {
	n := gh * gw
	for ch := range c {
		plane := img[ch*h*w : (ch+1)*h*w]
		for ky := range k {
			for kx := range k {
				r := (ch*k+ky)*k + kx
				row := cols[r*ld : r*ld+n]
				for oy := range gh {
					y := oy*s - p + ky
					if y < 0 || y >= h {
						continue
					}
					dst := plane[y*w : (y+1)*w]
					in := row[oy*gw : (oy+1)*gw]
					for ox := range gw {
						if x := ox*s - p + kx; x >= 0 && x < w {
							dst[x] += in[ox]
						}
					}
				}
			}
		}
	}
}

// gemm is C = alpha·op(A)·op(B) + beta·C on row-major matrices through the
// BLAS Gorgonia uses (OpenBLAS, vek or gonum, as internal/openblas chose).
func gemm[T float32 | float64](tA, tB bool, m, n, k int, alpha T, a []T, b []T, beta T, c []T) {
	ta, tb := blas.NoTrans, blas.NoTrans
	lda, ldb := k, n
	if tA {
		ta, lda = blas.Trans, m
	}
	if tB {
		tb, ldb = blas.Trans, k
	}
	switch a := any(a).(type) {
	case []float32:
		G.WhichBLAS().Sgemm(ta, tb, m, n, k, float32(alpha), a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), n)
	case []float64:
		G.WhichBLAS().Dgemm(ta, tb, m, n, k, float64(alpha), a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), n)
	}
}

// geometry is a convolution seen from both sides: the image side (a
// convolution's input, a transposed convolution's output: ic channels of
// ih×iw) and the grid side (one value per kernel position and channel: gc
// channels of gh×gw), n images of each. The weights are one matrix
// [gc × ic·k·k] either way: PyTorch's Conv2d weight [out, in, k, k] and
// ConvTranspose2d weight [in, out, k, k] have that layout.
type geometry struct {
	n, ic, ih, iw, gc, gh, gw, k, s, p int
}

func (g geometry) positions() int { return g.gh * g.gw }
func (g geometry) patch() int     { return g.ic * g.k * g.k }

// columns is im2col of every image, side by side: [ic·k·k × n·gh·gw].
func columns[T float32 | float64](g geometry, image []T) []T {
	l, ld := g.positions(), g.n*g.positions()
	cols := make([]T, g.patch()*ld)
	for i := range g.n {
		im2col(image[i*g.ic*g.ih*g.iw:], g.ic, g.ih, g.iw, g.k, g.s, g.p, g.gh, g.gw, cols[i*l:], ld)
	}
	return cols
}

// down is the convolution: grid = W · columns(image), plus a bias per grid
// channel if bias is not nil.
func down[T float32 | float64](g geometry, image, w, bias, grid []T) {
	l, ld := g.positions(), g.n*g.positions()
	out := make([]T, g.gc*ld)
	gemm(false, false, g.gc, ld, g.patch(), 1, w, columns(g, image), 0, out)
	for c := range g.gc {
		var b T
		if bias != nil {
			b = bias[c]
		}
		for i := range g.n {
			dst := grid[(i*g.gc+c)*l : (i*g.gc+c+1)*l]
			for j, v := range out[c*ld+i*l : c*ld+(i+1)*l] {
				dst[j] = v + b
			}
		}
	}
}

// gridMatrix lays the grid side [n, gc, positions] out as [gc × n·positions].
func gridMatrix[T float32 | float64](g geometry, grid []T) []T {
	l, ld := g.positions(), g.n*g.positions()
	out := make([]T, g.gc*ld)
	for i := range g.n {
		for c := range g.gc {
			copy(out[c*ld+i*l:c*ld+(i+1)*l], grid[(i*g.gc+c)*l:(i*g.gc+c+1)*l])
		}
	}
	return out
}

// up is the transposed convolution: image = col2im(Wᵀ · grid), plus a bias
// per image channel if bias is not nil.
func up[T float32 | float64](g geometry, grid, w, bias, image []T) {
	l, ld := g.positions(), g.n*g.positions()
	cols := make([]T, g.patch()*ld)
	gemm(true, false, g.patch(), ld, g.gc, 1, w, gridMatrix(g, grid), 0, cols)
	clear(image)
	plane := g.ih * g.iw
	for i := range g.n {
		img := image[i*g.ic*plane : (i+1)*g.ic*plane]
		col2im(cols[i*l:], ld, g.ic, g.ih, g.iw, g.k, g.s, g.p, g.gh, g.gw, img)
		if bias != nil {
			for c := range g.ic {
				for j := range img[c*plane : (c+1)*plane] {
					img[c*plane+j] += bias[c]
				}
			}
		}
	}
}

// weightGrad is ∂/∂W of Σ grid ⊙ (W · columns(image)): grid · columns(image)ᵀ.
func weightGrad[T float32 | float64](g geometry, grid, image, dw []T) {
	gemm(false, true, g.gc, g.patch(), g.n*g.positions(), 1, gridMatrix(g, grid), columns(g, image), 0, dw)
}

// channelSums adds up each channel of n images of c channels of size values.
func channelSums[T float32 | float64](x []T, n, c, size int, out []T) {
	clear(out)
	for i := range n {
		for ch := range c {
			var sum T
			for _, v := range x[(i*c+ch)*size : (i*c+ch+1)*size] {
				sum += v
			}
			out[ch] += sum
		}
	}
}
