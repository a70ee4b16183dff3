package main

import (
	"encoding/json"
	"math"
	"os/exec"
	"testing"

	"github.com/govae/govae/internal/testkit/cmdtest"
	"github.com/govae/govae/internal/testkit/fixture"
	"github.com/govae/govae/internal/testkit/mpitest"
)

type result struct {
	ELBO, Recon, KL, NLL float64
	K, N                 int
}

// `mpirun -np 2 eval` prints one result, rank 0's, and it is one process's:
// every image draws its samples from its own stream, so only the encoder's
// batch size differs between the two (float32 rounding of the codes).
func TestMpirunEvaluatesAsOneProcess(t *testing.T) {
	bin := cmdtest.Build(t)
	ck := fixture.Trained(t, fixture.Config(t, nil))
	args := []string{"-checkpoint", ck, "-k", "100", "-n", "25"}
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	var one result
	if err := json.Unmarshal(out, &one); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	out, err = mpitest.Command(t, 2, mpitest.Transports["shared memory"], bin, args...).Output()
	if err != nil {
		t.Fatalf("mpirun: %v\n%s", err, out)
	}
	var two result
	if err := json.Unmarshal(out, &two); err != nil { // one JSON document: a second rank's would not parse
		t.Fatalf("%v: %s", err, out)
	}
	if two.N != 25 || two.K != 100 || math.Abs(two.NLL-one.NLL) > 1e-6*one.NLL || math.Abs(two.ELBO-one.ELBO) > 1e-6*one.ELBO {
		t.Errorf("2 ranks: %+v\none process: %+v", two, one)
	}
}
