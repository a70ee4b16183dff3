// Package gemm multiplies single-precision row-major matrices in pure Go,
// C = op(A)·op(B) where op transposes or not, the way optimised BLAS
// libraries do: A and B are packed into panels that stay in cache (a
// transposed operand is read in place as it is packed), and a kernel written in Go assembly computes a
// tile of C at a time in twelve registers of fused multiply-adds
// (kernel_amd64.s): 6×32 in AVX-512's registers of 16 values where the CPU
// has them, else 6×16 in AVX2's of 8. Both add each value of C in the same
// order, so their results are the same bits. Bands of C's rows run on every
// CPU at once.
//
// It is the matrix product of the pure-Go build (internal/blas/goblas), where
// OpenBLAS is not installed.
package gemm

import (
	"sync"

	"github.com/govae/govae/internal/parallel"
	"golang.org/x/sys/cpu"
)

const (
	mr    = 6   // rows of a kernel tile
	maxNR = 32  // the most columns of a kernel tile
	kc    = 256 // steps of k packed at once
	mc    = 96  // rows of A packed at once: 96 KB, which stays in L2
)

// A kernel computes C[0:mr, 0:nr] (+)= A·B for a packed panel a of A (kc
// steps of mr values) and a packed panel b of B (kc steps of nr values);
// ldc is C's row stride in values.
type kernel struct {
	name string
	nr   int
	run  func(kc int, a, b, c *float32, ldc int, accumulate bool)
}

// Kernel names the kernel Mul runs on this CPU ("AVX-512 6×32", "AVX2 6×16").
func Kernel() string { return best.name }

// minWork is the smallest product (m·n·k) given more than one CPU.
const minWork = 1 << 20

// Available reports whether this CPU runs the kernel (AVX2 and FMA).
func Available() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

// Operand is a matrix in row-major memory, or the transpose of one: its
// value (i, j) is Data[i·Stride + j], or Data[j·Stride + i] if Trans.
type Operand struct {
	Data   []float32
	Stride int
	Trans  bool
}

// Rows makes an operand of contiguous row-major values, cols to a row.
func Rows(data []float32, cols int) Operand { return Operand{Data: data, Stride: cols} }

// Mul sets c = a·b for a [m × k], b [k × n] and contiguous row-major
// c [m × n]. Each value of c is summed in the same order however the rows
// are shared out, so results do not depend on the number of CPUs, nor on
// whether an operand is stored transposed.
func Mul(m, n, k int, a, b Operand, c []float32) { mul(best, m, n, k, a, b, c) }

// mul is Mul with the given kernel.
func mul(kern kernel, m, n, k int, a, b Operand, c []float32) {
	c = c[:m*n]
	if k == 0 {
		clear(c)
		return
	}
	// One block of c per CPU, unless the product is too small to be worth a
	// goroutine: bands of whole tiles of rows, each packing all of B, or,
	// when c is wider than tall (B the larger operand), of whole panels of
	// columns, each packing all of A.
	parts := min(parallel.CPUs(), max(1, m*n*k/minWork))
	if m >= n {
		tiles := (m + mr - 1) / mr
		parallel.Ranges(tiles, parts, func(_, lo, hi int) {
			block(kern, lo*mr, min(hi*mr, m), 0, n, n, k, a, b, c)
		})
		return
	}
	panels := (n + kern.nr - 1) / kern.nr
	parallel.Ranges(panels, parts, func(_, lo, hi int) {
		block(kern, 0, m, lo*kern.nr, min(hi*kern.nr, n), n, k, a, b, c)
	})
}

