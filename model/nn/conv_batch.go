package nn

// A batch through a convolution: the lattice seen from both sides, each
// direction as one matrix product over the batch's columns, the batch cut
// into one run per CPU. The kernels (im2col, col2im, gemm) are in
// conv_kernel.go.

import (
	"sync"

	"github.com/govae/govae/internal/parallel"
)

// geometry is a convolution seen from both sides: the image side (a
// convolution's input, a transposed convolution's output: ic channels of
// ih×iw) and the grid side (one value per kernel position and channel: gc
// channels of gh×gw), n images of each. The weights are one matrix
// [gc × ic·k·k] either way: PyTorch's Conv2d weight [out, in, k, k] and
// ConvTranspose2d weight [in, out, k, k] have that layout.
type geometry struct {
	n, ic, ih, iw, gc, gh, gw, k, s, p int

	chunk int // images a matrix product covers at most; 0: as many as chunkValues allows
}

func (g geometry) positions() int { return g.gh * g.gw }
func (g geometry) patch() int     { return g.ic * g.k * g.k }

// The batch is cut into one run of images per CPU (parallel.Parts), each with
// its own im2col and matrix product on one BLAS thread: the Go loops and the
// products both use every CPU. A run goes a chunk of images at a time, whose
// unrolled patches fit in chunkValues (16 MB), so that a convolution's scratch does
// not grow with the batch nor the image. Scratch comes from a pool.

// chunkValues bounds the unrolled patches of one matrix product: 16 MB of
// float32, and still a product of thousands of columns.
const chunkValues = 1 << 22

// chunks calls f on consecutive runs [a, b) of g's images: one run per CPU
// at once (on CPU w), each cut into chunks of columns within chunkValues.
func (g geometry) chunks(f func(w, a, b int)) {
	size := g.chunk
	if size == 0 {
		size = max(1, chunkValues/(g.patch()*g.positions()))
	}
	parallel.Ranges(g.n, parallel.Parts(g.n), func(w, a, b int) {
		for c := a; c < b; c += size {
			f(w, c, min(b, c+size))
		}
	})
}

// part is the geometry of images [a, b) of g's batch.
func (g geometry) part(a, b int) geometry {
	g.n = b - a
	return g
}

func (g geometry) imageSize() int { return g.ic * g.ih * g.iw }
func (g geometry) gridSize() int  { return g.gc * g.gh * g.gw }

// scratch pools the buffers of one element type by their length: a
// convolution's parts ask for a few lengths over and over, and a pool of
// mixed lengths would hand a short buffer to a long request, which then
// allocates anew.
type scratch[T float32 | float64] struct{ pools sync.Map } // length → *sync.Pool of *[]T

var (
	scratch32 scratch[float32]
	scratch64 scratch[float64]
)

// buffer is a pooled slice of n values (not cleared) and its release.
func buffer[T float32 | float64](n int) ([]T, func()) {
	var s any
	switch any(T(0)).(type) {
	case float32:
		s = &scratch32
	default:
		s = &scratch64
	}
	pools := &s.(*scratch[T]).pools
	pool, ok := pools.Load(n)
	if !ok {
		pool, _ = pools.LoadOrStore(n, &sync.Pool{})
	}
	p, _ := pool.(*sync.Pool).Get().(*[]T)
	if p == nil {
		b := make([]T, n)
		p = &b
	}
	return *p, func() { pool.(*sync.Pool).Put(p) }
}

// columns is im2col of every image of g, side by side: [ic·k·k × n·gh·gw],
// in a pooled buffer to release when done.
func columns[T float32 | float64](g geometry, image []T) ([]T, func()) {
	l, ld := g.positions(), g.n*g.positions()
	cols, release := buffer[T](g.patch() * ld)
	for i := range g.n {
		im2col(image[i*g.imageSize():], g.ic, g.ih, g.iw, g.k, g.s, g.p, g.gh, g.gw, cols[i*l:], ld)
	}
	return cols, release
}

// down is the convolution: grid = W · columns(image), plus a bias per grid
// channel if bias is not nil.
func down[T float32 | float64](g geometry, image, w, bias, grid []T) {
	g.chunks(func(_, a, b int) {
		downPart(g.part(a, b), image[a*g.imageSize():b*g.imageSize()], w, bias, grid[a*g.gridSize():b*g.gridSize()])
	})
}

func downPart[T float32 | float64](g geometry, image, w, bias, grid []T) {
	l, ld := g.positions(), g.n*g.positions()
	cols, releaseCols := columns(g, image)
	defer releaseCols()
	out, releaseOut := buffer[T](g.gc * ld)
	defer releaseOut()
	gemm(false, false, g.gc, ld, g.patch(), 1, w, cols, 0, out)
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

// gridMatrix lays the grid side [n, gc, positions] out as [gc × n·positions],
// in a pooled buffer to release when done.
func gridMatrix[T float32 | float64](g geometry, grid []T) ([]T, func()) {
	l, ld := g.positions(), g.n*g.positions()
	out, release := buffer[T](g.gc * ld)
	for i := range g.n {
		for c := range g.gc {
			copy(out[c*ld+i*l:c*ld+(i+1)*l], grid[(i*g.gc+c)*l:(i*g.gc+c+1)*l])
		}
	}
	return out, release
}

// up is the transposed convolution: image = col2im(Wᵀ · grid), plus a bias
// per image channel if bias is not nil.
func up[T float32 | float64](g geometry, grid, w, bias, image []T) {
	g.chunks(func(_, a, b int) {
		upPart(g.part(a, b), grid[a*g.gridSize():b*g.gridSize()], w, bias, image[a*g.imageSize():b*g.imageSize()])
	})
}

func upPart[T float32 | float64](g geometry, grid, w, bias, image []T) {
	l, ld := g.positions(), g.n*g.positions()
	cols, releaseCols := buffer[T](g.patch() * ld)
	defer releaseCols()
	gm, releaseGrid := gridMatrix(g, grid)
	gemm(true, false, g.patch(), ld, g.gc, 1, w, gm, 0, cols)
	releaseGrid()
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

// weightGrad is ∂/∂W of Σ grid ⊙ (W · columns(image)): grid · columns(image)ᵀ,
// each CPU's run of images adding its chunks into its own share, the shares
// added in order (so the sum does not depend on which run finishes first).
func weightGrad[T float32 | float64](g geometry, grid, image, dw []T) {
	shares := make([][]T, parallel.Parts(g.n))
	releases := make([]func(), len(shares))
	g.chunks(func(w, a, b int) {
		part := g.part(a, b)
		gm, releaseGrid := gridMatrix(part, grid[a*g.gridSize():b*g.gridSize()])
		defer releaseGrid()
		cols, releaseCols := columns(part, image[a*g.imageSize():b*g.imageSize()])
		defer releaseCols()
		var beta T = 1
		if shares[w] == nil {
			shares[w], releases[w] = buffer[T](len(dw))
			beta = 0
		}
		gemm(false, true, g.gc, g.patch(), part.n*g.positions(), 1, gm, cols, beta, shares[w])
	})
	copy(dw, shares[0])
	for w, share := range shares {
		if w > 0 {
			for i, v := range share {
				dw[i] += v
			}
		}
		releases[w]()
	}
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
