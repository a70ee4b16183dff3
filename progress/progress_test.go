package progress_test

import (
	"fmt"

	"github.com/govae/govae/progress"
)

// A Func counts the steps of what it is told; a nil one is silent.
func ExampleFunc_Start() {
	var counted int
	count := progress.Func(func(what string, total int) func() {
		fmt.Println(what, total)
		return func() { counted++ }
	})
	tick := count.Start("epoch 1", 3)
	for range 3 {
		tick()
	}
	fmt.Println(counted, "steps")

	var silent progress.Func
	silent.Start("epoch 2", 3)()
	// Output:
	// epoch 1 3
	// 3 steps
}
