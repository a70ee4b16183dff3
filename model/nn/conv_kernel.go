package nn

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
				lo, hi := inside(gw, w, s, kx-p)
				for oy := range gh {
					y := oy*s - p + ky
					out := row[oy*gw : (oy+1)*gw]
					if y < 0 || y >= h || lo == hi {
						clear(out)
						continue
					}
					clear(out[:lo])
					gather(out[lo:hi], plane[y*w+lo*s+kx-p:(y+1)*w], s)
					clear(out[hi:])
				}
			}
		}
	}
}

// gather sets dst[i] = src[i·s] (src holds them all).
func gather[T float32 | float64](dst, src []T, s int) {
	if s == 1 {
		copy(dst, src)
		return
	}
	src = src[:(len(dst)-1)*s+1]
	for i := range dst {
		dst[i] = src[i*s]
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
				lo, hi := inside(gw, w, s, kx-p)
				if lo == hi {
					continue
				}
				for oy := range gh {
					y := oy*s - p + ky
					if y < 0 || y >= h {
						continue
					}
					scatterAdd(plane[y*w+lo*s+kx-p:(y+1)*w], row[oy*gw+lo:oy*gw+hi], s)
				}
			}
		}
	}
}

// scatterAdd adds src[i] to dst[i·s] (dst holds them all).
func scatterAdd[T float32 | float64](dst, src []T, s int) {
	dst = dst[:(len(src)-1)*s+1]
	for i, v := range src {
		dst[i*s] += v
	}
}

// inside is the range [lo, hi) of the n kernel positions o whose pixel
// o·s + off falls inside a row of w pixels.
func inside(n, w, s, off int) (lo, hi int) {
	lo = 0
	if off < 0 {
		lo = (-off + s - 1) / s
	}
	hi = 0
	if w-1-off >= 0 {
		hi = (w-1-off)/s + 1
	}
	return min(lo, n), max(min(hi, n), min(lo, n))
}
