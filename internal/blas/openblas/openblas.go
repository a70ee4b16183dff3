// Package openblas speeds up Gorgonia's matrix products with OpenBLAS when
// the library is installed, without cgo: it opens libopenblas at run time
// (github.com/ebitengine/purego) and routes single-precision matrix products
// (sgemm, nearly all of the VAE's arithmetic) to it. Every other BLAS routine
// stays with gonum's pure-Go implementation. A machine without OpenBLAS runs
// sgemm in pure Go instead (internal/blas/goblas, or gonum on a CPU without
// AVX2; see Use).
//
// OpenBLAS gets half the CPUs (Threads); a large product arriving while no
// other runs is cut into two halves of C's rows that run at once
// (internal/blas/halves), so a 2-CPU machine multiplies on both cores without
// OpenBLAS's spinning second thread, with results bit for bit the whole
// product's.
package openblas

import (
	"errors"
	"fmt"

	"github.com/ebitengine/purego"
	"github.com/govae/govae/internal/blas/halves"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Libraries are the names tried, in order, to find OpenBLAS.
var Libraries = []string{"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"}

// BLAS is gonum's pure-Go BLAS with Sgemm done by OpenBLAS.
type BLAS struct {
	gonum.Implementation
	// Library is the file that was opened.
	Library string
	// Core is the kernel family OpenBLAS runs ("SkylakeX", "Haswell", ...),
	// or "" if the library does not say.
	Core string
	// Threads is how many threads it runs products on (0 if it does not say).
	Threads int
	sgemm   func(order, transA, transB, m, n, k int32, alpha float32, a *float32, lda int32,
		b *float32, ldb int32, beta float32, c *float32, ldc int32)
	halves halves.Splitter // large products on two cores
}

// Load opens the first of Libraries that exists, first telling OpenBLAS to
// use the kernels this CPU supports (see Kernels) and half its cores (see
// Threads). The error says why
// none could be used; callers then keep gonum's BLAS.
func Load() (*BLAS, error) {
	chooseKernels()
	chooseThreads()
	var errs []error
	for _, name := range Libraries {
		lib, err := purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b := &BLAS{Library: name}
		if _, err := purego.Dlsym(lib, "cblas_sgemm"); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		purego.RegisterLibFunc(&b.sgemm, lib, "cblas_sgemm")
		b.Core, b.Threads = corename(lib), threads(lib)
		return b, nil
	}
	return nil, fmt.Errorf("OpenBLAS not found: %w", errors.Join(errs...))
}

// corename asks OpenBLAS which kernels it chose.
func corename(lib uintptr) string {
	if _, err := purego.Dlsym(lib, "openblas_get_corename"); err != nil {
		return ""
	}
	var get func() string
	purego.RegisterLibFunc(&get, lib, "openblas_get_corename")
	return get()
}

// threads asks OpenBLAS how many threads it runs.
func threads(lib uintptr) int {
	if _, err := purego.Dlsym(lib, "openblas_get_num_threads"); err != nil {
		return 0
	}
	var get func() int32
	purego.RegisterLibFunc(&get, lib, "openblas_get_num_threads")
	return int(get())
}

// CBLAS constants.
const (
	rowMajor = 101
	noTrans  = 111
	trans    = 112
)

func cblasTranspose(t blas.Transpose) int32 {
	if t == blas.NoTrans {
		return noTrans
	}
	return trans // Trans and ConjTrans are the same for real matrices
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C with OpenBLAS. Empty or
// inconsistent arguments go to gonum instead, which handles the first and
// panics on the second, as every Go BLAS does, rather than letting C code read
// past a slice.
func (b *BLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	bm []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 || k == 0 || !fits(a, tA, m, k, lda) || !fits(bm, tB, k, n, ldb) || !fits(c, blas.NoTrans, m, n, ldc) {
		b.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, bm, ldb, beta, c, ldc)
		return
	}
	b.halves.Run(b.sgemmCall, tA, tB, m, n, k, alpha, a, lda, bm, ldb, beta, c, ldc)
}

// sgemmCall is one call of cblas_sgemm on arguments already checked.
func (b *BLAS) sgemmCall(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	bm []float32, ldb int, beta float32, c []float32, ldc int) {
	b.sgemm(rowMajor, cblasTranspose(tA), cblasTranspose(tB), int32(m), int32(n), int32(k),
		alpha, &a[0], int32(lda), &bm[0], int32(ldb), beta, &c[0], int32(ldc))
}

// fits reports whether s holds a row-major matrix op(X) of rows×cols with
// leading dimension ld.
func fits(s []float32, t blas.Transpose, rows, cols, ld int) bool {
	if t != blas.NoTrans {
		rows, cols = cols, rows
	}
	return ld >= max(1, cols) && len(s) >= ld*(rows-1)+cols
}
