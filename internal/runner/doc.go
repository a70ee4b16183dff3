// Package runner owns how the project runs its Gorgonia graphs: a compiled
// TapeMachine with its input tensors allocated once, driven as
//
//	fill inputs → Let → RunAll → read → Reset
//
// a pool of such machines per batch size (compiled on first use, reused, at
// most a fixed number in use at once), and the cutting of a large request into
// batches. Training, evaluation, decoding, the likelihood estimator and the
// classifier all run their graphs here.
package runner
