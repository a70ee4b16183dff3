package likelihood

import (
	"math"
	"strings"
	"testing"

	"github.com/govae/govae/config"
	"github.com/govae/govae/dataset"
)

// The reconstruction at the code is the BCE of the decoder's means at mu,
// computed here by a direct loop over Model.Encode and Model.Decode; a
// plain autoencoder is evaluated on it alone, and asked for an NLL says why
// it has none.
func TestReconstructionAtTheCode(t *testing.T) {
	for _, variational := range []bool{true, false} {
		m, set := trainedOnFixture(t, func(c *config.Config) { c.Variational = variational })
		const n = 40
		x := make([]float32, n*set.Size())
		set.Gather(dataset.Sequential(n), x)
		codes, err := m.Encode(x, nil)
		if err != nil {
			t.Fatal(err)
		}
		means, err := m.Decode(codes.Mu, nil)
		if err != nil {
			t.Fatal(err)
		}
		var want float64
		for i, p := range means {
			p := min(max(float64(p), 1e-12), 1-1e-12)
			want -= float64(x[i])*math.Log(p) + (1-float64(x[i]))*math.Log(1-p)
		}
		want /= n
		k := 20
		if !variational {
			k = 0
		}
		r, err := Evaluate(m, set, Options{K: k, N: n, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.Reconstruction-want) > 1e-4*want {
			t.Errorf("variational %v: reconstruction %.6f, direct loop %.6f", variational, r.Reconstruction, want)
		}
		if !variational {
			if r.NLL != 0 || r.NegELBO != 0 || r.K != 0 {
				t.Errorf("an autoencoder got an NLL or an ELBO: %+v", r)
			}
			_, err := Evaluate(m, set, Options{K: 5000, N: n})
			if err == nil || !strings.Contains(err.Error(), "k 5000: a plain autoencoder (variational: false) has no likelihood to estimate") {
				t.Errorf("an autoencoder asked for an NLL: %v", err)
			}
		}
	}
}
