package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Reading a config file: YAML over the defaults, with errors that name the
// file, line and key, and a guess at the key a typo meant.

// KeyError is a configuration value that is wrong, named by its key and, when
// it came from a file, by file and line.
type KeyError struct {
	File string
	Line int
	Key  string
	Msg  string
}

func (e *KeyError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Key, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s: %s", e.File, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Key, e.Msg)
}

// Load reads a YAML file over the defaults: keys it leaves out keep
// their default. An unknown key, a value of the wrong type or an impossible
// value is an error naming the file, line and key.
func Load(path string) (Config, error) {
	if st, err := os.Stat(path); err == nil && st.Size() > maxConfigBytes {
		return Config{}, fmt.Errorf("%s: %d bytes is no config (a config is a few lines of YAML; the limit is %d)", path, st.Size(), maxConfigBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// maxConfigBytes bounds what Load reads, so a wrong path (a data file,
// a device) fails at once instead of filling memory.
const maxConfigBytes = 1 << 20

// Parse is Load for YAML already in memory; name labels errors.
func Parse(name string, data []byte) (Config, error) {
	cfg := Default()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return cfg, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 { // empty file: all defaults
		return cfg, cfg.Validate()
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return cfg, fmt.Errorf("%s:%d: the config must be a mapping of key: value", name, root.Line)
	}
	lines, err := checkKeys(name, root)
	if err != nil {
		return cfg, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return cfg, typeError(name, lines, err)
	}
	if err := cfg.Validate(); err != nil {
		var ke *KeyError
		if errors.As(err, &ke) {
			ke.File, ke.Line = name, lines[ke.Key]
		}
		return cfg, err
	}
	return cfg, nil
}

// checkKeys rejects unknown and repeated keys and returns each key's line.
func checkKeys(name string, root *yaml.Node) (map[string]int, error) {
	known := configKeys()
	lines := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if _, dup := lines[k.Value]; dup {
			return nil, &KeyError{File: name, Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("repeated (first set on line %d)", lines[k.Value])}
		}
		lines[k.Value] = k.Line
		if !known[k.Value] {
			msg := "unknown key"
			if guess := closest(k.Value, known); guess != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", guess)
			}
			return nil, &KeyError{File: name, Line: k.Line, Key: k.Value, Msg: msg}
		}
	}
	return lines, nil
}

// typeError rewrites yaml's "line N: cannot unmarshal ..." to name the key.
func typeError(name string, lines map[string]int, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return fmt.Errorf("%s: %w", name, err)
	}
	msg := te.Errors[0]
	for key, line := range lines {
		prefix := fmt.Sprintf("line %d: ", line)
		if strings.HasPrefix(msg, prefix) {
			return &KeyError{File: name, Line: line, Key: key, Msg: "wrong type: " + strings.TrimPrefix(msg, prefix)}
		}
	}
	return fmt.Errorf("%s: %s", name, msg)
}

// configKeys are the yaml names of Config's fields.
func configKeys() map[string]bool {
	keys := map[string]bool{}
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		keys[strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]] = true
	}
	return keys
}

// closest is the known key a typo most likely meant: one that contains s or
// is contained in it ("latent" → "latent_size"), else the nearest in edit
// distance if it is near enough.
func closest(s string, known map[string]bool) string {
	keys := slices.Sorted(maps.Keys(known))
	for _, k := range keys {
		if strings.Contains(k, s) || strings.Contains(s, k) {
			return k
		}
	}
	best, bestDist := "", max(2, len(s)/3)+1
	for _, k := range keys {
		if d := editDistance(s, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
