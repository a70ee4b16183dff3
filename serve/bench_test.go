package serve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/govae/govae/internal/testkit/fixture"
)

// BenchmarkHandlers measures the handlers without a network, on a model of
// the reference sizes (784→400→20; random weights cost the same):
//
//	go test ./serve -run '^$' -bench Handlers -benchmem
func BenchmarkHandlers(b *testing.B) {
	h := New(fixture.Reference(b), Options{}).Handler()
	zero := "[" + strings.TrimSuffix(strings.Repeat("0,", 20), ",") + "]"
	image := "[" + strings.TrimSuffix(strings.Repeat("0.5,", 784), ",") + "]"
	for _, bc := range []struct{ name, method, path, body string }{
		{"decode one code", "POST", "/v1/decode", `{"z": [` + zero + `]}`},
		{"decode one code as PNG", "POST", "/v1/decode", `{"z": [` + zero + `], "format": "png"}`},
		{"decode.png", "GET", "/decode.png?z=" + strings.Trim(zero, "[]"), ""},
		{"sample 64", "POST", "/v1/sample", `{"n": 64, "seed": 1}`},
		{"encode one image", "POST", "/v1/encode", `{"images": [` + image + `]}`},
		{"reconstruct one image", "POST", "/v1/reconstruct", `{"images": [` + image + `]}`},
		{"interpolate 10", "POST", "/v1/interpolate", `{"from": ` + zero + `, "to": ` + zero + `, "steps": 10}`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(bc.method, bc.path, strings.NewReader(bc.body))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
