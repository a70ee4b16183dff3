// Package progress names how long work tells a person how far it has got:
// a Func, told what is starting and how many steps it has, returns the
// function to call after each step. Loading a data set, a training epoch,
// the likelihood of a test set, a stream of samples and the digit
// classifier's training all take one; internal/logging draws it as a bar on
// a terminal, and a nil Func draws nothing.
package progress

// Func starts the progress of total steps of what, and returns the function
// to call after each step (from any goroutine).
type Func func(what string, total int) (tick func())

// Start is f(what, total), or a tick that does nothing when f is nil.
func (f Func) Start(what string, total int) (tick func()) {
	if f == nil {
		return func() {}
	}
	return f(what, total)
}
