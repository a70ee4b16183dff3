package serve

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/govae/govae/internal/grid"
	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]bool{"ok": true})
}

func (s *Server) sample(w http.ResponseWriter, r *http.Request) {
	var req sampleRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeError(w, err)
		return
	}
	n, lab, err := req.check(s.model.Config())
	if err != nil {
		writeError(w, err)
		return
	}
	s.streamSamples(w, r, n, req.Seed, lab, req.Format)
}

func (s *Server) decode(w http.ResponseWriter, r *http.Request) {
	var req decodeRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeError(w, err)
		return
	}
	z, labels, err := req.check(s.model.Config())
	if err != nil {
		writeError(w, err)
		return
	}
	s.answerImages(w, r, req.Format, func() ([]float32, error) { return s.model.Decode(z, labels) })
}

func (s *Server) encode(w http.ResponseWriter, r *http.Request) {
	var req imagesRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeError(w, err)
		return
	}
	if req.Format != "" {
		writeError(w, bad("format", "encode answers codes, not images"))
		return
	}
	x, labels, err := req.check(s.model.Config())
	if err != nil {
		writeError(w, err)
		return
	}
	var codes model.Codes
	err = s.withModel(r, func() (err error) {
		codes, err = s.model.Encode(x, labels)
		return err
	})
	if err != nil {
		writeError(w, err)
		return
	}
	d := s.model.Config().Code()
	w.Header().Set("Content-Type", "application/json")
	var buf []byte
	buf = append(buf, `{"mu":`...)
	buf = appendRows(buf, codes.Mu, d)
	if codes.Logvar != nil { // a plain autoencoder's codes are points
		buf = append(buf, `,"logvar":`...)
		buf = appendRows(buf, codes.Logvar, d)
	}
	w.Write(append(buf, "}\n"...))
}

// appendRows appends values as a JSON list of rows of width values.
func appendRows(buf []byte, values []float32, width int) []byte {
	buf = append(buf, '[')
	for i := 0; i*width < len(values); i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendFloats(buf, values[i*width:(i+1)*width])
	}
	return append(buf, ']')
}

func (s *Server) reconstruct(w http.ResponseWriter, r *http.Request) {
	var req imagesRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeError(w, err)
		return
	}
	x, labels, err := req.check(s.model.Config())
	if err != nil {
		writeError(w, err)
		return
	}
	s.answerImages(w, r, req.Format, func() ([]float32, error) { return s.model.Reconstruct(x, labels) })
}

func (s *Server) interpolate(w http.ResponseWriter, r *http.Request) {
	var req interpolateRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeError(w, err)
		return
	}
	from, to, steps, lab, err := req.check(s.model.Config())
	if err != nil {
		writeError(w, err)
		return
	}
	var z []float32
	for k := range steps {
		z = append(z, sample.Between(from, to, float64(k)/float64(steps-1), req.Slerp)...)
	}
	s.answerImages(w, r, req.Format, func() ([]float32, error) { return s.model.Decode(z, repeat(lab, steps)) })
}

// answerImages runs f on the model and writes the images it returns.
func (s *Server) answerImages(w http.ResponseWriter, r *http.Request, format string, f func() ([]float32, error)) {
	var pixels []float32
	err := s.withModel(r, func() (err error) {
		pixels, err = f()
		return err
	})
	if err != nil {
		writeError(w, err)
		return
	}
	writeImages(w, pixels, grid.ShapeOf(s.model.Config().Input, s.model.Config().Channels), format)
}

// decodePNG is GET /decode.png?z=0.1,-2,…[&label=3]: one decoded image, for
// an <img> tag.
func (s *Server) decodePNG(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sz := s.model.Config()
	parts := strings.Split(q.Get("z"), ",")
	if q.Get("z") == "" || len(parts) != sz.Code() {
		writeError(w, bad("z", "%d comma-separated values: want %d", len(parts), sz.Code()))
		return
	}
	z := make([]float32, sz.Code())
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.Abs(v) > maxCode {
			writeError(w, bad(fmt.Sprintf("z[%d]", i), "%q: want a number in [%g, %g]", p, -maxCode, maxCode))
			return
		}
		z[i] = float32(v)
	}
	var lp *int
	if l := q.Get("label"); l != "" {
		v, err := strconv.Atoi(l)
		if err != nil {
			writeError(w, bad("label", "%q: want a whole number", l))
			return
		}
		lp = &v
	}
	lab, err := label(sz, lp)
	if err != nil {
		writeError(w, err)
		return
	}
	var pixels []float32
	err = s.withModel(r, func() (err error) {
		pixels, err = s.model.Decode(z, repeat(lab, 1))
		return err
	})
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(pngOf(pixels, grid.ShapeOf(sz.Input, sz.Channels)))
}
