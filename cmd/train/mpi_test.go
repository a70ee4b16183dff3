package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/govae/govae/internal/testkit/cmdtest"
	"github.com/govae/govae/internal/testkit/mpitest"
	"github.com/govae/govae/train"
)

// mpiConfig is a small model on the fixture: 16 steps of 32 images an epoch.
func mpiConfig(t *testing.T, dir string) string {
	t.Helper()
	cfg := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(cfg, []byte("hidden_size: 64\nlatent_size: 8\nbatch_size: 32\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// logLines are the JSON log lines of a run's stderr with the given message.
func logLines(out []byte, msg string) []map[string]any {
	var lines []map[string]any
	for _, l := range bytes.Split(out, []byte("\n")) {
		var m map[string]any
		if json.Unmarshal(l, &m) == nil && m["msg"] == msg {
			lines = append(lines, m)
		}
	}
	return lines
}

// weightsDiff is ‖a − b‖ / ‖b‖ over two checkpoints' weights.
func weightsDiff(t *testing.T, a, b string) float64 {
	t.Helper()
	ca, err := train.LoadCheckpoint(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := train.LoadCheckpoint(b)
	if err != nil {
		t.Fatal(err)
	}
	var d, n float64
	for i, w := range ca.Model.Weights {
		for j, x := range w.Data {
			y := cb.Model.Weights[i].Data[j]
			d += float64(x-y) * float64(x-y)
			n += float64(y) * float64(y)
		}
	}
	return math.Sqrt(d / n)
}

// weightsTol bounds the relative difference between the weights of a run on
// 2 ranks and on one process: only the order of float32 sums differs (the
// train package's tests measure ~3e-8 on its tiny model; see its
// group_test.go), while a rank on the wrong rows or noise is off by 1e-2.
const weightsTol = 1e-5

// `mpirun -np 2` over shared memory and over TCP trains 2 epochs: the two
// ranks log the same weights' digest after each epoch, rank 0 alone logs
// the epochs, and the checkpoint matches a one-process run's. Bound to a
// core each (mpirun's default for 2 ranks) or not bound at all (the TCP
// run), a rank uses at most half the machine's CPUs.
func TestMpirunTrainsAsOneProcess(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	cfg := mpiConfig(t, dir)
	one := filepath.Join(dir, "one")
	if out, err := exec.Command(bin, "-config", cfg, "-data", fixtureDir, "-out", one, "-epochs", "2").CombinedOutput(); err != nil {
		t.Fatalf("one process: %v\n%s", err, out)
	}
	for name, transport := range mpitest.Transports {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			if name == "tcp" {
				transport = append([]string{"--bind-to", "none"}, transport...)
			}
			cmd := mpitest.Command(t, 2, transport, bin, "-config", cfg, "-data", fixtureDir, "-out", out, "-epochs", "2", "-log", "json")
			log, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("mpirun: %v\n%s", err, log)
			}
			agree := logLines(log, "weights agree")
			if len(agree) != 4 {
				t.Fatalf("%d \"weights agree\" lines, want 2 ranks × 2 epochs:\n%s", len(agree), log)
			}
			digests := map[float64]map[any]bool{}
			for _, l := range agree {
				e := l["epoch"].(float64)
				if digests[e] == nil {
					digests[e] = map[any]bool{}
				}
				digests[e][l["weights"]] = true
			}
			for e, ds := range digests {
				if len(ds) != 1 {
					t.Errorf("epoch %v: the ranks logged different digests %v", e, ds)
				}
			}
			products := logLines(log, "matrix products")
			if len(products) != 1 {
				t.Errorf("%d \"matrix products\" lines, want rank 0's", len(products))
			}
			for _, l := range products {
				if cpus := l["cpus"].(float64); int(cpus) > max(1, runtime.NumCPU()/2) {
					t.Errorf("a rank of 2 uses %v of %d CPUs", cpus, runtime.NumCPU())
				}
			}
			if done := logLines(log, "epoch done"); len(done) != 2 {
				t.Errorf("%d \"epoch done\" lines, want 2 (rank 0's only)", len(done))
			}
			d := weightsDiff(t, filepath.Join(out, train.CheckpointFile), filepath.Join(one, train.CheckpointFile))
			t.Logf("2 ranks vs one process: weights differ by %.2g (relative)", d)
			if d > weightsTol {
				t.Errorf("2 ranks' weights differ from one process's by %.3g, more than %g", d, weightsTol)
			}
		})
	}
}

// A checkpoint written by 2 ranks resumes in one process, and one written
// by one process resumes under mpirun: both end where 2 straight epochs
// in one process do.
func TestMpirunCheckpointsResumeAcrossRankCounts(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	cfg := mpiConfig(t, dir)
	run := func(cmd *exec.Cmd) {
		t.Helper()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
		}
	}
	shm := mpitest.Transports["shared memory"]
	straight, twoThenOne, oneThenTwo := filepath.Join(dir, "straight"), filepath.Join(dir, "2then1"), filepath.Join(dir, "1then2")
	run(exec.Command(bin, "-config", cfg, "-data", fixtureDir, "-out", straight, "-epochs", "2"))
	run(mpitest.Command(t, 2, shm, bin, "-config", cfg, "-data", fixtureDir, "-out", twoThenOne, "-epochs", "1"))
	run(exec.Command(bin, "-resume", filepath.Join(twoThenOne, train.CheckpointFile), "-epochs", "2"))
	run(exec.Command(bin, "-config", cfg, "-data", fixtureDir, "-out", oneThenTwo, "-epochs", "1"))
	run(mpitest.Command(t, 2, shm, bin, "-resume", filepath.Join(oneThenTwo, train.CheckpointFile), "-epochs", "2"))
	for _, out := range []string{twoThenOne, oneThenTwo} {
		if d := weightsDiff(t, filepath.Join(out, train.CheckpointFile), filepath.Join(straight, train.CheckpointFile)); d > weightsTol {
			t.Errorf("%s: weights differ from 2 straight epochs by %.3g", filepath.Base(out), d)
		}
	}
}

