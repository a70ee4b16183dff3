package diagram

import (
	"fmt"
	"slices"
	"strings"

	"github.com/govae/govae/model"
	G "gorgonia.org/gorgonia"
)

// The views that can be exported.
const (
	ViewTraining = "vae"     // the training graph: forward and loss (and gradients on request)
	ViewDecoder  = "decoder" // the sampling path: z → decoder → recon
)

// Views lists the names New accepts.
var Views = []string{ViewTraining, ViewDecoder}

// New builds the graph of a view for a model of the given sizes and batch;
// the training view is that of the objective obj. With grad the training
// view also shows the backward nodes.
func New(view string, sizes model.Config, batch int, obj model.Objective, grad bool, params *model.Params) (*Graph, error) {
	if params == nil && slices.Contains(Views, view) {
		return nil, fmt.Errorf("draw %s: no weights to build the graph on", view)
	}
	switch view {
	case ViewTraining:
		vae, err := model.NewTraining(params, batch, obj)
		if err != nil {
			return nil, err
		}
		l := newLayout(vae.Graph, map[string]Part{
			"x": PartEncoder, "y": PartEncoder, "eps": PartReparameterization, "eps2": PartReparameterization, "kl_weight": PartLoss,
		}, trainingMilestones)
		g := &Graph{
			Title: fmt.Sprintf("%s training graph: %s%s, batch %d", kindOf(sizes), archOf(sizes), widths(sizes, sizes.Input, sizes.Latent), batch),
			Graph: vae.Graph, Part: l.part, Layer: l.layer,
			Inputs: map[*G.Node]bool{vae.X: true, vae.Eps: true, vae.KLWeight: true, vae.Y: vae.Y != nil, vae.Eps2: vae.Eps2 != nil},
			Noise:  vae.Eps,
		}
		if !obj.Plain() {
			g.Title += fmt.Sprintf(", objective %v", obj)
		}
		if !grad {
			g.Skip = map[Part]bool{PartGradients: true}
		} else {
			g.Title += ", with gradients"
		}
		return g, nil
	case ViewDecoder:
		dec, err := model.NewDecoder(params, batch)
		if err != nil {
			return nil, err
		}
		l := newLayout(dec.Graph, map[string]Part{"z": PartReparameterization, "y": PartDecoder}, decoderMilestones)
		return &Graph{
			Title: fmt.Sprintf("%s decoder (sampling): %s%s, batch %d", kindOf(sizes), archOf(sizes), widths(sizes, sizes.Latent, sizes.Input), batch),
			Graph: dec.Graph, Part: l.part, Layer: l.layer,
			Inputs: map[*G.Node]bool{dec.Z: true, dec.Y: dec.Y != nil},
		}, nil
	}
	return nil, fmt.Errorf("unknown part %q: want one of %s", view, strings.Join(Views, ", "))
}

// kindOf is "VAE", or "Autoencoder (z = mu)" for a plain autoencoder.
func kindOf(s model.Config) string {
	if s.Variational() {
		return "VAE"
	}
	return "Autoencoder (z = mu)"
}

// widths is the path from one end to the other through the hidden layers,
// "784→400→20", with the activation when it is not ReLU: "784→200→200→50, tanh".
func widths(s model.Config, from, to int) string {
	out := fmt.Sprintf("%d→%d→", from, s.Hidden)
	if s.Depth == 2 {
		out += fmt.Sprintf("%d→", s.Hidden)
	}
	out += fmt.Sprint(to)
	if s.TwoLayers() {
		out += fmt.Sprintf(", z2 of %d through %d", s.Latent2, s.Hidden2)
	}
	if s.Activation != model.ReLU {
		out += ", " + s.Activation.String()
	}
	return out
}

// archOf is "conv " for the conv model, "" for the MLP.
func archOf(s model.Config) string {
	if s.Conv() {
		return "conv "
	}
	return ""
}
