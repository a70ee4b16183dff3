package gemm

import (
	"os"

	"golang.org/x/sys/cpu"
)

// The kernels of kernel_amd64.s.
var (
	avx2   = kernel{"AVX2 6×16", 16, kernel6x16}
	avx512 = kernel{"AVX-512 6×32", 32, kernel6x32}
)

// KernelVar, set to "avx2", runs the AVX2 kernel on a CPU with AVX-512, as
// a CPU without it would: the same sums, for measuring that path where no
// such CPU is at hand.
const KernelVar = "GOVAE_GEMM"

// best is the widest kernel this CPU runs: AVX-512's, else AVX2's.
var best = func() kernel {
	if cpu.X86.HasAVX512F && os.Getenv(KernelVar) != "avx2" {
		return avx512
	}
	return avx2
}()

// kernels are the kernels this CPU runs, for the tests.
func kernels() map[string]kernel {
	k := map[string]kernel{"avx2": avx2}
	if cpu.X86.HasAVX512F {
		k["avx512"] = avx512
	}
	return k
}

//go:noescape
func kernel6x16(kc int, a, b, c *float32, ldc int, accumulate bool)

//go:noescape
func kernel6x32(kc int, a, b, c *float32, ldc int, accumulate bool)
