package atomicfile

import (
	"fmt"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// CheckSpace reports, before anything is written, that a file of size bytes
// at path would not fit on its disk. Where the free space cannot be read it
// says nothing, and the write itself will tell.
func CheckSpace(path string, size uint64) error {
	var st unix.Statfs_t
	if err := unix.Statfs(filepath.Dir(path), &st); err != nil {
		return nil
	}
	if free := st.Bavail * uint64(st.Bsize); size > free {
		return fmt.Errorf("%s would take %s; its disk has %s free", path, Bytes(size), Bytes(free))
	}
	return nil
}

// Bytes formats a size for a person: 6.3 TB, 512 MB, 40 kB.
func Bytes(n uint64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	value, prefix := float64(n), 0
	for value >= unit && prefix < 6 {
		value /= unit
		prefix++
	}
	return fmt.Sprintf("%.1f %cB", value, " kMGTPE"[prefix])
}
