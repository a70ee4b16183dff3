package serve

import (
	"encoding/json"
	"flag"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

var compareCheckpoints = flag.String("compare-checkpoints", "", "serve these two checkpoints, `vae,ae`, to the comparison page's browser test instead of the fixture's")

// pairSite serves a VAE and a plain autoencoder of 2-D codes, trained on
// the fixture (or the checkpoints -compare-checkpoints names).
func pairSite(t *testing.T) *httptest.Server {
	t.Helper()
	paths := strings.Split(*compareCheckpoints, ",")
	if *compareCheckpoints == "" {
		paths = nil
		for _, variational := range []bool{true, false} {
			cfg := fixture.Config(t, func(c *config.Config) { c.LatentSize, c.Variational, c.Epochs = 2, variational, 3 })
			paths = append(paths, fixture.Trained(t, cfg))
		}
	}
	var entries []Entry
	for i, p := range paths {
		m, err := model.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, Entry{Name: []string{"vae", "ae"}[i], Server: New(m, Options{Checkpoint: p})})
	}
	site, err := NewSite(entries)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(site.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// A site lists its models, answers each at /v1/models/NAME/..., the first
// also at /v1/..., and refuses an unknown model by name.
func TestSiteServesEachModel(t *testing.T) {
	ts := pairSite(t)
	var list struct {
		Models []struct {
			Name        string
			Variational bool
			Latent      int
		}
	}
	getJSON(t, ts.URL+"/v1/models", &list)
	if len(list.Models) != 2 || list.Models[0].Name != "vae" || !list.Models[0].Variational || list.Models[1].Name != "ae" || list.Models[1].Variational {
		t.Fatalf("/v1/models: %+v", list)
	}
	var vae, ae, first map[string]any
	getJSON(t, ts.URL+"/v1/models/vae/model", &vae)
	getJSON(t, ts.URL+"/v1/models/ae/model", &ae)
	getJSON(t, ts.URL+"/v1/model", &first)
	if vae["variational"] != true || ae["variational"] != false || first["variational"] != true {
		t.Errorf("variational: vae %v, ae %v, /v1/model %v", vae["variational"], ae["variational"], first["variational"])
	}
	for _, tt := range []struct {
		path string
		want []string // keys of the answer
		not  string
	}{
		{"/v1/models/vae/encode", []string{"mu", "logvar"}, ""},
		{"/v1/models/ae/encode", []string{"mu"}, "logvar"},
	} {
		code, body := post(t, ts, tt.path, `{"images": [`+zeros(784)+`]}`)
		var out map[string]any
		if code != http.StatusOK || json.Unmarshal(body, &out) != nil {
			t.Fatalf("%s: %d %s", tt.path, code, body)
		}
		for _, k := range tt.want {
			if out[k] == nil {
				t.Errorf("%s: no %q in %s", tt.path, k, body)
			}
		}
		if tt.not != "" && out[tt.not] != nil {
			t.Errorf("%s: an autoencoder answered %q", tt.path, tt.not)
		}
	}
	// A 2-D model's map is its codes' own plane: each spread is
	// [σ₁², 0, σ₂²] of q(z|x), as its logvar says.
	var spread struct{ Spread [][3]float64 }
	getJSON(t, ts.URL+"/v1/models/vae/latent-map", &spread)
	var first3 struct{ Logvar [][]float64 }
	getJSON(t, ts.URL+"/v1/models/vae/test-images?index=3", &first3)
	if len(spread.Spread) != 128 || len(first3.Logvar) != 1 {
		t.Fatalf("%d spreads for 128 test images; test image 3's logvar %v", len(spread.Spread), first3.Logvar)
	}
	want := [3]float64{math.Exp(first3.Logvar[0][0]), 0, math.Exp(first3.Logvar[0][1])}
	for j := range want {
		if math.Abs(spread.Spread[3][j]-want[j]) > 1e-4*math.Max(1e-3, want[j]) {
			t.Errorf("test image 3's spread %v, its logvar gives %v", spread.Spread[3], want)
			break
		}
	}
	code, body := post(t, ts, "/v1/models/gan/decode", `{"z": [[0, 0]]}`)
	if code != http.StatusNotFound || !strings.Contains(string(body), `model: \"gan\": no such model`) {
		t.Errorf("unknown model: %d %s", code, body)
	}
	if _, err := NewSite([]Entry{{Name: "a/b"}}); err == nil {
		t.Error("a name with a slash was taken")
	}
	if _, err := NewSite([]Entry{{Name: "a", Server: &Server{}}, {Name: "a", Server: &Server{}}}); err == nil {
		t.Error("a name given twice was taken")
	}
}

func zeros(n int) string { return "[" + strings.TrimSuffix(strings.Repeat("0,", n), ",") + "]" }

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
