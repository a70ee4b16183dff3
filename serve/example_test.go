package serve_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/govae/govae/model"
	"github.com/govae/govae/serve"
)

// Serve a checkpoint over HTTP (here on a test server), ask what the model
// is, and send a bad request: the answer is a 400 naming the field.
func ExampleServer() {
	m, err := model.Open("../model/testdata/tiny.ckpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(serve.New(m, serve.Options{}).Handler())
	defer ts.Close()

	res, err := http.Post(ts.URL+"/v1/sample", "application/json", strings.NewReader(`{"n": 2, "seed": 7}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("Content-Type"))

	res, err = http.Post(ts.URL+"/v1/sample", "application/json", strings.NewReader(`{"n": 0}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Println(res.StatusCode, strings.TrimSpace(string(body)))
	// Output:
	// 200 application/json
	// 400 {"error":"n: 0: want 1 to 10000"}
}

// Serve two models under names: each answers at /v1/models/NAME/..., and
// /v1/models lists them.
func ExampleSite() {
	m, err := model.Open("../model/testdata/tiny.ckpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	site, err := serve.NewSite([]serve.Entry{
		{Name: "first", Server: serve.New(m, serve.Options{})},
		{Name: "second", Server: serve.New(m, serve.Options{})},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(site.Handler())
	defer ts.Close()

	res, err := http.Post(ts.URL+"/v1/models/second/sample", "application/json", strings.NewReader(`{"n": 1}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.StatusCode)
	res, err = http.Post(ts.URL+"/v1/models/third/sample", "application/json", strings.NewReader(`{"n": 1}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Println(res.StatusCode, strings.TrimSpace(string(body)))
	// Output:
	// 200
	// 404 {"error":"model: \"third\": no such model (GET /v1/models lists them)"}
}
