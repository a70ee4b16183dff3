package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// convCases are small random geometries: strides, paddings, channels,
// kernels and batches, each as a convolution and as a transpose.
var convCases = []ConvSpec{
	{In: 1, Out: 2, Kernel: 3, Stride: 1, Pad: 0, Height: 5, Width: 5},
	{In: 2, Out: 3, Kernel: 4, Stride: 2, Pad: 1, Height: 6, Width: 6},
	{In: 3, Out: 1, Kernel: 3, Stride: 2, Pad: 2, Height: 5, Width: 7},
	{In: 2, Out: 2, Kernel: 2, Stride: 3, Pad: 0, Height: 7, Width: 4},
	{In: 1, Out: 1, Kernel: 1, Stride: 1, Pad: 0, Height: 2, Width: 3},
}

// directConv is the definition, one output value at a time: a convolution
// gathers the input under each kernel position; its transpose scatters each
// input value through the kernel onto the output.
func directConv(c ConvSpec, n int, x, w, b []float64) []float64 {
	oh, ow := c.OutSize()
	y := make([]float64, n*c.Out*oh*ow)
	at := func(i, ch, yy, xx, channels, h, wd int) int { return ((i*channels+ch)*h+yy)*wd + xx }
	k := c.Kernel
	for i := range n {
		for o := range c.Out {
			for yy := range oh {
				for xx := range ow {
					y[at(i, o, yy, xx, c.Out, oh, ow)] = b[o]
				}
			}
		}
		for ci := range c.In {
			for iy := range c.Height {
				for ix := range c.Width {
					for o := range c.Out {
						for ky := range k {
							for kx := range k {
								if c.Transposed { // x[iy, ix] lands on y[iy·s − p + ky, ix·s − p + kx]
									yy, xx := iy*c.Stride-c.Pad+ky, ix*c.Stride-c.Pad+kx
									if yy >= 0 && yy < oh && xx >= 0 && xx < ow {
										y[at(i, o, yy, xx, c.Out, oh, ow)] += x[at(i, ci, iy, ix, c.In, c.Height, c.Width)] * w[((ci*c.Out+o)*k+ky)*k+kx]
									}
									continue
								}
								// y[oy, ox] reads x[oy·s − p + ky, ox·s − p + kx]
								if (iy+c.Pad-ky)%c.Stride != 0 || (ix+c.Pad-kx)%c.Stride != 0 {
									continue
								}
								yy, xx := (iy+c.Pad-ky)/c.Stride, (ix+c.Pad-kx)/c.Stride
								if iy+c.Pad-ky >= 0 && yy < oh && ix+c.Pad-kx >= 0 && xx < ow {
									y[at(i, o, yy, xx, c.Out, oh, ow)] += x[at(i, ci, iy, ix, c.In, c.Height, c.Width)] * w[((o*c.In+ci)*k+ky)*k+kx]
								}
							}
						}
					}
				}
			}
		}
	}
	return y
}

func randomSlice(rng *rand.Rand, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = rng.NormFloat64()
	}
	return out
}

// convGraph is y = conv(x, w, b) and loss = Σ y ⊙ r over a graph of its own.
type convGraph struct {
	g             *G.ExprGraph
	x, w, b, r, y *G.Node
	loss          *G.Node
}

// newConvGraph builds y = conv(x, w, b), and the loss if r is not nil (whose
// product may then overwrite y in place: read y from a graph without r).
func newConvGraph(t *testing.T, c ConvSpec, n int, dt tensor.Dtype, x, w, b, r []float64) *convGraph {
	t.Helper()
	g := G.NewGraph()
	oh, ow := c.OutSize()
	val := func(data []float64, shape ...int) *tensor.Dense {
		if dt == tensor.Float32 {
			return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f32(data)))
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
	}
	cg := &convGraph{g: g}
	cg.x = G.NodeFromAny(g, val(x, n, c.In, c.Height, c.Width), G.WithName("x"))
	cg.w = G.NodeFromAny(g, val(w, c.weightShape()...), G.WithName("w"))
	cg.b = G.NodeFromAny(g, val(b, c.Out), G.WithName("b"))
	var err error
	cg.y, err = Conv(c, cg.x, cg.w, cg.b)
	must(t, err)
	if r == nil {
		return cg
	}
	cg.r = G.NodeFromAny(g, val(r, n, c.Out, oh, ow), G.WithName("r"))
	prod, err := G.HadamardProd(cg.y, cg.r)
	must(t, err)
	cg.loss, err = G.Sum(prod)
	must(t, err)
	return cg
}

