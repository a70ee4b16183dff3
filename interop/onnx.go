package interop

import (
	"fmt"
	"slices"
	"strings"

	"github.com/govae/govae/model"
	"github.com/govae/govae/model/nn"
)

// The parts of the model an ONNX file can hold.
const (
	PartDecoder = "decoder" // z [N, code] (+ y [N, classes]) → x [N, input], pixel means
	PartEncoder = "encoder" // x [N, input] (+ y) → mu, logvar [N, code] (mu alone for a plain autoencoder; mu1, logvar1 too for two stochastic layers)
)

// ONNX writes one part of the model as an ONNX model: standard operators
// only (Gemm, Relu or Tanh, Sigmoid, Concat; for the conv model Conv,
// ConvTranspose, Reshape and Flatten too), the weights as initializers in
// PyTorch's layout (Gemm with transB), the batch dimension dynamic ("N").
// A conditional model takes its one-hot labels as a second input y. A model
// of two stochastic layers speaks its top code, as model.Model does: the
// decoder reads z2 and decodes the mean of p(z1|z2); the encoder gives
// q(z2|mu1) as mu and logvar, with q(z1|x) as mu1 and logvar1.
//
// Why the topology is written here again rather than read off the Gorgonia
// graph model builds: that graph is made of the model's own operations
// (package model/nn: x·W + b with W [in, out], fused losses, ops that keep
// their outputs), which have no ONNX counterpart one for one, and its nodes
// carry training-only parts (eps, the loss). Translating node by node would
// need an ONNX mapping for each op and a pruning pass; the forward path is
// ten nodes, so it is written out below, layer for layer as model's encode
// and decode, and the tests hold the two together: ONNX Runtime must
// reproduce the model's own outputs for every architecture and option
// (interop/external_test.go).
func ONNX(p *model.Params, part string, metadata map[string]string) ([]byte, error) {
	s := p.Config
	g := &graphBuilder{}
	uses := map[string][]string{
		PartDecoder: {"fc7", "fc7b", "fc81", "fc3", "fc3b", "fc4", "deconv1", "deconv2"},
		PartEncoder: {"conv1", "conv2", "fc1", "fc1b", "fc21", "fc22", "fc5", "fc5b", "fc61", "fc62"},
	}[part]
	for _, t := range ToTorch(p) {
		if layer, _, _ := strings.Cut(t.Name, "."); slices.Contains(uses, layer) {
			g.initializer(t)
		}
	}
	switch part {
	case PartDecoder:
		g.input("z", s.Code())
		g.decoder(g.withLabel(g.priorMean("z", s), s), s)
		g.output("x", s.Input)
	case PartEncoder:
		g.input("x", s.Input)
		g.encoder(g.withLabel(g.features("x", s), s), s)
	default:
		return nil, fmt.Errorf("part %q: want %s or %s", part, PartDecoder, PartEncoder)
	}
	return modelProto(g.graph("govae_"+part), metadata), nil
}

// withLabel joins the label input y to a conditional model's input columns.
func (g *graphBuilder) withLabel(in string, s model.Config) string {
	if !s.Conditional() {
		return in
	}
	g.input("y", s.Classes)
	return g.node("Concat", in+"_y", []string{in, "y"}, attrInt("axis", 1))
}

// decoder is the pixel means x of the code in: sigmoid(fc4(hidden(fc3))),
// through the conv model's transposed convolutions.
func (g *graphBuilder) decoder(in string, s model.Config) {
	h3 := g.hidden(in, "fc3", "h3", s)
	fc4 := "logits" // the MLP's fc4 gives the logits; the conv model's, deconv1's input
	if s.Conv() {
		fc4 = "fc4"
	}
	g.node("Sigmoid", "x", []string{g.upsample(g.linear(h3, "fc4", fc4), s)})
}

