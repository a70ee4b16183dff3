package openblas

import (
	"fmt"
	"os"

	G "gorgonia.org/gorgonia"
)

// EnvVar picks the BLAS: "openblas" (fail if missing), "gonum" (pure Go),
// or unset/"auto" (OpenBLAS when installed, else gonum).
const EnvVar = "GOVAE_BLAS"

// Use makes Gorgonia's matrix products run on the BLAS that EnvVar asks for
// and returns its name, for the start-up log. Call it once, before building
// graphs; it sets Gorgonia's process-wide BLAS.
func Use() (string, error) {
	choice := os.Getenv(EnvVar)
	switch choice {
	case "gonum":
		return "gonum (pure Go, " + EnvVar + "=gonum)", nil
	case "", "auto", "openblas":
		b, err := Load()
		if err != nil {
			if choice == "openblas" {
				return "", fmt.Errorf("%s=openblas: %w", EnvVar, err)
			}
			return "gonum (pure Go; OpenBLAS not installed)", nil
		}
		G.Use(b)
		name := "OpenBLAS (" + b.Library
		if b.Core != "" {
			name += ", " + b.Core + " kernels"
		}
		return name + ")", nil
	}
	return "", fmt.Errorf("%s=%q: want openblas, gonum or auto", EnvVar, choice)
}
