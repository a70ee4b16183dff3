package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/govae/govae/internal/testkit/cmdtest"
	"github.com/govae/govae/model"
	"github.com/govae/govae/train"
)

var fixtureDir, _ = filepath.Abs(filepath.Join("..", "..", "dataset", "testdata", "mnist"))

// unzipped returns the fixture's file name.gz, decompressed.
func unzipped(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtureDir, name+".gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func gzipped(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

// TestBadData points the trainer at MNIST folders with one broken file each.
func TestBadData(t *testing.T) {
	bin := cmdtest.Build(t)
	images := unzipped(t, "train-images-idx3-ubyte")
	labels := unzipped(t, "train-labels-idx1-ubyte")
	small := append([]byte{0, 0, 8, 3, 0, 0, 2, 0, 0, 0, 0, 14, 0, 0, 0, 14}, make([]byte, 512*14*14)...)
	tests := []struct {
		name, file string // file: which training file to replace
		content    []byte // nil: make it a directory; "missing": remove it
		want       string
	}{
		{"truncated", "train-images-idx3-ubyte", images[:len(images)-5], "truncated: header [512 28 28] promises 401408 bytes of data, found 401403"},
		{"wrong magic", "train-images-idx3-ubyte", append([]byte{7, 7}, images[2:]...), "bad magic number"},
		{"wrong element type", "train-images-idx3-ubyte", append([]byte{0, 0, 0x0D}, images[3:]...), "element type 0x0d (float) is not supported"},
		{"wrong dimension count", "train-labels-idx1-ubyte", append([]byte{0, 0, 8, 2, 0, 0, 2, 0, 0, 0, 0, 1}, labels[8:]...), "labels need 1 dimension (count), header has 2"},
		{"counts differ", "train-labels-idx1-ubyte", append(binary.BigEndian.AppendUint32([]byte{0, 0, 8, 1}, 511), labels[8:len(labels)-1]...), "has 512 images but"},
		{"gzip cut off", "train-images-idx3-ubyte.gz", gzipped(images)[:5000], "file ends early (truncated)"},
		{"gzip corrupt", "train-images-idx3-ubyte.gz", corruptTail(gzipped(images)), "gzip: invalid checksum"},
		{"empty file", "train-images-idx3-ubyte", []byte{}, "file ends early"},
		{"directory", "train-images-idx3-ubyte", nil, "is a directory"},
		{"missing", "train-images-idx3-ubyte", []byte("missing"), "no train-images-idx3-ubyte or train-images-idx3-ubyte.gz"},
		{"wrong image size", "train-images-idx3-ubyte", small, "training images are 14×14 but test images are 28×28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, name := range []string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"} {
				if filepath.Base(tt.file) == name || tt.file == name+".gz" {
					continue
				}
				os.WriteFile(filepath.Join(dir, name), unzipped(t, name), 0o644)
			}
			path := filepath.Join(dir, tt.file)
			switch {
			case tt.content == nil:
				os.Mkdir(path, 0o755)
			case string(tt.content) == "missing":
			default:
				os.WriteFile(path, tt.content, 0o644)
			}
			want := tt.want
			cmdtest.Fails(t, bin, dir, "train", []string{"-data", dir, "-out", t.TempDir(), "-epochs", "1"}, want)
		})
	}
}

func corruptTail(gz []byte) []byte {
	out := append([]byte(nil), gz...)
	out[len(out)-6] ^= 0xff // inside the CRC-32 trailer
	return out
}

// TestBadCheckpoints resumes from broken checkpoints and from an output
// folder that cannot be written.
func TestBadCheckpoints(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	good := smallRun(t, bin, dir, 1)
	data, _ := os.ReadFile(good)
	write := func(name string, content []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, content, 0o644)
		return p
	}
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)/3] ^= 4
	newer := append([]byte(nil), data...)
	binary.BigEndian.PutUint32(newer[len("GOVAE-CHECKPOINT\n"):], model.FormatVersion+1)
	blocker := write("a-file", []byte("x"))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing", []string{"-resume", filepath.Join(dir, "gone.ckpt")}, "gone.ckpt: no such file"},
		{"empty", []string{"-resume", write("empty.ckpt", nil)}, "not a govae checkpoint (file too short)"},
		{"truncated", []string{"-resume", write("cut.ckpt", data[:len(data)*2/3])}, "truncated or padded"},
		{"bit flipped", []string{"-resume", write("flip.ckpt", flipped)}, "checksum mismatch: the file is corrupted"},
		{"newer version", []string{"-resume", write("new.ckpt", newer)}, "written by a newer govae"},
		{"out not writable", []string{"-resume", good, "-epochs", "2", "-out", filepath.Join(blocker, "sub")}, "out_dir: mkdir " + blocker + ": not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Fails(t, bin, dir, "train", append(tt.args, "-data", fixtureDir), tt.want)
		})
	}
}