// A rank killed with SIGKILL mid-run ends the whole job, non-zero, within
// 30 seconds, and the last checkpoint still loads.
func TestMpirunRankKilled(t *testing.T) {
	bin := cmdtest.Build(t)
	out := t.TempDir()
	cfg := mpiConfig(t, out)
	cmd := mpitest.Command(t, 2, mpitest.Transports["shared memory"], bin, "-config", cfg, "-data", fixtureDir, "-out", out, "-epochs", "100000", "-log", "json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stderr)
	for lines.Scan() && !strings.Contains(lines.Text(), `"msg":"epoch done"`) {
	}
	go func() {
		for lines.Scan() {
		}
	}()
	ranks := children(cmd.Process.Pid)
	if len(ranks) != 2 {
		t.Fatalf("mpirun has children %v, want its 2 ranks", ranks)
	}
	syscall.Kill(ranks[1], syscall.SIGKILL)
	killed := time.Now()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		t.Logf("mpirun exited %.1f s after the kill: %v", time.Since(killed).Seconds(), err)
		if err == nil {
			t.Error("mpirun exited 0 after a rank was killed")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the job still runs 30 s after one of its ranks was killed")
	}
	if _, err := train.LoadCheckpoint(filepath.Join(out, train.CheckpointFile)); err != nil {
		t.Errorf("the last checkpoint does not load: %v", err)
	}
}

// children are the processes whose parent is pid.
func children(pid int) []int {
	var kids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after its ')'.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			kids = append(kids, child)
		}
	}
	return kids
}

// Missing data under mpirun fails on every rank with the same one line,
// and the job ends rather than waits.
func TestMpirunBadDataFailsEveryRank(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-folder")
	cmd := mpitest.Command(t, 2, mpitest.Transports["shared memory"], bin, "-data", missing, "-out", dir)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("mpirun exited 0 with missing data:\n%s", out)
	}
	if s := time.Since(start); s > 30*time.Second {
		t.Errorf("took %v to fail", s)
	}
	var failures int
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "train: ") && strings.Contains(l, missing) {
			failures++
		}
	}
	if failures != 2 || strings.Contains(string(out), "goroutine ") {
		t.Errorf("%d ranks said \"train: ...%s...\", want 2 and no stack trace:\n%s", failures, missing, out)
	}
}
