// Package doctest checks that the code blocks of the README and of docs/ run
// as written: the commands that need no more than the README's trained
// checkpoint (sample, export, graph, shapes) run for real, on a small model
// trained here in its place; every other govae command line parses with the
// flags it shows and names files that exist; every `go test` names a package
// that exists; and every whole Go program compiles against the module.
package doctest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/govae/govae/internal/testkit/fixture"
)

// root is the module's folder.
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// block is one fenced code block of a Markdown file.
type block struct {
	file string
	line int
	lang string
	text string
}

var fence = regexp.MustCompile("(?m)^```([a-z]*)\n((?s:.*?))^```")

func blocks(t *testing.T) []block {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root(), "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []block
	for _, f := range append([]string{filepath.Join(root(), "README.md")}, files...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range fence.FindAllSubmatchIndex(b, -1) {
			out = append(out, block{
				file: filepath.Base(f),
				line: 1 + strings.Count(string(b[:m[0]]), "\n"),
				lang: string(b[m[2]:m[3]]),
				text: string(b[m[4]:m[5]]),
			})
		}
	}
	if len(out) < 10 {
		t.Fatalf("found only %d code blocks", len(out))
	}
	return out
}

// commands splits a shell block into simple commands: continuations joined,
// comments dropped, split at ;, &&, || and |, leading VAR=value and
// parentheses left out.
func commands(text string) [][]string {
	text = strings.ReplaceAll(text, "\\\n", " ")
	var out [][]string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, part := range regexp.MustCompile(`&&|\|\||;|\|`).Split(line, -1) {
			words := strings.Fields(strings.Trim(strings.TrimSpace(part), "()"))
			for len(words) > 0 && regexp.MustCompile(`^[A-Z_]+=`).MatchString(words[0]) {
				words = words[1:]
			}
			if len(words) > 0 {
				out = append(out, words)
			}
		}
	}
	return out
}

func TestShellBlocks(t *testing.T) {
	dir := root()
	govae := filepath.Join(t.TempDir(), "govae")
	cmd := exec.Command("go", "build", "-o", govae, "./cmd/govae")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ck := trainedCheckpoint(t)
	work := t.TempDir()
	checked, ran := 0, 0
	for _, b := range blocks(t) {
		if b.lang != "sh" && b.lang != "bash" {
			continue
		}
		for _, words := range commands(b.text) {
			where := b.file + ":" + strings.Join(words, " ")
			var args []string
			if words[0] == "mpirun" { // mpirun's own flags, then the program
				words = afterMpirun(words)
			}
			switch {
			case len(words) == 0:
				continue
			case words[0] == "govae" && len(words) > 1:
				args = words[1:]
			case len(words) > 2 && words[0] == "go" && words[1] == "run" && strings.HasPrefix(words[2], "./cmd/"):
				args = append([]string{strings.TrimPrefix(words[2], "./cmd/")}, words[3:]...)
			case len(words) > 2 && words[0] == "go" && words[1] == "test":
				checkPackages(t, where, words[2:])
				checked++
				continue
			case words[0] == "bash" && len(words) > 1:
				exists(t, where, words[1])
				checked++
				continue
			default:
				continue
			}
			if args[0] == "help" {
				continue
			}
			for i, a := range args[:len(args)-1] {
				if a == "-config" {
					exists(t, where, args[i+1])
				}
			}
			checked++
			if real, ok := runnable(args, ck, dir); ok {
				run := exec.Command(govae, real...)
				run.Dir = work
				if out, err := run.CombinedOutput(); err != nil {
					t.Errorf("%s: %v\n%s", where, err, out)
				}
				ran++
				continue
			}
			// -h after the flags: each flag shown must parse; the command
			// then prints its usage and does nothing.
			run := exec.Command(govae, append(args, "-h")...)
			run.Dir = dir
			if out, err := run.CombinedOutput(); err != nil {
				t.Errorf("%s: %v\n%s", where, err, out)
			}
		}
	}
	t.Logf("checked %d commands, ran %d of them", checked, ran)
	if checked < 20 || ran < 15 {
		t.Errorf("checked %d commands and ran %d of them", checked, ran)
	}
}

// afterMpirun is the program an mpirun line starts, with its arguments:
// the words from the first that names govae (or its path), or none.
func afterMpirun(words []string) []string {
	for i, w := range words {
		if w == "govae" || strings.HasSuffix(w, "/govae") {
			return append([]string{"govae"}, words[i+1:]...)
		}
	}
	return nil
}

// trainedCheckpoint trains a small model on the fixture for one epoch, as
// the README's main job trains the real one: a checkpoint with metrics.csv
// beside it, whose data is the fixture.
func trainedCheckpoint(t *testing.T) string {
	t.Helper()
	return fixture.Trained(t, fixture.Config(t, nil))
}

// runnable is the command with the README's checkpoint replaced by ck and
// the repository's files by their paths under dir, when it is one that runs
// in seconds on that checkpoint; ok is false for the others (training,
// evaluating at K = 5,000, serving, importing, and any other checkpoint).
func runnable(args []string, ck, dir string) (real []string, ok bool) {
	switch args[0] {
	case "sample", "export", "graph", "shapes":
	default:
		return nil, false
	}
	for i, a := range args {
		switch {
		case a == "out/mnist/checkpoint.ckpt" || a == "$CK":
			a = ck
		case strings.HasPrefix(a, "out/") || strings.HasPrefix(a, "$") || a == "-z":
			return nil, false // another run's checkpoint, or a file made elsewhere
		case strings.HasPrefix(a, "configs/"):
			a = filepath.Join(dir, a)
		case i > 0 && args[i-1] == "-n" && args[0] == "sample":
			a = "16" // as many images as asked would only take longer
		}
		real = append(real, a)
	}
	return real, true
}

// checkPackages: the packages a `go test` line names exist.
func checkPackages(t *testing.T, where string, args []string) {
	for _, a := range args {
		if strings.HasPrefix(a, "./") && !strings.HasSuffix(a, "...") {
			exists(t, where, a)
		}
	}
}

func exists(t *testing.T, where, path string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(root(), path)); err != nil {
		t.Errorf("%s: %v", where, err)
	}
}

// TestGoPrograms compiles every Go block that is a whole program (starts
// with "package main") as a package of this module, through an overlay, so
// that nothing is written into the tree.
func TestGoPrograms(t *testing.T) {
	n := 0
	for _, b := range blocks(t) {
		if b.lang != "go" || !strings.HasPrefix(b.text, "package main") {
			continue
		}
		src := filepath.Join(t.TempDir(), "main.go")
		if err := os.WriteFile(src, []byte(b.text), 0o644); err != nil {
			t.Fatal(err)
		}
		pkg := filepath.Join(root(), "internal", "testkit", "doctest", "program")
		overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(pkg, "main.go"): src}})
		ov := filepath.Join(t.TempDir(), "overlay.json")
		if err := os.WriteFile(ov, overlay, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("go", "build", "-overlay", ov, "-o", os.DevNull, "./internal/testkit/doctest/program")
		cmd.Dir = root()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s:%d: the Go program does not compile: %v\n%s", b.file, b.line, err, out)
		}
		n++
	}
	if n == 0 {
		t.Error("no Go program found in the README or docs/")
	}
}
