package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
	"github.com/govae/govae/diagram"
	"github.com/govae/govae/internal/grid"
	"github.com/govae/govae/model"
	"github.com/govae/govae/sample"
)

// The views of the model and its run that the page shows: its description,
// the run's metrics, the latent map, test images, the graph.

// info is GET /v1/model: the model's sizes, how long it trained, and the
// run's last metrics row when metrics.csv lies beside the checkpoint.
func (s *Server) info(w http.ResponseWriter, r *http.Request) { writeJSON(w, s.describe()) }

// describe is what GET /v1/model says of the model.
func (s *Server) describe() map[string]any {
	sz := s.model.Config()
	shape := grid.ShapeOf(sz.Input, sz.Channels)
	out := map[string]any{
		"input": sz.Input, "hidden": sz.Hidden, "latent": sz.Code(), "classes": sz.Classes,
		"conditional": sz.Conditional(), "variational": sz.Variational(), "epochs": s.model.Epochs(),
		"arch": sz.Arch.String(), "likelihood": sz.Likelihood.String(),
		"image":  map[string]int{"rows": shape.Rows, "cols": shape.Cols, "channels": shape.Channels},
		"limits": map[string]int{"images": MaxImages, "steps": MaxSteps, "body_bytes": MaxBodyBytes},
	}
	if epochs, series, err := sample.ReadMetrics(s.metricsPath(), metricColumns...); err == nil && len(epochs) > 0 {
		last := map[string]float64{"epoch": epochs[len(epochs)-1]}
		for k, name := range metricColumns {
			last[name] = series[k][len(epochs)-1]
		}
		out["metrics"] = last
	}
	return out
}

var metricColumns = []string{"train_loss", "test_loss", "test_recon", "test_kl"}

// metrics is GET /v1/metrics: the run's loss curves, for the page.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	epochs, series, err := sample.ReadMetrics(s.metricsPath(), metricColumns...)
	if err != nil {
		writeError(w, &fieldError{Msg: "no metrics.csv beside the checkpoint", Status: http.StatusNotFound})
		return
	}
	out := map[string][]float64{"epoch": epochs}
	for k, name := range metricColumns {
		out[name] = series[k]
	}
	writeJSON(w, out)
}

// latentMapHandler is GET /v1/latent-map: the test set's latent means in
// 2-D, their labels, and the projection back to codes; computed once.
func (s *Server) latentMapHandler(w http.ResponseWriter, r *http.Request) {
	s.mapOnce.Do(func() { s.latentMap, s.mapErr = s.computeLatentMap() })
	if s.mapErr != nil {
		writeError(w, fmt.Errorf("latent map: %w", s.mapErr))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(s.latentMap)
}

func (s *Server) computeLatentMap() ([]byte, error) {
	set, err := s.testSet()
	if err != nil {
		return nil, err
	}
	x := make([]float32, set.Len()*set.Size())
	set.Gather(dataset.Sequential(set.Len()), x)
	var labels []int
	if s.model.Config().Conditional() {
		labels = set.Labels
	}
	codes, err := s.model.Encode(x, labels)
	if err != nil {
		return nil, err
	}
	proj, err := sample.NewProjection(codes.Mu, s.model.Config().Code())
	if err != nil {
		return nil, err
	}
	xy := proj.Apply(codes.Mu)
	points := make([][2]float32, set.Len())
	for i := range points {
		points[i] = [2]float32{float32(xy[2*i]), float32(xy[2*i+1])}
	}
	out := map[string]any{"points": points, "labels": set.Labels, "axes": proj.Axes, "names": proj.Names}
	if codes.Logvar != nil {
		out["spread"] = spread(proj, codes.Logvar, s.model.Config().Code())
	}
	return json.Marshal(out)
}

// spread is, for each code, the covariance in the map's plane of q(z|x) =
// N(mu, diag(exp(logvar))) projected onto its two axes a and b: [a·Σ·a,
// a·Σ·b, b·Σ·b], from which the page draws each code's ±1σ ellipse.
func spread(proj sample.Projection, logvar []float32, d int) [][3]float32 {
	a, b := proj.Axes[0], proj.Axes[1]
	out := make([][3]float32, len(logvar)/d)
	for i := range out {
		var xx, xy, yy float64
		for j, lv := range logvar[i*d : (i+1)*d] {
			v := math.Exp(float64(lv))
			xx += a[j] * a[j] * v
			xy += a[j] * b[j] * v
			yy += b[j] * b[j] * v
		}
		out[i] = [3]float32{float32(xx), float32(xy), float32(yy)}
	}
	return out
}

// testImages is GET /v1/test-images?index=3,5: test images, their labels
// and latent means, for the page's interpolation.
func (s *Server) testImages(w http.ResponseWriter, r *http.Request) {
	set, err := s.testSet()
	if err != nil {
		writeError(w, err)
		return
	}
	var idx []int
	for _, p := range strings.Split(r.URL.Query().Get("index"), ",") {
		i, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || i < 0 || i >= set.Len() {
			writeError(w, bad("index", "%q: want test image indices 0–%d, comma-separated", p, set.Len()-1))
			return
		}
		idx = append(idx, i)
	}
	if len(idx) > 100 {
		writeError(w, bad("index", "%d images: at most 100", len(idx)))
		return
	}
	x := make([]float32, len(idx)*set.Size())
	set.Gather(idx, x)
	labels := set.LabelsOf(idx)
	var codes model.Codes
	err = s.withModel(r, func() (err error) {
		var l []int
		if s.model.Config().Conditional() {
			l = labels
		}
		codes, err = s.model.Encode(x, l)
		return err
	})
	if err != nil {
		writeError(w, err)
		return
	}
	var buf []byte
	buf = append(buf, `{"images":`...)
	buf = appendRows(buf, x, set.Size())
	buf = append(buf, `,"mu":`...)
	buf = appendRows(buf, codes.Mu, s.model.Config().Code())
	if codes.Logvar != nil {
		buf = append(buf, `,"logvar":`...)
		buf = appendRows(buf, codes.Logvar, s.model.Config().Code())
	}
	lb, _ := json.Marshal(labels)
	buf = append(append(append(buf, `,"labels":`...), lb...), "}\n"...)
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf)
}

// graph is GET /v1/graph.svg: the training graph as cmd/graph draws it.
func (s *Server) graph(w http.ResponseWriter, r *http.Request) {
	s.graphOnce.Do(func() { s.graphSVG, s.graphErr = s.drawGraph(r.Context()) })
	if s.graphErr != nil {
		writeError(w, fmt.Errorf("graph: %w", s.graphErr))
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Write(s.graphSVG)
}

func (s *Server) drawGraph(ctx context.Context) ([]byte, error) {
	batch := config.Default().BatchSize
	g, err := diagram.New(diagram.ViewTraining, s.model.Config(), batch, model.Objective{}, false, s.model.Params())
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := diagram.SVG(context.WithoutCancel(ctx), g.Dot(), &out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
