package serve

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Entry is one model a Site serves, under its name.
type Entry struct {
	Name   string
	Server *Server
}

// Site serves several models: model NAME's API at /v1/models/NAME/...
// (the same endpoints as /v1/...), the first model's also at /v1/... and
// its page at /, so a site of one model is the single-model server; GET
// /v1/models lists them, and /compare shows two side by side.
type Site struct {
	entries []Entry
	byName  map[string]*Server
	first   http.Handler
	routes  map[string]http.Handler
}

// nameRule is what a model's name may be: it is a path segment.
var nameRule = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// NewSite serves the entries, in order. Names must be unique path segments.
func NewSite(entries []Entry) (*Site, error) {
	if len(entries) == 0 {
		return nil, fmt.Errorf("a site needs at least one model")
	}
	s := &Site{entries: entries, byName: map[string]*Server{}, routes: map[string]http.Handler{}}
	for _, e := range entries {
		if !nameRule.MatchString(e.Name) {
			return nil, fmt.Errorf("model name %q: want letters, digits, '.', '_' or '-', at most 64", e.Name)
		}
		if s.byName[e.Name] != nil {
			return nil, fmt.Errorf("model name %q: given twice", e.Name)
		}
		s.byName[e.Name] = e.Server
		s.routes[e.Name] = e.Server.Handler()
	}
	s.first = s.routes[entries[0].Name]
	return s, nil
}

// Handler routes /v1/models and /v1/models/NAME/... itself and the rest to
// the first model's server.
func (s *Site) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/v1/models")
		switch {
		case r.URL.Path == "/compare" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			// The page that shows two of the site's models side by side; its
			// script and styles are the models' servers' own files.
			http.ServeFileFS(w, r, static, "static/compare.html")
		case !ok:
			s.first.ServeHTTP(w, r)
		case rest == "" || rest == "/":
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				w.Header().Set("Allow", "GET")
				writeError(w, &fieldError{Msg: fmt.Sprintf("/v1/models takes GET, not %s", r.Method), Status: http.StatusMethodNotAllowed})
				return
			}
			s.list(w)
		default:
			name, path, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
			h, found := s.routes[name]
			if !found {
				writeError(w, &fieldError{Field: "model", Msg: fmt.Sprintf("%q: no such model (GET /v1/models lists them)", name), Status: http.StatusNotFound})
				return
			}
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/v1/" + path
			h.ServeHTTP(w, r2)
		}
	})
}

// list is GET /v1/models: each model's name and what GET /v1/model says of
// it, in order.
func (s *Site) list(w http.ResponseWriter) {
	models := make([]map[string]any, 0, len(s.entries))
	for _, e := range s.entries {
		info := e.Server.describe()
		info["name"] = e.Name
		models = append(models, info)
	}
	writeJSON(w, map[string]any{"models": models})
}

// Run serves the site on addr until ctx ends, as Server.Run does.
func (s *Site) Run(ctx context.Context, addr string, ready func(addr string)) error {
	return run(ctx, addr, s.Handler(), ready)
}
