package train

import "math"

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

// LearningRate is the learning rate of epoch `epoch` (counted from 1) in a
// schedule of stages: the first `first` epochs at lr, the next growth·first
// at lr·decay, the next growth²·first at lr·decay², and so on (Burda et al.
// 2015 train 3^i epochs at 10^(−i/7)·lr for i = 0…7: first 1, growth 3,
// decay 10^(−1/7)). Stage lengths are rounded to whole epochs, at least one.
// With first = 0 or decay = 1 the rate is lr throughout.
func LearningRate(lr, decay float64, first int, growth float64, epoch int) float64 {
	if first <= 0 || decay == 1 {
		return lr
	}
	length, end := float64(first), first
	for stage := 0; ; stage++ {
		if epoch <= end {
			return lr * math.Pow(decay, float64(stage))
		}
		length *= growth
		end += max(1, int(math.Round(length)))
	}
}
