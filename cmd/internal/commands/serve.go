package commands

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/govae/govae/internal/blas/openblas"
	"github.com/govae/govae/internal/logging"
	"github.com/govae/govae/model"
	"github.com/govae/govae/serve"
)

// Serve runs govae serve with the arguments after the command's name (see cmd/serve).
func Serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var checkpoints checkpointList
	fs.Var(&checkpoints, "checkpoint", "checkpoint `file` written by training, or name=file (required; repeat it to serve several models, the first at /v1/..., each at /v1/models/NAME/..., side by side at /compare)")
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on")
	data := fs.String("data", "", "`folder` of the test set for the latent map (default: the checkpoint's)")
	logFormat := fs.String("log", "text", "log format: text or json")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	switch {
	case len(checkpoints) == 0:
		return fmt.Errorf("-checkpoint is required")
	case *logFormat != "text" && *logFormat != "json":
		return fmt.Errorf("-log %q: want text or json", *logFormat)
	}
	log := logging.New(*logFormat, os.Stderr)
	blas, err := openblas.Use()
	if err != nil {
		return err
	}
	var entries []serve.Entry
	for _, c := range checkpoints {
		m, err := model.Open(c.path)
		if err != nil {
			return err
		}
		entries = append(entries, serve.Entry{Name: c.name, Server: serve.New(m, serve.Options{Checkpoint: c.path, DataDir: *data})})
	}
	site, err := serve.NewSite(entries)
	if err != nil {
		return fmt.Errorf("-checkpoint: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = site.Run(ctx, *addr, func(at string) {
		page := "/"
		if len(entries) > 1 {
			page = "/compare"
		}
		log.WithField("blas", blas).WithField("models", checkpoints.String()).Info("serving: open http://" + at + page)
	})
	if err != nil {
		return fmt.Errorf("-addr %s: %w", *addr, err)
	}
	log.Info("stopped")
	return nil
}

// checkpointList is the repeated -checkpoint flag: each a file, or
// name=file; a model without a name is called after its folder.
type checkpointList []namedCheckpoint

type namedCheckpoint struct{ name, path string }

func (l *checkpointList) String() string {
	var parts []string
	for _, c := range *l {
		parts = append(parts, c.name+"="+c.path)
	}
	return strings.Join(parts, ",")
}

func (l *checkpointList) Set(v string) error {
	name, path, named := strings.Cut(v, "=")
	if !named {
		path, name = v, filepath.Base(filepath.Dir(v))
		if name == "." || name == string(filepath.Separator) {
			name = strings.TrimSuffix(filepath.Base(v), filepath.Ext(v))
		}
		for n := 2; l.has(name); n++ {
			name = fmt.Sprintf("%s-%d", filepath.Base(filepath.Dir(v)), n)
		}
	}
	if path == "" {
		return fmt.Errorf("%q: want a checkpoint file, or name=file", v)
	}
	*l = append(*l, namedCheckpoint{name, path})
	return nil
}

func (l checkpointList) has(name string) bool {
	for _, c := range l {
		if c.name == name {
			return true
		}
	}
	return false
}