// The forward pass equals the direct loop, in float64 and (to float32's
// precision) in float32, for a batch of one and of three.
func TestConvMatchesDirectLoop(t *testing.T) {
	for _, base := range convCases {
		for _, transposed := range []bool{false, true} {
			for _, n := range []int{1, 3} {
				c := base
				c.Transposed = transposed
				t.Run(fmt.Sprintf("%+v/n=%d", c, n), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(uint64(n), 9))
					x := randomSlice(rng, n*c.In*c.Height*c.Width)
					w := randomSlice(rng, c.weightShape().TotalSize())
					b := randomSlice(rng, c.Out)
					want := directConv(c, n, x, w, b)
					for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
						cg := newConvGraph(t, c, n, dt, x, w, b, nil)
						must(t, G.NewTapeMachine(cg.g).RunAll())
						got := toFloat64s(cg.y.Value().Data())
						if len(got) != len(want) {
							t.Fatalf("%v: %d outputs, want %d", dt, len(got), len(want))
						}
						tol := 1e-12
						if dt == tensor.Float32 {
							tol = 1e-4
						}
						for i := range want {
							if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
								t.Fatalf("%v: output %d = %g, the direct loop gives %g", dt, i, got[i], want[i])
							}
						}
					}
				})
			}
		}
	}
}

// Every gradient, with respect to the images, the weights and the bias,
// matches a central finite difference of the float64 loss Σ conv(x) ⊙ r.
func TestConvGradientsMatchFiniteDifferences(t *testing.T) {
	const h = 1e-6
	for _, base := range convCases {
		for _, transposed := range []bool{false, true} {
			c := base
			c.Transposed = transposed
			t.Run(fmt.Sprintf("%+v", c), func(t *testing.T) {
				const n = 2
				rng := rand.New(rand.NewPCG(5, 6))
				oh, ow := c.OutSize()
				x := randomSlice(rng, n*c.In*c.Height*c.Width)
				w := randomSlice(rng, c.weightShape().TotalSize())
				b := randomSlice(rng, c.Out)
				r := randomSlice(rng, n*c.Out*oh*ow)
				cg := newConvGraph(t, c, n, tensor.Float64, x, w, b, r)
				grads, err := G.Grad(cg.loss, cg.x, cg.w, cg.b)
				must(t, err)
				must(t, G.NewTapeMachine(cg.g).RunAll())
				loss := func() float64 {
					y := directConv(c, n, x, w, b)
					var sum float64
					for i := range y {
						sum += y[i] * r[i]
					}
					return sum
				}
				for k, p := range [][]float64{x, w, b} {
					got := grads[k].Value().Data().([]float64)
					for j := range p {
						orig := p[j]
						p[j] = orig + h
						up := loss()
						p[j] = orig - h
						down := loss()
						p[j] = orig
						numeric := (up - down) / (2 * h)
						if math.Abs(got[j]-numeric) > 1e-6+1e-6*math.Abs(numeric) {
							t.Fatalf("∂/∂%s[%d] = %.9g, finite difference %.9g", []string{"x", "w", "b"}[k], j, got[j], numeric)
						}
					}
				}
			})
		}
	}
}

func toFloat64s(data any) []float64 {
	switch v := data.(type) {
	case []float64:
		return v
	case []float32:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out
	}
	return nil
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A run of images goes through the products a chunk at a time (chunkValues):
// the convolution, its transpose and the weights' gradient come out the same
// whatever the chunks, up to the order of the weights' gradient's sums.
func TestConvChunks(t *testing.T) {
	const n = 7
	for _, c := range convCases {
		t.Run(fmt.Sprintf("%+v", c), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 8))
			whole := c.geometry(n)
			image := randomSlice(rng, n*whole.imageSize())
			grid := randomSlice(rng, n*whole.gridSize())
			w := randomSlice(rng, c.weightShape().TotalSize())
			bias := randomSlice(rng, whole.gc)
			run := func(g geometry) (down_, up_, dw []float64) {
				down_, up_, dw = make([]float64, len(grid)), make([]float64, len(image)), make([]float64, len(w))
				down(g, image, w, bias[:g.gc], down_)
				up(g, grid, w, nil, up_)
				weightGrad(g, grid, image, dw)
				return
			}
			wantDown, wantUp, wantDW := run(whole)
			for _, chunk := range []int{1, 2, 3} {
				g := whole
				g.chunk = chunk
				gotDown, gotUp, gotDW := run(g)
				for _, pair := range [][2][]float64{{gotDown, wantDown}, {gotUp, wantUp}, {gotDW, wantDW}} {
					for i := range pair[1] {
						if math.Abs(pair[0][i]-pair[1][i]) > 1e-12*(1+math.Abs(pair[1][i])) {
							t.Fatalf("chunks of %d: value %d = %g, one product gives %g", chunk, i, pair[0][i], pair[1][i])
						}
					}
				}
			}
		})
	}
}
