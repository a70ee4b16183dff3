package gemm

//go:noescape
func kernel6x16(kc int, a, b, c *float32, ldc int, accumulate bool)
