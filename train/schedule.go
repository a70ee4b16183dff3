package train

// KLWeight is the weight of the KL term at step `step` (counted from 0) of
// `steps` in epoch `epoch` (counted from 1): beta, reached linearly from 0
// over the first `warmup` epochs (KL warm-up: Bowman et al. 2016, Sønderby
// et al. 2016). Without warm-up it is beta throughout.
func KLWeight(beta float64, warmup, epoch, step, steps int) float64 {
	if warmup <= 0 {
		return beta
	}
	progress := (float64(epoch-1) + float64(step)/float64(steps)) / float64(warmup)
	return beta * min(1, progress)
}
