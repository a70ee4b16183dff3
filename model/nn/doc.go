// Package nn holds the model's own Gorgonia operations and the kernels they
// run on: the layers x·W + b and convolutions (and their transposes) with a
// bias, ReLU, tanh, the sigmoid, and the two reconstruction losses, Bernoulli
// (BCE from the logits) and Gaussian (a learned log-scale per pixel), each
// with its gradient as another operation; for the importance-weighted bound,
// the BCE of each row, rows repeated k times, and a stable log-mean-exp; and
// for its doubly-reparameterised gradient (DReG), a stopped gradient and a
// path whose gradient is scaled by the importance weights. Gorgonia keeps its own neural-net operations
// in ops/nn, apart from its graph API; this package does the same for the
// model's.
//
// Each exists where Gorgonia's composition of smaller nodes costs passes over
// memory: one fused pass forward and one back, an output tensor kept from run
// to run (output.go), and for float32 the element-wise loops in AVX2
// (kernels_amd64.s) where the CPU has it, bit for bit the Go loops. The
// matrix products go through the BLAS Gorgonia was given (OpenBLAS or pure
// Go, as internal/blas/openblas chose). Every operation is tested against a
// reference path: Gorgonia's own ops, a direct loop, or central finite
// differences.
//
// Package likelihood reads the loss kernels directly
// (BernoulliLogLikelihoods, GaussianLogLikelihoods) for its per-image sums.
package nn
