// Package train owns a training run: its Settings (planned once from the
// run's config, after the data has filled in what the config left open),
// the loop that feeds
// mini-batches and injected noise to the model's Gorgonia graph on a
// TapeMachine and steps the Adam optimizer, the test-set evaluation, and what a
// run leaves behind (metrics.csv, pictures, and an atomic, self-describing
// checkpoint that a later run resumes from).
//
// Each epoch follows the classic loop:
//
//	for each mini-batch:  Let(x), Let(eps) → RunAll → Adam.Step → Reset
//
// In a group of processes (Options.Group: the ranks of an mpirun job), each
// process runs the loop on its share of every mini-batch and one sum across
// the group gives each the whole batch's gradient before the same Adam step
// (group.go); rank 0 writes what the run leaves behind.
package train
