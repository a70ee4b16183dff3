package model

// Terms are the two terms of the negative ELBO, in nats, summed over some
// images or (after PerImage) averaged: the reconstruction term (the
// Bernoulli decoder's BCE) and the KL divergence from the prior.
type Terms struct {
	Recon, KL float64
}

// NegELBO is the loss: Recon + KL, whatever weight the KL term had in
// training, so that runs compare.
func (t Terms) NegELBO() float64 { return t.Recon + t.KL }

// Add accumulates o into t.
func (t *Terms) Add(o Terms) {
	t.Recon += o.Recon
	t.KL += o.KL
}

// PerImage divides sums over n images by n.
func (t Terms) PerImage(n int) Terms {
	f := 1 / float64(n)
	return Terms{t.Recon * f, t.KL * f}
}
