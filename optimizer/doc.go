// Package optimizer owns the optimizers that train the project's graphs. An
// optimizer is a Gorgonia Solver: Step takes each weight with its gradient
// (G.ValueGrad) and updates the weight in place, so every graph bound to the
// same weight tensors sees the new values.
//
// A graph differentiated with G.Grad computes its gradients anew on every
// run; Gradients pairs each weight node with its gradient node for Step,
// which reads the gradients and leaves them be. (Gorgonia's dual values,
// G.BindDualValues, add each run's gradient into a second copy that the
// caller must zero; nothing here uses them.)
package optimizer
