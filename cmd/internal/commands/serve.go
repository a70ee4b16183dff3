package commands

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/govae/govae/internal/blas/openblas"
	"github.com/govae/govae/internal/logging"
	"github.com/govae/govae/model"
	"github.com/govae/govae/serve"
)

// Serve runs govae serve with the arguments after the command's name (see cmd/serve).
func Serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	checkpoint := fs.String("checkpoint", "", "checkpoint `file` written by training (required)")
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on")
	data := fs.String("data", "", "`folder` of the test set for the latent map (default: the checkpoint's)")
	logFormat := fs.String("log", "text", "log format: text or json")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	switch {
	case *checkpoint == "":
		return fmt.Errorf("-checkpoint is required")
	case *logFormat != "text" && *logFormat != "json":
		return fmt.Errorf("-log %q: want text or json", *logFormat)
	}
	log := logging.New(*logFormat, os.Stderr)
	blas, err := openblas.Use()
	if err != nil {
		return err
	}
	m, err := model.Open(*checkpoint)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := serve.New(m, serve.Options{Checkpoint: *checkpoint, DataDir: *data})
	err = srv.Run(ctx, *addr, func(at string) {
		log.WithField("blas", blas).WithField("model", *checkpoint).Info("serving: open http://" + at + "/")
	})
	if err != nil {
		return fmt.Errorf("-addr %s: %w", *addr, err)
	}
	log.Info("stopped")
	return nil
}
