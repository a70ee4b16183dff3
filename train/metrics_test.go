package train

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The training docs list metrics.csv's columns as the trainer writes them.
func TestDocsListMetricsColumns(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "training.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "`"+metricsHeader+"`") {
		t.Errorf("docs/training.md does not list metrics.csv's columns as %q", metricsHeader)
	}
}
