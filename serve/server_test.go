package serve

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/model"
)

const tiny = "../model/testdata/tiny.ckpt" // plain, latent 4, test set: MNIST's

// plainServer serves the committed tiny model.
func plainServer(t testing.TB) (*httptest.Server, *model.Model) {
	t.Helper()
	m, err := model.Open(tiny)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(New(m, Options{Checkpoint: tiny}).Handler())
	t.Cleanup(ts.Close)
	return ts, m
}

var (
	condOnce sync.Once
	condPath string
)

// conditionalServer serves a conditional model trained for an epoch on the
// fixture, with its metrics.csv beside it.
func conditionalServer(t *testing.T) (*httptest.Server, *model.Model) {
	t.Helper()
	condOnce.Do(func() {
		cfg := fixture.Config(t, func(c *config.Config) { c.Conditional, c.LatentSize = true, 2 })
		cfg.OutDir = filepath.Join(tempDir, "cvae")
		condPath = fixture.Trained(t, cfg)
	})
	m, err := model.Open(condPath)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(New(m, Options{Checkpoint: condPath}).Handler())
	t.Cleanup(ts.Close)
	return ts, m
}

func post(t testing.TB, ts *httptest.Server, path, body string) (int, []byte) {
	t.Helper()
	res, err := http.Post(ts.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, data
}

func get(t testing.TB, ts *httptest.Server, path string) (int, []byte) {
	t.Helper()
	res, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, data
}

// Each endpoint answers what the model itself computes.
func TestEndpointsAnswerWhatTheModelComputes(t *testing.T) {
	ts, m := plainServer(t)
	if code, body := get(t, ts, "/healthz"); code != 200 || strings.TrimSpace(string(body)) != `{"ok":true}` {
		t.Errorf("healthz: %d %s", code, body)
	}
	var info map[string]any
	_, body := get(t, ts, "/v1/model")
	json.Unmarshal(body, &info)
	if info["latent"] != 4.0 || info["conditional"] != false || info["epochs"] != 2.0 {
		t.Errorf("model: %s", body)
	}

	var images struct{ Images [][]float32 }
	code, body := post(t, ts, "/v1/sample", `{"n": 3, "seed": 7}`)
	json.Unmarshal(body, &images)
	want, _ := m.Sample(3, 7, model.NoLabel)
	if code != 200 || len(images.Images) != 3 || !equalRows(images.Images, want) {
		t.Errorf("sample: %d, %d images, equal to the model's: %v", code, len(images.Images), equalRows(images.Images, want))
	}

	z := []float32{0.5, -1, 2, 0}
	code, body = post(t, ts, "/v1/decode", `{"z": [[0.5, -1, 2, 0]]}`)
	json.Unmarshal(body, &images)
	want, _ = m.Decode(z, nil)
	if code != 200 || !equalRows(images.Images, want) {
		t.Errorf("decode: %d %.80s", code, body)
	}

	x := make([]float64, 784)
	for i := range x {
		x[i] = float64(i%7) / 6
	}
	req, _ := json.Marshal(map[string]any{"images": [][]float64{x}})
	var codes struct{ Mu, Logvar [][]float32 }
	code, body = post(t, ts, "/v1/encode", string(req))
	json.Unmarshal(body, &codes)
	x32 := make([]float32, 784)
	for i := range x {
		x32[i] = float32(x[i])
	}
	wantCodes, _ := m.Encode(x32, nil)
	if code != 200 || !equalRows(codes.Mu, wantCodes.Mu) || !equalRows(codes.Logvar, wantCodes.Logvar) {
		t.Errorf("encode: %d %.80s", code, body)
	}
	code, body = post(t, ts, "/v1/reconstruct", string(req))
	json.Unmarshal(body, &images)
	want, _ = m.Reconstruct(x32, nil)
	if code != 200 || !equalRows(images.Images, want) {
		t.Errorf("reconstruct: %d", code)
	}

	var pngs struct{ Images []string }
	code, body = post(t, ts, "/v1/interpolate", `{"from": [0,0,0,0], "to": [1,1,1,1], "steps": 5, "format": "png"}`)
	json.Unmarshal(body, &pngs)
	if code != 200 || len(pngs.Images) != 5 {
		t.Fatalf("interpolate: %d %.100s", code, body)
	}
	raw, _ := base64.StdEncoding.DecodeString(pngs.Images[4])
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds().Dx() != 28 || img.Bounds().Dy() != 28 {
		t.Errorf("interpolate png: %v", err)
	}

	code, body = get(t, ts, "/decode.png?z=0.5,-1,2,0")
	if img, err := png.Decode(bytes.NewReader(body)); code != 200 || err != nil || img.Bounds().Dx() != 28 {
		t.Errorf("decode.png: %d %v", code, err)
	}
	if code, body = get(t, ts, "/v1/graph.svg"); code != 200 || !bytes.Contains(body, []byte("<svg")) || !bytes.Contains(body, []byte("logvar")) {
		t.Errorf("graph.svg: %d %.100s", code, body)
	}
	if code, body = get(t, ts, "/"); code != 200 || !bytes.Contains(body, []byte("latent space explorer")) {
		t.Errorf("page: %d", code)
	}
	if code, _ = get(t, ts, "/app.js"); code != 200 {
		t.Errorf("app.js: %d", code)
	}
}

func equalRows(rows [][]float32, flat []float32) bool {
	i := 0
	for _, row := range rows {
		for _, v := range row {
			if i >= len(flat) || v != flat[i] {
				return false
			}
			i++
		}
	}
	return i == len(flat) && len(flat) > 0
}

// The latent map holds every test image, the projection maps its points
// back to codes, and a conditional model's map shows all ten digits.
func TestLatentMapAndTestImages(t *testing.T) {
	ts, _ := conditionalServer(t)
	var lm struct {
		Points [][2]float32
		Labels []int
		Axes   [2][]float64
	}
	code, body := get(t, ts, "/v1/latent-map")
	if err := json.Unmarshal(body, &lm); err != nil || code != 200 {
		t.Fatalf("%d %v %.100s", code, err, body)
	}
	digits := map[int]bool{}
	for _, l := range lm.Labels {
		digits[l] = true
	}
	if len(lm.Points) != 128 || len(lm.Labels) != 128 || len(digits) != 10 || len(lm.Axes[0]) != 2 {
		t.Errorf("%d points, %d labels, %d digits, axes %v", len(lm.Points), len(lm.Labels), len(digits), lm.Axes)
	}
	var ti struct {
		Images, Mu [][]float32
		Labels     []int
	}
	code, body = get(t, ts, "/v1/test-images?index=3,5")
	json.Unmarshal(body, &ti)
	if code != 200 || len(ti.Images) != 2 || len(ti.Mu) != 2 || len(ti.Labels) != 2 {
		t.Errorf("test images: %d %.100s", code, body)
	}
	// A 2-D latent space is its own map: the point of image 3 is its code.
	// The map encodes a batch of 128 and the test images one of 2; BLAS
	// kernels may round the two batch sizes differently (SkylakeX's do), so
	// the two agree to float32 rounding, not to the bit.
	if p, mu := lm.Points[3], ti.Mu[0]; !close32(p[0], mu[0]) || !close32(p[1], mu[1]) {
		t.Errorf("point %v, code %v", p, mu)
	}
	var metrics map[string][]float64
	code, body = get(t, ts, "/v1/metrics")
	json.Unmarshal(body, &metrics)
	if code != 200 || len(metrics["test_loss"]) != 1 {
		t.Errorf("metrics: %d %s", code, body)
	}
}

// Every bad request is a 4xx whose JSON error names the field and the
// problem; none is a 500.
func TestBadRequestsNameTheField(t *testing.T) {
	plain, _ := plainServer(t)
	cond, _ := conditionalServer(t)
	image := "[" + strings.TrimSuffix(strings.Repeat("0.5,", 784), ",") + "]"
	tests := []struct {
		name   string
		ts     *httptest.Server
		method string
		path   string
		body   string
		status int
		want   string
	}{
		{"malformed JSON", plain, "POST", "/v1/sample", `{"n": 3,`, 400, "JSON ends early"},
		{"not JSON", plain, "POST", "/v1/sample", `n=3`, 400, "malformed JSON at byte 2: invalid character"},
		{"empty body", plain, "POST", "/v1/decode", ``, 400, "empty body"},
		{"two objects", plain, "POST", "/v1/sample", `{"n": 1} {"n": 2}`, 400, "more than one JSON value"},
		{"unknown field", plain, "POST", "/v1/sample", `{"n": 3, "count": 4}`, 400, "count: unknown field"},
		{"wrong type", plain, "POST", "/v1/sample", `{"n": "three"}`, 400, `n: string is not a whole number`},
		{"n missing", plain, "POST", "/v1/sample", `{}`, 400, "n: missing"},
		{"n zero", plain, "POST", "/v1/sample", `{"n": 0}`, 400, "n: 0: want 1 to 10000"},
		{"n over the cap", plain, "POST", "/v1/sample", `{"n": 10001}`, 400, "n: 10001: want 1 to 10000"},
		{"n huge", plain, "POST", "/v1/sample", `{"n": 1e30}`, 400, "n: number 1e30 is not a whole number"},
		{"format", plain, "POST", "/v1/sample", `{"n": 1, "format": "jpg"}`, 400, `format: "jpg": want`},
		{"z wrong length", plain, "POST", "/v1/decode", `{"z": [[1, 2]]}`, 400, "z[0]: 2 values: want 4"},
		{"z empty", plain, "POST", "/v1/decode", `{"z": []}`, 400, "z: empty"},
		{"z overflows", plain, "POST", "/v1/decode", `{"z": [[1e999, 0, 0, 0]]}`, 400, "is not a finite number"},
		{"z too large", plain, "POST", "/v1/decode", `{"z": [[1e7, 0, 0, 0]]}`, 400, "z[0][0]: 1e+07 is outside"},
		{"z not numbers", plain, "POST", "/v1/decode", `{"z": [["a", 0, 0, 0]]}`, 400, "is not a finite number"},
		{"label on a plain model", plain, "POST", "/v1/decode", `{"z": [[0, 0, 0, 0]], "label": 3}`, 400, "label: the model is not conditional"},
		{"no label on a conditional model", cond, "POST", "/v1/decode", `{"z": [[0, 0]]}`, 400, "label: the model is conditional: give a label 0–9"},
		{"label outside", cond, "POST", "/v1/decode", `{"z": [[0, 0]], "label": 10}`, 400, "label: 10 is outside 0–9"},
		{"negative label", cond, "POST", "/v1/sample", `{"n": 2, "label": -1}`, 400, "label: -1 is outside 0–9"},
		{"image wrong size", plain, "POST", "/v1/encode", `{"images": [[0.1, 0.2]]}`, 400, "images[0]: 2 values: want 784"},
		{"pixel outside [0, 1]", plain, "POST", "/v1/reconstruct", `{"images": [` + strings.Replace(image, "0.5", "1.5", 1) + `]}`, 400, "images[0][0]: 1.5 is outside [0, 1]"},
		{"labels count", cond, "POST", "/v1/encode", `{"images": [` + image + `], "labels": [1, 2]}`, 400, "labels: 2 labels for 1 images"},
		{"label and labels", cond, "POST", "/v1/encode", `{"images": [` + image + `], "labels": [1], "label": 1}`, 400, "labels: give label"},
		{"steps", plain, "POST", "/v1/interpolate", `{"from": [0,0,0,0], "to": [1,1,1,1], "steps": 1}`, 400, "steps: 1: want 2 to 100"},
		{"from wrong length", plain, "POST", "/v1/interpolate", `{"from": [0], "to": [1,1,1,1]}`, 400, "from: 1 values: want 4"},
		{"body over 1 MB", plain, "POST", "/v1/decode", `{"z": [` + strings.Repeat("[0,0,0,0],", 120000) + `[0,0,0,0]]}`, 413, "the body is over the 1048576 bytes"},
		{"decode.png z", plain, "GET", "/decode.png?z=1,2", "", 400, "z: 2 comma-separated values: want 4"},
		{"decode.png NaN", plain, "GET", "/decode.png?z=1,NaN,0,0", "", 400, `z[1]: "NaN"`},
		{"test image index", plain, "GET", "/v1/test-images?index=99999", "", 400, "index: \"99999\""},
		{"wrong method", plain, "GET", "/v1/sample", "", 405, "/v1/sample takes POST, not GET"},
		{"wrong method on a page", plain, "DELETE", "/", "", 405, "takes GET"},
		{"unknown path", plain, "GET", "/v2/sample", "", 404, `no such path "/v2/sample"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.ts.URL+tt.path, strings.NewReader(tt.body))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out struct{ Error string }
			body, _ := io.ReadAll(res.Body)
			if err := json.Unmarshal(body, &out); err != nil {
				t.Fatalf("body %q is not a JSON error", body)
			}
			if res.StatusCode != tt.status || !strings.Contains(out.Error, tt.want) {
				t.Errorf("%d %q, want %d and %q", res.StatusCode, out.Error, tt.status, tt.want)
			}
		})
	}
}

// close32 says whether a and b agree to a few float32 roundings.
func close32(a, b float32) bool {
	return math.Abs(float64(a)-float64(b)) <= 1e-5*(1+math.Abs(float64(b)))
}

// A model of two stochastic layers is served in its top code z2: the map's
// points, /v1/encode and /v1/decode speak z2's two values, as the model
// does, and a code of z1's width is refused naming z.
func TestTwoStochasticLayersSpeakZ2(t *testing.T) {
	cfg := fixture.Config(t, func(c *config.Config) { c.Stochastic, c.Hidden2, c.Latent2 = 2, 16, 2 })
	path := fixture.Trained(t, cfg)
	m, err := model.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(New(m, Options{Checkpoint: path}).Handler())
	t.Cleanup(ts.Close)

	var info map[string]any
	_, body := get(t, ts, "/v1/model")
	json.Unmarshal(body, &info)
	if info["latent"] != 2.0 {
		t.Errorf("model: %s, want latent 2 (z2's)", body)
	}
	var lm struct{ Points [][2]float32 }
	var ti struct{ Mu [][]float32 }
	_, body = get(t, ts, "/v1/latent-map")
	json.Unmarshal(body, &lm)
	_, body = get(t, ts, "/v1/test-images?index=3")
	json.Unmarshal(body, &ti)
	if len(lm.Points) < 4 || len(ti.Mu) != 1 || len(ti.Mu[0]) != 2 || !close32(lm.Points[3][0], ti.Mu[0][0]) || !close32(lm.Points[3][1], ti.Mu[0][1]) {
		t.Errorf("the map's point 3 %v is not image 3's z2 mean %v", lm.Points[3:4], ti.Mu)
	}
	var images struct{ Images [][]float32 }
	code, body := post(t, ts, "/v1/decode", `{"z": [[0.5, -1]]}`)
	json.Unmarshal(body, &images)
	want, _ := m.Decode([]float32{0.5, -1}, nil)
	if code != 200 || !equalRows(images.Images, want) {
		t.Errorf("decode of z2: %d %.80s", code, body)
	}
	if code, body = post(t, ts, "/v1/decode", `{"z": [[0.5, -1, 2, 0]]}`); code != 400 || !strings.Contains(string(body), `"z`) {
		t.Errorf("a code of z1's width: %d %s, want 400 naming z", code, body)
	}
}