// block computes rows [m0, m1) and columns [n0, n1) of c, n to a row.
func block(kern kernel, m0, m1, n0, n1, n, k int, a, b Operand, c []float32) {
	nr := kern.nr
	panels := (n1 - n0 + nr - 1) / nr
	bufB, bufA := scratch(kc*panels*nr), scratch(mc*kc)
	defer release(bufB)
	defer release(bufA)
	var tile [mr * maxNR]float32
	for pc := 0; pc < k; pc += kc {
		kb := min(kc, k-pc)
		packB(*bufB, b, pc, kb, n0, n1, nr)
		for ic := m0; ic < m1; ic += mc {
			mb := min(mc, m1-ic)
			packA(*bufA, a, ic, mb, pc, kb)
			for jr := n0; jr < n1; jr += nr {
				nb := min(nr, n1-jr)
				bp := &(*bufB)[(jr-n0)/nr*kb*nr]
				for ir := 0; ir < mb; ir += mr {
					rb := min(mr, mb-ir)
					ap := &(*bufA)[ir/mr*kb*mr]
					if rb == mr && nb == nr {
						kern.run(kb, ap, bp, &c[(ic+ir)*n+jr], n, pc > 0)
						continue
					}
					kern.run(kb, ap, bp, &tile[0], nr, false) // an edge: the tile, then its part
					for r := range rb {
						dst, src := c[(ic+ir+r)*n+jr:][:nb], tile[r*nr:][:nb]
						if pc == 0 {
							copy(dst, src)
							continue
						}
						for j, v := range src {
							dst[j] += v
						}
					}
				}
			}
		}
	}
}

// packB lays out rows [pc, pc+kb) and columns [n0, n1) of b in panels of
// nr columns, each panel kb steps of nr values, the last panel padded with
// zeros.
func packB(dst []float32, b Operand, pc, kb, n0, n1, nr int) {
	for jr := n0; jr < n1; jr += nr {
		nb := min(nr, n1-jr)
		panel := dst[(jr-n0)/nr*kb*nr:][:kb*nr]
		if b.Trans { // column j of the panel is row jr+j of b's memory
			clear(panel)
			for j := range nb {
				for p, v := range b.Data[(jr+j)*b.Stride+pc:][:kb] {
					panel[p*nr+j] = v
				}
			}
			continue
		}
		for p := range kb {
			step := panel[p*nr : (p+1)*nr]
			clear(step[copy(step, b.Data[(pc+p)*b.Stride+jr:][:nb]):])
		}
	}
}

// packA lays out rows [ic, ic+mb) and columns [pc, pc+kb) of a in panels of
// mr rows, each panel kb steps of mr values, the last panel padded with
// zeros.
func packA(dst []float32, a Operand, ic, mb, pc, kb int) {
	for ir := 0; ir < mb; ir += mr {
		rb := min(mr, mb-ir)
		panel := dst[ir/mr*kb*mr:][:kb*mr]
		if a.Trans { // a step of the panel is part of a row of a's memory
			for p := range kb {
				step := panel[p*mr : (p+1)*mr]
				clear(step[copy(step, a.Data[(pc+p)*a.Stride+ic+ir:][:rb]):])
			}
			continue
		}
		if rb == mr { // a step of the panel at a time, from six rows at once
			var rows [mr][]float32
			for r := range rows {
				rows[r] = a.Data[(ic+ir+r)*a.Stride+pc:][:kb]
			}
			for p := range kb {
				step := (*[mr]float32)(panel[p*mr:])
				step[0], step[1], step[2] = rows[0][p], rows[1][p], rows[2][p]
				step[3], step[4], step[5] = rows[3][p], rows[4][p], rows[5][p]
			}
			continue
		}
		for r := range mr {
			if r >= rb {
				for p := range kb {
					panel[p*mr+r] = 0
				}
				continue
			}
			row := a.Data[(ic+ir+r)*a.Stride+pc:][:kb]
			for p, v := range row {
				panel[p*mr+r] = v
			}
		}
	}
}

var buffers sync.Pool // *[]float32

// scratch returns a buffer of at least n values from the pool.
func scratch(n int) *[]float32 {
	if p, ok := buffers.Get().(*[]float32); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]float32, n)
	return &s
}

func release(p *[]float32) { buffers.Put(p) }
