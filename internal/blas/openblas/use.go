package openblas

import (
	"fmt"
	"os"

	"github.com/govae/govae/internal/blas/goblas"
	G "gorgonia.org/gorgonia"
)

// EnvVar picks the BLAS behind Gorgonia's matrix products:
//
//	openblas   OpenBLAS, loaded at run time; an error if it is not installed
//	go         pure Go: internal/blas/gemm's AVX-512 or AVX2 kernel where the CPU has one, else gonum
//	gonum      gonum's pure-Go BLAS alone
//	auto, ""   OpenBLAS when installed, else go
const EnvVar = "GOVAE_BLAS"

// Use makes Gorgonia's matrix products run on the BLAS that EnvVar asks for
// and returns its name, for the start-up log. Call it once, before building
// graphs; it sets Gorgonia's process-wide BLAS.
func Use() (string, error) {
	choice := os.Getenv(EnvVar)
	switch choice {
	case "gonum":
		return "gonum (pure Go, " + EnvVar + "=gonum)", nil
	case "go":
		return usePureGo(""), nil
	case "", "auto", "openblas":
		b, err := Load()
		if err != nil {
			if choice == "openblas" {
				return "", fmt.Errorf("%s=openblas: %w", EnvVar, err)
			}
			return usePureGo("; OpenBLAS not installed"), nil
		}
		G.Use(b)
		name := "OpenBLAS (" + b.Library
		if b.Core != "" {
			name += ", " + b.Core + " kernels"
		}
		if b.Threads > 0 {
			name += fmt.Sprintf(", %d thread(s)", b.Threads)
		}
		return name + ")", nil
	}
	return "", fmt.Errorf("%s=%q: want openblas, go, gonum or auto", EnvVar, choice)
}

// usePureGo picks internal/blas/gemm's kernel where the CPU runs it, else keeps gonum.
func usePureGo(why string) string {
	if !goblas.Available() {
		return "gonum (pure Go; no AVX2 and FMA for internal/blas/gemm" + why + ")"
	}
	G.Use(&goblas.BLAS{})
	return "pure Go (internal/blas/gemm's " + goblas.Kernel() + " kernel for sgemm, gonum for the rest" + why + ")"
}
