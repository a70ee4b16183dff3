package mpi_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/govae/govae/internal/mpi"
	"github.com/govae/govae/internal/testkit/mpitest"
)

// rankProgram is the variable that makes this test binary run as one rank
// of an mpirun job (see TestMain) rather than as the tests.
const rankProgram = "GOVAE_MPI_RANK_PROGRAM"

func TestMain(m *testing.M) {
	if os.Getenv(rankProgram) != "" {
		if err := collectives(); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if benched { // under mpirun (bench/mpi.sh): leave the job as MPI asks
		if w, err := world(); err == nil {
			w.Close()
		}
	}
	os.Exit(code)
}

// collectives is what each rank runs: a sum of float32s, one of float64s
// and a broadcast, each printed with the rank for the test to read.
func collectives() error {
	w, err := mpi.Join()
	if err != nil {
		return err
	}
	r := float32(w.Rank())
	f32 := []float32{r + 1, 0.5, -r}
	if err := w.SumFloat32(f32); err != nil {
		return err
	}
	f64 := []float64{float64(r) * 0.25, 1}
	if err := w.SumFloat64(f64); err != nil {
		return err
	}
	msg := []byte(fmt.Sprintf("from rank %d", w.Rank()))
	if err := w.Broadcast(msg); err != nil {
		return err
	}
	fmt.Printf("rank %d of %d: %v %v %q\n", w.Rank(), w.Size(), f32, f64, msg)
	return w.Close()
}

// Three ranks under the real mpirun, over shared memory and over TCP, each
// get every rank's sums and rank 0's bytes.
func TestCollectivesUnderMpirun(t *testing.T) {
	for name, transport := range mpitest.Transports {
		t.Run(name, func(t *testing.T) {
			cmd := mpitest.Command(t, 3, transport, os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), rankProgram+"=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("mpirun: %v\n%s", err, out)
			}
			var got []string
			for _, line := range strings.Split(string(out), "\n") {
				if strings.HasPrefix(line, "rank ") {
					got = append(got, line)
				}
			}
			slices.Sort(got)
			want := []string{
				`rank 0 of 3: [6 1.5 -3] [0.75 3] "from rank 0"`,
				`rank 1 of 3: [6 1.5 -3] [0.75 3] "from rank 0"`,
				`rank 2 of 3: [6 1.5 -3] [0.75 3] "from rank 0"`,
			}
			if !slices.Equal(got, want) {
				t.Errorf("ranks printed\n%s\nwant\n%s\n(all output:\n%s)", strings.Join(got, "\n"), strings.Join(want, "\n"), out)
			}
		})
	}
}

func TestShare(t *testing.T) {
	for _, tt := range []struct {
		n, size int
		want    [][2]int
	}{
		{128, 2, [][2]int{{0, 64}, {64, 128}}},
		{5, 3, [][2]int{{0, 1}, {1, 3}, {3, 5}}},
		{1, 2, [][2]int{{0, 0}, {0, 1}}}, // a rank may get nothing
		{7, 1, [][2]int{{0, 7}}},
	} {
		for r, want := range tt.want {
			if lo, hi := mpi.Share(tt.n, r, tt.size); lo != want[0] || hi != want[1] {
				t.Errorf("Share(%d, %d, %d) = [%d, %d), want %v", tt.n, r, tt.size, lo, hi, want)
			}
		}
	}
}

// Launched by no mpirun, a process stays alone; Join where no Open MPI is
// installed names the package to install.
func TestLaunched(t *testing.T) {
	t.Setenv("OMPI_COMM_WORLD_SIZE", "")
	os.Unsetenv("OMPI_COMM_WORLD_SIZE")
	if mpi.Launched() {
		t.Error("Launched without mpirun's variables")
	}
	t.Setenv("OMPI_COMM_WORLD_SIZE", "2")
	if !mpi.Launched() {
		t.Error("not Launched with OMPI_COMM_WORLD_SIZE set")
	}
}