// smallRun trains a small model on the fixture into out and returns its checkpoint.
func smallRun(t *testing.T, bin, out string, epochs int, extra ...string) string {
	t.Helper()
	cfg := filepath.Join(out, "small.yaml")
	os.WriteFile(cfg, []byte("hidden_size: 64\nlatent_size: 8\nbatch_size: 8\n"), 0o644)
	args := append([]string{"-config", cfg, "-data", fixtureDir, "-out", out, "-epochs", strconv.Itoa(epochs)}, extra...)
	if msg, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, msg)
	}
	return filepath.Join(out, train.CheckpointFile)
}

// TestDivergenceKeepsLastCheckpoint: a run that diverges stops with the
// epoch and step, exits non-zero, and leaves the last good checkpoint.
func TestDivergenceKeepsLastCheckpoint(t *testing.T) {
	bin := cmdtest.Build(t)
	out := t.TempDir()
	good := smallRun(t, bin, out, 1)
	before, _ := os.ReadFile(good)
	hot := filepath.Join(out, "hot.yaml")
	os.WriteFile(hot, []byte("lr: 1000\nhidden_size: 64\nlatent_size: 8\nbatch_size: 8\n"), 0o644)
	// A new run with a learning rate that blows up, into the same folder.
	cmdtest.Fails(t, bin, out, "train", []string{"-config", hot, "-data", fixtureDir, "-out", out},
		"epoch 1 step 3: loss is NaN: not finite: training diverged")
	after, _ := os.ReadFile(good)
	if !bytes.Equal(before, after) {
		t.Error("the diverged run replaced the checkpoint that was there")
	}
	if _, err := train.LoadCheckpoint(good); err != nil {
		t.Error(err)
	}
}

// TestSIGINTThenResume interrupts a real training process mid-epoch, resumes
// it, and compares the end with an uninterrupted run. The interrupt comes a
// few milliseconds after the run logs that training starts (its handler is
// in place by then), tried again at other delays should it land between two
// epochs: an epoch of this small model takes about 20 ms, nine of them more.
func TestSIGINTThenResume(t *testing.T) {
	const epochs = 9
	bin := cmdtest.Build(t)
	straight := smallRun(t, bin, t.TempDir(), epochs)

	out := t.TempDir()
	var partial *train.Checkpoint
	for _, delay := range []time.Duration{16, 8, 32, 4, 64, 2} {
		if partial != nil {
			break
		}
		delay *= time.Millisecond
		os.RemoveAll(out)
		os.MkdirAll(out, 0o755)
		cfg := filepath.Join(out, "small.yaml")
		os.WriteFile(cfg, []byte("hidden_size: 64\nlatent_size: 8\nbatch_size: 8\n"), 0o644)
		cmd := exec.Command(bin, "-config", cfg, "-data", fixtureDir, "-out", out, "-epochs", strconv.Itoa(epochs), "-log", "json")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			log.Write(append(lines.Bytes(), '\n'))
			if bytes.Contains(lines.Bytes(), []byte(`"msg":"training"`)) {
				break
			}
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGINT)
		io.Copy(&log, stderr)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("interrupted run: %v\n%s", err, log.String())
		}
		ck, err := train.LoadCheckpoint(filepath.Join(out, train.CheckpointFile))
		if err == nil && ck.Partial != nil && ck.Partial.Step > 0 {
			partial = ck
			t.Logf("interrupted in epoch %d after step %d (%v after training began)", ck.Model.Epoch+1, ck.Partial.Step, delay)
		}
	}
	if partial == nil {
		t.Fatal("never caught the run mid-epoch")
	}
	resumed := filepath.Join(out, train.CheckpointFile)
	if msg, err := exec.Command(bin, "-resume", resumed).CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, msg)
	}
	a, err := train.LoadCheckpoint(straight)
	if err != nil {
		t.Fatal(err)
	}
	b, err := train.LoadCheckpoint(resumed)
	if err != nil {
		t.Fatal(err)
	}
	if a.Model.Epoch != epochs || b.Model.Epoch != epochs || !reflect.DeepEqual(a.Model.Weights, b.Model.Weights) || !reflect.DeepEqual(a.Adam, b.Adam) {
		t.Errorf("after %d epochs the interrupted-and-resumed run differs from the uninterrupted one (epochs %d, %d)", epochs, a.Model.Epoch, b.Model.Epoch)
	}
}
