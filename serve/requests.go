package serve

import (
	"fmt"

	"github.com/govae/govae/model"
)

// The bodies of the POST endpoints, as clients send them.
type (
	sampleRequest struct {
		N      *int   `json:"n"`
		Seed   uint64 `json:"seed"`
		Label  *int   `json:"label"`
		Format string `json:"format"`
	}
	decodeRequest struct {
		Z      [][]float64 `json:"z"`
		Label  *int        `json:"label"`
		Format string      `json:"format"`
	}
	imagesRequest struct { // encode and reconstruct
		Images [][]float64 `json:"images"`
		Label  *int        `json:"label"`
		Labels []int       `json:"labels"`
		Format string      `json:"format"`
	}
	interpolateRequest struct {
		From   []float64 `json:"from"`
		To     []float64 `json:"to"`
		Steps  *int      `json:"steps"`
		Slerp  bool      `json:"slerp"`
		Label  *int      `json:"label"`
		Format string    `json:"format"`
	}
)

// checkFormat accepts the image formats of a response.
func checkFormat(f string) error {
	if f != "" && f != "floats" && f != "png" {
		return bad("format", "%q: want \"floats\" (the default) or \"png\"", f)
	}
	return nil
}

// label checks an optional label against the model: required of a
// conditional model, refused by a plain one.
func label(s model.Config, l *int) (int, error) {
	switch {
	case s.Classes == 0 && l != nil:
		return model.NoLabel, bad("label", "the model is not conditional: it takes no label")
	case s.Classes > 0 && l == nil:
		return model.NoLabel, bad("label", "the model is conditional: give a label 0–%d", s.Classes-1)
	case l != nil && (*l < 0 || *l >= s.Classes):
		return model.NoLabel, bad("label", "%d is outside 0–%d", *l, s.Classes-1)
	case l == nil:
		return model.NoLabel, nil
	}
	return *l, nil
}

// repeat is n copies of a label, or nil for NoLabel.
func repeat(l, n int) []int {
	if l == model.NoLabel {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = l
	}
	return out
}

func (r *sampleRequest) check(s model.Config) (n, lab int, err error) {
	if r.N == nil {
		return 0, 0, bad("n", "missing: how many samples (1 to %d)", MaxImages)
	}
	if *r.N < 1 || *r.N > MaxImages {
		return 0, 0, bad("n", "%d: want 1 to %d", *r.N, MaxImages)
	}
	if err := checkFormat(r.Format); err != nil {
		return 0, 0, err
	}
	if s.Classes > 0 && r.Label == nil { // a conditional model samples every label in turn
		return *r.N, model.NoLabel, nil
	}
	lab, err = label(s, r.Label)
	return *r.N, lab, err
}

func (r *decodeRequest) check(s model.Config) (z []float32, labels []int, err error) {
	if z, err = rows("z", r.Z, s.Code(), -maxCode, maxCode); err != nil {
		return nil, nil, err
	}
	if err := checkFormat(r.Format); err != nil {
		return nil, nil, err
	}
	l, err := label(s, r.Label)
	return z, repeat(l, len(r.Z)), err
}

func (r *imagesRequest) check(s model.Config) (x []float32, labels []int, err error) {
	if x, err = rows("images", r.Images, s.Input, 0, 1); err != nil {
		return nil, nil, err
	}
	if err := checkFormat(r.Format); err != nil {
		return nil, nil, err
	}
	n := len(r.Images)
	switch {
	case r.Labels != nil && r.Label != nil:
		return nil, nil, bad("labels", "give label (one for all) or labels (one per image), not both")
	case r.Labels != nil && s.Classes == 0:
		return nil, nil, bad("labels", "the model is not conditional: it takes no labels")
	case r.Labels != nil && len(r.Labels) != n:
		return nil, nil, bad("labels", "%d labels for %d images", len(r.Labels), n)
	case r.Labels != nil:
		for i, l := range r.Labels {
			if l < 0 || l >= s.Classes {
				return nil, nil, bad(fmt.Sprintf("labels[%d]", i), "%d is outside 0–%d", l, s.Classes-1)
			}
		}
		return x, r.Labels, nil
	}
	l, err := label(s, r.Label)
	return x, repeat(l, n), err
}

func (r *interpolateRequest) check(s model.Config) (from, to []float32, steps, lab int, err error) {
	if from, err = vector("from", r.From, s.Code(), -maxCode, maxCode); err != nil {
		return nil, nil, 0, 0, err
	}
	if to, err = vector("to", r.To, s.Code(), -maxCode, maxCode); err != nil {
		return nil, nil, 0, 0, err
	}
	switch {
	case r.Steps == nil:
		steps = 10
	case *r.Steps < 2 || *r.Steps > MaxSteps:
		return nil, nil, 0, 0, bad("steps", "%d: want 2 to %d", *r.Steps, MaxSteps)
	default:
		steps = *r.Steps
	}
	if err := checkFormat(r.Format); err != nil {
		return nil, nil, 0, 0, err
	}
	lab, err = label(s, r.Label)
	return from, to, steps, lab, err
}
