package dataset

import "math/rand/v2"

// Batches shuffles the indices 0..n-1 with rng and cuts them into consecutive
// mini-batches of the given size. The last batch holds the remainder and may
// be smaller; it is kept (as PyTorch's DataLoader does by default), so every
// example is seen once per epoch.
func Batches(n, size int, rng *rand.Rand) [][]int {
	order := rng.Perm(n)
	return Chunks(order, size)
}

// Chunks cuts order into consecutive slices of size, the last one shorter if
// size does not divide len(order).
func Chunks(order []int, size int) [][]int {
	var out [][]int
	for start := 0; start < len(order); start += size {
		out = append(out, order[start:min(start+size, len(order))])
	}
	return out
}

// Sequential returns 0..n-1 in order, for passes that need no shuffle.
func Sequential(n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	return order
}
