package openblas

import (
	"os"
	"strconv"

	"github.com/govae/govae/internal/parallel"
	"golang.org/x/sys/cpu"
)

// CoreTypeVar is OpenBLAS's own variable for the kernels it uses. OpenBLAS
// reads it once, when the library is opened.
const CoreTypeVar = "OPENBLAS_CORETYPE"

// Kernels names the fastest OpenBLAS kernel family this CPU can run, or "" to
// leave the choice to OpenBLAS.
//
// Why not always leave it to OpenBLAS: a release only recognises the CPU
// models it knew of when it was made, and falls back to its oldest x86-64
// kernels (Prescott, SSE3 only) for any model it does not. Debian 12's
// OpenBLAS 0.3.21 does this on Sapphire Rapids servers, where matrix products
// then run several times slower than the CPU allows (and PyTorch, linked to
// the same library, slows down as well; docs/speed.md has the figures). The instruction sets, unlike model
// numbers, say directly which kernels will run.
func Kernels() string {
	x := cpu.X86
	switch {
	case x.HasAVX512F && x.HasAVX512CD && x.HasAVX512BW && x.HasAVX512DQ && x.HasAVX512VL:
		return "SkylakeX"
	case x.HasAVX2 && x.HasFMA:
		return "Haswell"
	case x.HasAVX:
		return "Sandybridge"
	}
	return ""
}

// chooseKernels sets CoreTypeVar to Kernels() for the library about to be
// opened, unless the user has set it. It returns what OpenBLAS will be told.
func chooseKernels() string {
	if v, ok := os.LookupEnv(CoreTypeVar); ok {
		return v
	}
	k := Kernels()
	if k != "" {
		os.Setenv(CoreTypeVar, k)
	}
	return k
}

// ThreadVars are the variables OpenBLAS reads for its thread count, the
// first found winning.
var ThreadVars = []string{"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"}

// Threads is how many threads OpenBLAS gets unless the user says otherwise:
// half the CPUs the process may use (GOMAXPROCS), at least one. The other half belongs to Go, which runs the
// rest of a step (the element-wise work, Adam in two halves, the garbage
// collector): between calls OpenBLAS's threads spin, yielding the CPU in a
// loop, and on these 2-CPU machines a spinning second thread cost more than
// it saved (measured with train's BenchmarkTrainStep).
func Threads() int { return max(1, parallel.CPUs()/2) }

// chooseThreads sets OPENBLAS_NUM_THREADS to Threads() unless the user has
// set one of ThreadVars, and returns the count OpenBLAS will be told, or 0
// for the user's own.
func chooseThreads() int {
	for _, v := range ThreadVars {
		if _, ok := os.LookupEnv(v); ok {
			return 0
		}
	}
	n := Threads()
	os.Setenv(ThreadVars[0], strconv.Itoa(n))
	return n
}
