package mathf32

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// ulps is the error of got against the float64 value want, in units of
// float32's last place at want.
func ulps(got float32, want float64) float64 {
	if want == 0 {
		return math.Abs(float64(got)) / 0x1p-149
	}
	exp := math.Floor(math.Log2(math.Abs(want)))
	return math.Abs(float64(got)-want) / math.Exp2(exp-23)
}

// TestAccuracy sweeps each function's domain densely and bounds the error.
func TestAccuracy(t *testing.T) {
	tests := []struct {
		name    string
		f       func(dst, x []float32)
		want    func(float64) float64
		lo, hi  float64
		maxULPs float64
	}{
		{"ExpNeg", ExpNeg, math.Exp, -87, 0, 2},
		{"Log1p", Log1p, math.Log1p, -0.5, 1, 2},
		{"Log1p near -½", Log1p, math.Log1p, -0.5, -0.25, 2},
		{"Log1p of tiny values", Log1p, math.Log1p, 0, 1e-6, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const n = 1 << 20
			x := make([]float32, n+1)
			for i := range x {
				x[i] = float32(tt.lo + (tt.hi-tt.lo)*float64(i)/n)
			}
			got := make([]float32, len(x))
			tt.f(got, x)
			worst, at := 0.0, float32(0)
			for i, v := range x {
				if e := ulps(got[i], tt.want(float64(v))); e > worst {
					worst, at = e, v
				}
			}
			t.Logf("worst error %.2f ulp at %g", worst, at)
			if worst > tt.maxULPs {
				t.Errorf("error %.2f ulp at x = %g, want at most %g", worst, at, tt.maxULPs)
			}
		})
	}
}

func TestExactValues(t *testing.T) {
	tests := []struct {
		name string
		f    func(dst, x []float32)
		x    float32
		want float32
	}{
		{"exp(0)", ExpNeg, 0, 1},
		{"exp(-ln2)", ExpNeg, -float32(math.Ln2), 0.5},
		{"exp(-87)", ExpNeg, -87, float32(math.Exp(-87))},
		{"exp(-1000) clamps", ExpNeg, -1000, float32(math.Exp(-87))},
		{"exp(-Inf) clamps", ExpNeg, float32(math.Inf(-1)), float32(math.Exp(-87))},
		{"log1p(0)", Log1p, 0, 0},
		{"log1p(1)", Log1p, 1, float32(math.Ln2)},
		{"log1p(1e-30)", Log1p, 1e-30, 1e-30},
		{"log1p(-1e-30)", Log1p, -1e-30, -1e-30},
		{"log1p(-½)", Log1p, -0.5, -float32(math.Ln2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []float32{0}
			tt.f(got, []float32{tt.x})
			if e := ulps(got[0], float64(tt.want)); e > 1 {
				t.Errorf("got %g, want %g", got[0], tt.want)
			}
		})
	}
}

// TestNaN checks that a NaN goes through as NaN, so that a diverged model's
// loss reads as NaN rather than as a number.
func TestNaN(t *testing.T) {
	nan := float32(math.NaN())
	for name, f := range map[string]func(dst, x []float32){"ExpNeg": ExpNeg, "Log1p": Log1p} {
		got := []float32{0}
		f(got, []float32{nan})
		if got[0] == got[0] {
			t.Errorf("%s(NaN) = %g, want NaN", name, got[0])
		}
	}
}

// TestInPlaceAndLengths checks dst == x and lengths around Block.
func TestInPlaceAndLengths(t *testing.T) {
	for _, n := range []int{0, 1, Block - 1, Block, Block + 1, 3*Block + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			x := make([]float32, n)
			for i := range x {
				x[i] = -float32(rng.Float64() * 20)
			}
			want := make([]float32, n)
			for i, v := range x {
				want[i] = float32(math.Exp(float64(v)))
			}
			ExpNeg(x, x)
			for i := range x {
				if e := ulps(x[i], float64(want[i])); e > 2 {
					t.Fatalf("x[%d] = %g in place, want %g", i, x[i], want[i])
				}
			}
		})
	}
}
