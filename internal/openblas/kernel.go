package openblas

import (
	"os"

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
// then run five times slower than the CPU allows (and PyTorch, linked to the
// same library, slows down as well). The instruction sets, unlike model
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
