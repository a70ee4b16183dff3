package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseConfig: any bytes give a valid config or an error, never a panic.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"mnist.yaml", "mnist-cvae.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "configs", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("lr: [1\nbatch_size: -3\n"))
	f.Add([]byte("epochs: 1e999\n&a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data)
		if err == nil {
			if verr := cfg.Validate(); verr != nil {
				t.Fatalf("accepted a config that does not validate: %v", verr)
			}
		}
	})
}
