package serve

import (
	"bytes"
	"errors"
	"testing"

	"github.com/govae/govae/model"
)

// FuzzRequests feeds arbitrary bodies to every endpoint's decoder and
// checks: never a panic, and every refusal is the client's error (a 4xx
// naming what is wrong), for a plain and a conditional model and one of
// two stochastic layers. Seeds:
// testdata/fuzz/FuzzRequests and the bodies below.
func FuzzRequests(f *testing.F) {
	for _, seed := range []string{
		`{"n": 16, "seed": 3, "label": 7, "format": "png"}`,
		`{"z": [[0.1, -2, 3e5, 0]], "label": 2}`,
		`{"images": [[0, 0.5, 1, 1]], "labels": [1]}`,
		`{"from": [0, 0, 0, 0], "to": [1, 1, 1, 1], "steps": 10, "slerp": true}`,
		`{"z": [[1e999]]}`, `{"n": -1}`, `[]`, `null`, `{"z": [[]]}`, `{"images": null}`,
	} {
		f.Add([]byte(seed))
	}
	sizes := []model.Config{{Input: 4, Hidden: 3, Latent: 4}, {Input: 4, Hidden: 3, Latent: 4, Classes: 3},
		{Input: 4, Hidden: 3, Latent: 4, Stochastic: 2, Hidden2: 3, Latent2: 2}}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, s := range sizes {
			checks := []func() error{
				func() error {
					var r sampleRequest
					if err := decodeJSON(bytes.NewReader(body), &r); err != nil {
						return err
					}
					_, _, err := r.check(s)
					return err
				},
				func() error {
					var r decodeRequest
					if err := decodeJSON(bytes.NewReader(body), &r); err != nil {
						return err
					}
					z, labels, err := r.check(s)
					if err == nil && (len(z) != len(r.Z)*s.Code() || (s.Classes > 0) != (labels != nil)) {
						t.Fatalf("accepted %d codes as %d values with labels %v", len(r.Z), len(z), labels)
					}
					return err
				},
				func() error {
					var r imagesRequest
					if err := decodeJSON(bytes.NewReader(body), &r); err != nil {
						return err
					}
					x, _, err := r.check(s)
					for _, v := range x {
						if !(v >= 0 && v <= 1) {
							t.Fatalf("accepted pixel %v", v)
						}
					}
					return err
				},
				func() error {
					var r interpolateRequest
					if err := decodeJSON(bytes.NewReader(body), &r); err != nil {
						return err
					}
					_, _, steps, _, err := r.check(s)
					if err == nil && (steps < 2 || steps > MaxSteps) {
						t.Fatalf("accepted %d steps", steps)
					}
					return err
				},
			}
			for _, check := range checks {
				var fe *fieldError
				if err := check(); err != nil && !errors.As(err, &fe) {
					t.Fatalf("%q: %v is not a client error", body, err)
				}
			}
		}
	})
}
