package serve

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/govae/govae/dataset"
	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
)

//go:embed static
var static embed.FS

// Options are how a Server finds what lies beside its model.
type Options struct {
	Checkpoint string // the checkpoint's path: metrics.csv is read from its folder
	DataDir    string // the test set for the latent map; "" = the folder the checkpoint names
}

// Server answers the API and serves the page for one model. It is safe for
// concurrent use.
type Server struct {
	model     *model.Model
	opts      Options
	busy      chan struct{} // requests running on the model at once
	streaming budget        // bytes of the answers streaming at once (stream.go)
	admitWait time.Duration // how long a request waits for its share of them

	mapOnce   sync.Once
	latentMap []byte
	mapErr    error

	graphOnce sync.Once
	graphSVG  []byte
	graphErr  error
}

// New serves m.
func New(m *model.Model, opts Options) *Server {
	return &Server{model: m, opts: opts, busy: make(chan struct{}, 8), streaming: budget{limit: MaxStreamBytes}, admitWait: AdmitWait}
}

// route is one path's handlers by method.
type route map[string]http.HandlerFunc

// Handler is the server's routes. An unknown path is a 404 and a known
// path with the wrong method a 405, both with a JSON error.
func (s *Server) Handler() http.Handler {
	page, _ := fs.Sub(static, "static")
	files := http.FileServerFS(page)
	routes := map[string]route{
		"/":               {"GET": files.ServeHTTP},
		"/app.js":         {"GET": files.ServeHTTP},
		"/style.css":      {"GET": files.ServeHTTP},
		"/compare.js":     {"GET": files.ServeHTTP},
		"/shared.js":      {"GET": files.ServeHTTP},
		"/healthz":        {"GET": s.healthz},
		"/v1/model":       {"GET": s.info},
		"/v1/sample":      {"POST": s.sample},
		"/v1/decode":      {"POST": s.decode},
		"/v1/encode":      {"POST": s.encode},
		"/v1/reconstruct": {"POST": s.reconstruct},
		"/v1/interpolate": {"POST": s.interpolate},
		"/v1/latent-map":  {"GET": s.latentMapHandler},
		"/v1/test-images": {"GET": s.testImages},
		"/v1/graph.svg":   {"GET": s.graph},
		"/v1/metrics":     {"GET": s.metrics},
		"/decode.png":     {"GET": s.decodePNG},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers, ok := routes[r.URL.Path]
		if !ok {
			writeError(w, &fieldError{Msg: fmt.Sprintf("no such path %q", r.URL.Path), Status: http.StatusNotFound})
			return
		}
		h, ok := handlers[r.Method]
		if !ok && r.Method == http.MethodHead {
			h, ok = handlers[http.MethodGet]
		}
		if !ok {
			for m := range handlers {
				w.Header().Set("Allow", m)
			}
			writeError(w, &fieldError{Msg: fmt.Sprintf("%s takes %s, not %s", r.URL.Path, w.Header().Get("Allow"), r.Method), Status: http.StatusMethodNotAllowed})
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		}
		h(w, r)
	})
}

// Run serves on addr until ctx ends, then lets requests in flight finish
// (up to grace) and returns nil. ready, if not nil, is told the address
// once the server listens.
func (s *Server) Run(ctx context.Context, addr string, ready func(addr string)) error {
	return run(ctx, addr, s.Handler(), ready)
}

// run serves h on addr until ctx ends, then lets requests in flight finish
// (up to grace) and returns nil.
func run(ctx context.Context, addr string, h http.Handler, ready func(addr string)) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// testSet is the test set beside the model, for the latent map and the
// page's test images.
func (s *Server) testSet() (*dataset.Set, error) {
	return sample.TestSet(s.model, s.opts.DataDir)
}

// metricsPath is the run's metrics.csv, beside the checkpoint.
func (s *Server) metricsPath() string {
	return filepath.Join(filepath.Dir(s.opts.Checkpoint), "metrics.csv")
}

// withModel runs f while holding one of the model's request slots, so that
// the memory of requests in flight is bounded; a client that goes away
// while waiting gives up its turn.
func (s *Server) withModel(r *http.Request, f func() error) error {
	select {
	case s.busy <- struct{}{}:
	case <-r.Context().Done():
		return r.Context().Err()
	}
	defer func() { <-s.busy }()
	return f()
}
