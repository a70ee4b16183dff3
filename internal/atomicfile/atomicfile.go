// Package atomicfile writes files so that a reader sees either the old
// content or the new, never a half-written file: the bytes go to a temporary
// file in the same folder, which is synced and then renamed over the target.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates or replaces path with what write produces. If write or any
// step after it fails, path keeps its previous content and the temporary file
// is removed.
func Write(path string, write func(w io.Writer) error) error {
	return WriteHeaded(path, 0, write, nil)
}

// WriteHeaded is Write for a file that opens with a header of n bytes known
// only once the rest is written (its length, its checksum): body writes what
// follows the header, then header returns the n bytes that go before it. So
// the body streams to the file and is never held whole in memory.
func WriteHeaded(path string, n int, body func(w io.Writer) error, header func() []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Seek(int64(n), io.SeekStart); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	buf := bufio.NewWriterSize(tmp, 1<<20)
	if err = body(buf); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = buf.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if n > 0 {
		if h := header(); len(h) != n {
			err = fmt.Errorf("write %s: header of %d bytes, want %d", path, len(h), n)
			return err
		} else if _, err = tmp.WriteAt(h, 0); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable where the platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