// encoder adds the outputs mu and logvar of q(z|x) (mu alone for a plain
// autoencoder), or for two stochastic layers q(z2|mu1) as mu and logvar,
// with q(z1|x) beside them as mu1 and logvar1, as model.Encode gives them.
func (g *graphBuilder) encoder(in string, s model.Config) {
	h1 := g.hidden(in, "fc1", "h1", s)
	if !s.Variational() { // a plain autoencoder's encoder gives the point mu alone
		g.linear(h1, "fc21", "mu")
		g.output("mu", s.Latent)
		return
	}
	if !s.TwoLayers() {
		g.linear(h1, "fc21", "mu")
		g.linear(h1, "fc22", "logvar")
		g.output("mu", s.Latent)
		g.output("logvar", s.Latent)
		return
	}
	mu1 := g.linear(h1, "fc21", "mu1")
	g.linear(h1, "fc22", "logvar1")
	h5 := g.hidden(mu1, "fc5", "h5", s)
	g.linear(h5, "fc61", "mu")
	g.linear(h5, "fc62", "logvar")
	g.output("mu", s.Latent2)
	g.output("logvar", s.Latent2)
	g.output("mu1", s.Latent)
	g.output("logvar1", s.Latent)
}

// priorMean is the code the decoder reads: z itself, or for two stochastic
// layers the mean of p(z1|z2), fc81(hidden(fc7)) of the top code z2.
func (g *graphBuilder) priorMean(z string, s model.Config) string {
	if !s.TwoLayers() {
		return z
	}
	return g.linear(g.hidden(z, "fc7", "h7", s), "fc81", "z1")
}

// hidden is a hidden layer of the model s: act(layer(in)), and with a
// second hidden layer act(layer+"b"(that)), named out (and out+"b").
func (g *graphBuilder) hidden(in, layer, out string, s model.Config) string {
	act := map[model.Activation]string{model.ReLU: "Relu", model.Tanh: "Tanh"}[s.Activation]
	h := g.node(act, out, []string{g.linear(in, layer, layer)})
	if s.Depth == 2 {
		h = g.node(act, out+"b", []string{g.linear(h, layer+"b", layer+"b")})
	}
	return h
}

// features is what fc1 reads: the images, or the conv model's
// relu(conv2(relu(conv1(x)))) flattened.
func (g *graphBuilder) features(x string, s model.Config) string {
	if !s.Conv() {
		return x
	}
	c1, c2, _, _ := s.ConvSpecs()
	img := g.reshape(x, "x_image", c1.In, c1.Height, c1.Width)
	h := g.node("Relu", "e1", []string{g.conv("Conv", img, "conv1", c1)})
	h = g.node("Relu", "e2", []string{g.conv("Conv", h, "conv2", c2)})
	return g.node("Flatten", "features", []string{h}, attrInt("axis", 1))
}

// upsample turns fc4's output into logits: itself, or for the conv model
// deconv2(relu(deconv1(relu(it) as an image))) flattened.
func (g *graphBuilder) upsample(h string, s model.Config) string {
	if !s.Conv() {
		return h
	}
	_, _, d1, d2 := s.ConvSpecs()
	h = g.reshape(g.node("Relu", "d0", []string{h}), "d0_image", d1.In, d1.Height, d1.Width)
	h = g.node("Relu", "d1", []string{g.conv("ConvTranspose", h, "deconv1", d1)})
	return g.node("Flatten", "logits", []string{g.conv("ConvTranspose", h, "deconv2", d2)}, attrInt("axis", 1))
}

// conv is a Conv or ConvTranspose node of a layer's weight and bias.
func (g *graphBuilder) conv(op, in, layer string, c nn.ConvSpec) string {
	k, st, p := int64(c.Kernel), int64(c.Stride), int64(c.Pad)
	return g.node(op, layer, []string{in, layer + ".weight", layer + ".bias"},
		attrInts("kernel_shape", k, k), attrInts("strides", st, st), attrInts("pads", p, p, p, p))
}

// reshape views in as [N, dims...] (Reshape with -1 for the batch).
func (g *graphBuilder) reshape(in, out string, dims ...int) string {
	shape := out + "_shape"
	g.int64s(shape, append([]int{-1}, dims...))
	return g.node("Reshape", out, []string{in, shape})
}

// linear is out = Gemm(in, layer.weight, layer.bias) with the weight
// transposed, as nn.Linear computes it.
func (g *graphBuilder) linear(in, layer, out string) string {
	return g.node("Gemm", out, []string{in, layer + ".weight", layer + ".bias"}, attrInt("transB", 1))
}
