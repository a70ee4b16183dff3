package openblas

import (
	"math/rand/v2"
	"testing"

	"github.com/govae/govae/internal/blas/goblas"
	"github.com/govae/govae/internal/testkit/blastest"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// product is one matrix product of a training step: C[m×n] = op(A)·op(B).
type product struct {
	tA, tB  blas.Transpose
	m, n, k int
}

// stepProducts are the products of one training step of the reference model
// at batch 128: forward x·W for the five layers, the weight gradients xᵀ·dy,
// and the input gradients dy·Wᵀ for every layer but fc1 (x needs none).
// 0.42 GFLOP in all.
func stepProducts() []product {
	const b = 128
	layers := [][2]int{{784, 400}, {400, 20}, {400, 20}, {20, 400}, {400, 784}} // in, out
	var ps []product
	for i, l := range layers {
		in, out := l[0], l[1]
		ps = append(ps,
			product{blas.NoTrans, blas.NoTrans, b, out, in}, // y = x·W
			product{blas.Trans, blas.NoTrans, in, out, b},   // dW = xᵀ·dy
		)
		if i > 0 {
			ps = append(ps, product{blas.NoTrans, blas.Trans, b, in, out}) // dx = dy·Wᵀ
		}
	}
	return ps
}

// decodeProducts are the products of decoding 10,000 codes of the
// reference model, 1,024 at a time (the last batch padded): z·W3 and h·W4.
// 6.6 GFLOP in all.
func decodeProducts() []product {
	var ps []product
	for range (10000 + 1023) / 1024 {
		ps = append(ps, product{blas.NoTrans, blas.NoTrans, 1024, 400, 20}, product{blas.NoTrans, blas.NoTrans, 1024, 784, 400})
	}
	return ps
}

// benchFloor times the products of a training step alone: the floor under
// it, reported per epoch of 469 steps.
func benchFloor(b *testing.B, impl blastest.Sgemmer) {
	benchProducts(b, impl, stepProducts(), 469, "s/epoch")
}

// benchProducts times products alone, reporting GFLOP/s and the seconds of
// scale runs of them.
func benchProducts(b *testing.B, impl blastest.Sgemmer, ps []product, scale float64, unit string) {
	bufs := make([][3][]float32, len(ps))
	flops := 0.0
	// Random operands: gonum skips the zeros of A, so zeroed buffers would
	// time a product that never happens.
	rng := rand.New(rand.NewPCG(1, 2))
	for i, p := range ps {
		bufs[i] = [3][]float32{blastest.Random(rng, p.m*p.k), blastest.Random(rng, p.k*p.n), make([]float32, p.m*p.n)}
		flops += 2 * float64(p.m*p.n*p.k)
	}
	for b.Loop() {
		for i, p := range ps {
			lda, ldb := p.k, p.n
			if p.tA == blas.Trans {
				lda = p.m
			}
			if p.tB == blas.Trans {
				ldb = p.k
			}
			impl.Sgemm(p.tA, p.tB, p.m, p.n, p.k, 1, bufs[i][0], lda, bufs[i][1], ldb, 0, bufs[i][2], p.n)
		}
	}
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*scale, unit)
}

// BenchmarkDecodeProductsOpenBLAS is the floor under decoding 10,000 codes:
// OPENBLAS_NUM_THREADS=2 go test ./internal/blas/openblas -run '^$' -bench DecodeProducts
func BenchmarkDecodeProductsOpenBLAS(b *testing.B) {
	ob, err := Load()
	if err != nil {
		b.Skip(err)
	}
	benchProducts(b, whole{ob}, decodeProducts(), 1, "s/10000")
}

// BenchmarkStepProductsOpenBLAS: go test ./internal/blas/openblas -bench Floor
func BenchmarkStepProductsOpenBLAS(b *testing.B) {
	ob, err := Load()
	if err != nil {
		b.Skip(err)
	}
	benchFloor(b, whole{ob})
}

// whole is OpenBLAS with every product one call, never cut into halves: the
// floor is OpenBLAS's own speed on the threads OPENBLAS_NUM_THREADS gives it.
type whole struct{ *BLAS }

func (w whole) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	w.sgemmCall(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func BenchmarkStepProductsGonum(b *testing.B) { benchFloor(b, gonum.Implementation{}) }

func BenchmarkStepProductsGo(b *testing.B) {
	if !goblas.Available() {
		b.Skip("no AVX2 and FMA")
	}
	benchFloor(b, &goblas.BLAS{})
}
