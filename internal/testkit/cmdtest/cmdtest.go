// Package cmdtest builds the project's commands in tests and checks how they
// fail: a non-zero exit status and one clear last line, never a stack trace.
package cmdtest

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Build compiles the command in the current folder and returns its path.
func Build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cmd")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Fails runs bin with args in dir and checks that it exits non-zero without
// a panic, its last line on stderr reading "<prefix>: ...<want>...".
func Fails(t *testing.T, bin, dir, prefix string, args []string, want string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() == 0 {
		t.Fatalf("exit: %v, want a non-zero status", err)
	}
	msg := strings.TrimSpace(stderr.String())
	if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine ") {
		t.Fatalf("stack trace on bad input:\n%s", msg)
	}
	last := msg[strings.LastIndex(msg, "\n")+1:]
	if !strings.HasPrefix(last, prefix+": ") || !strings.Contains(last, want) {
		t.Errorf("last line %q, want \"%s: ...%s...\"", last, prefix, want)
	}
}
