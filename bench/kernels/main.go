// Command kernels prints the OpenBLAS kernel family the trainer picks for
// this CPU (see internal/blas/openblas.Kernels), so that bench/side_by_side.sh can
// give PyTorch, which loads the same library, the same kernels.
//
// Usage:
//
//	go run ./bench/kernels
package main

import (
	"fmt"

	"github.com/govae/govae/internal/blas/openblas"
)

func main() { fmt.Println(openblas.Kernels()) }
