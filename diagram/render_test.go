package diagram

import (
	"bytes"
	"encoding/xml"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govae/govae/model"
	"gorgonia.org/tensor"
)

// The same config must give the same bytes, whatever the memory addresses.
func TestDotIsDeterministic(t *testing.T) {
	for _, view := range Views {
		a, b := dot(t, view, true), dot(t, view, true)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two exports of the same model differ", view)
		}
	}
}

// svgTexts parses an SVG as XML and returns every text it draws.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	var texts []string
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	dec.Entity = xml.HTMLEntity
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return texts
		}
		if err != nil {
			t.Fatalf("the SVG is not valid XML: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			if s := strings.TrimSpace(string(cd)); s != "" {
				texts = append(texts, s)
			}
		}
	}
}

func TestSVGHasTheNamedNodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vae.svg")
	if err := Write(t.Context(), path, "svg", dot(t, ViewTraining, false)); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	for _, s := range svgTexts(t, svg) {
		texts[s] = true
	}
	for _, want := range []string{"x", "fc1.W", "mu", "logvar", "eps ~ N(0, I)", "z", "logits", "bce = Σ softplus(l) − x·l", "kl", "loss",
		"encoder", "reparameterization", "decoder", "[128×784]"} {
		if !texts[want] {
			t.Errorf("the SVG draws no %q", want)
		}
	}
}

// Graphviz's own dot accepts every export. CI installs Graphviz and sets
// GOVAE_REQUIRE_GRAPHVIZ so this cannot be skipped there.
func TestGraphvizAcceptsDot(t *testing.T) {
	bin, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("GOVAE_REQUIRE_GRAPHVIZ") != "" {
			t.Fatal(err)
		}
		t.Skip("Graphviz's dot is not installed")
	}
	for _, grad := range []bool{false, true} {
		cmd := exec.Command(bin, "-Tsvg")
		cmd.Stdin = bytes.NewReader(dot(t, ViewTraining, grad))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Fatalf("dot -Tsvg: %v\n%s", err, stderr.String())
		}
		svgTexts(t, out)
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]string{"a.dot": "dot", "b.GV": "dot", "c.svg": "svg", "d.png": "png", "e.jpg": "", "f": ""} {
		got, err := FormatOf(path)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
}

func TestUnknownView(t *testing.T) {
	_, err := New("encoder-only", reference, 1, model.Objective{}, false, nil)
	if err == nil || !strings.Contains(err.Error(), `unknown part "encoder-only": want one of vae, decoder`) {
		t.Errorf("got %v", err)
	}
	if _, err := New(ViewTraining, reference, 1, model.Objective{}, false, nil); err == nil {
		t.Error("drew a graph without weights")
	}
}

// A conditional model's label input is drawn as an input, feeding fc1 and fc3.
func TestConditionalShowsLabel(t *testing.T) {
	sizes := reference
	sizes.Classes = 10
	p, err := model.NewParams(sizes, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(ViewTraining, sizes, 128, model.Objective{}, false, p)
	if err != nil {
		t.Fatal(err)
	}
	dot := string(g.Dot())
	if !strings.Contains(dot, `[label="y\n[128×10]", `+styleInput+`]`) || !strings.Contains(dot, `fc1.W\n[794×400]`) || !strings.Contains(dot, `fc3.W\n[30×400]`) {
		t.Errorf("no label input y [128×10] feeding fc1 (794 inputs) and fc3 (30):\n%s", dot)
	}
}

// Burda et al.'s networks are drawn with their second hidden layers and
// their tanh, titled by their widths, on both views; with two stochastic
// layers the training graph draws q(z2|z1), z2 and p(z1|z2) too, and the
// sampling decoder starts at z2.
func TestBurdaNetsAreDrawn(t *testing.T) {
	for _, c := range []struct {
		sizes model.Config
		want  map[string][]string
	}{
		{model.Config{Input: 784, Hidden: 200, Latent: 50, Depth: 2, Activation: model.Tanh}, map[string][]string{
			ViewTraining: {"VAE training graph: 784→200→200→50, tanh, batch 20", `h1b = tanh\n[20×200]`, `fc1b.W\n[200×200]`, `h3b = tanh\n[20×200]`},
			ViewDecoder:  {"VAE decoder (sampling): 50→200→200→784, tanh, batch 20", `h3b = tanh\n[20×200]`, `fc3b.W\n[200×200]`},
		}},
		{model.Config{Input: 784, Hidden: 100, Latent: 100, Depth: 2, Activation: model.Tanh, Stochastic: 2, Hidden2: 50, Latent2: 50}, map[string][]string{
			ViewTraining: {"VAE training graph: 784→100→100→100, z2 of 50 through 50, tanh, batch 20", `h5b = tanh\n[20×50]`, `fc61.W\n[50×50]`, `h7b = tanh\n[20×50]`, `fc82.W\n[50×100]`, "eps2"},
			ViewDecoder:  {`h7b = tanh\n[20×50]`, `fc81.W\n[50×100]`, `h3b = tanh\n[20×100]`},
		}},
	} {
		p, err := model.NewParams(c.sizes, tensor.Float32, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		for view, want := range c.want {
			g, err := New(view, c.sizes, 20, model.Objective{}, false, p)
			if err != nil {
				t.Fatal(err)
			}
			dot := string(g.Dot())
			for _, w := range want {
				if !strings.Contains(dot, w) {
					t.Errorf("%v, %s view: no %q in\n%.600s", c.sizes, view, w, dot)
				}
			}
		}
	}
}
