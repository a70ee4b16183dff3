package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	for _, content := range []string{"first", "second"} {
		if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, content); return err }); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("file holds %q, want %q", got, content)
		}
	}
}

// A write that fails half-way leaves the previous content and no stray file.
func TestFailedWriteKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	os.WriteFile(path, []byte("good"), 0o644)
	boom := errors.New("disk full")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	if got, _ := os.ReadFile(path); string(got) != "good" {
		t.Errorf("file holds %q after a failed write, want the previous %q", got, "good")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d files, want only the target", len(entries))
	}
}

func TestWriteIntoMissingFolder(t *testing.T) {
	err := Write(filepath.Join(t.TempDir(), "no", "f"), func(io.Writer) error { return nil })
	if err == nil {
		t.Fatal("writing into a missing folder succeeded")
	}
}

// Files are readable by others, like those os.Create makes, not 0600 like
// the temporary files they start as.
func TestWriteMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := Write(path, func(io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v; want 0644", st.Mode().Perm(), err)
	}
}

func TestCheckSpace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := CheckSpace(path, 1); err != nil {
		t.Errorf("one byte: %v", err)
	}
	err := CheckSpace(path, 1<<62)
	if err == nil || !strings.Contains(err.Error(), path+" would take 4.6 EB") {
		t.Errorf("4.6 EB: %v", err)
	}
	for n, want := range map[uint64]string{999: "999 B", 1000: "1.0 kB", 6_272_000_000_000: "6.3 TB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// WriteHeaded puts the header it is given after the body before the body,
// and a header of the wrong length fails the write, leaving the old file.
func TestWriteHeaded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	n := 0
	body := func(w io.Writer) error {
		n, _ = io.WriteString(w, "body of the file")
		return nil
	}
	if err := WriteHeaded(path, 4, body, func() []byte { return []byte{byte(n), 'h', 'd', 'r'} }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "\x10hdrbody of the file" {
		t.Errorf("file holds %q", got)
	}
	if err := WriteHeaded(path, 4, body, func() []byte { return []byte("long header") }); err == nil {
		t.Error("a header of the wrong length was written")
	}
	if got, _ := os.ReadFile(path); string(got) != "\x10hdrbody of the file" {
		t.Errorf("after a failed write the file holds %q", got)
	}
}
