// Command serve answers a JSON API for a trained VAE and serves a page that
// explores its latent space in the browser.
//
// Usage:
//
//	go run ./cmd/serve -checkpoint PATH [-addr 127.0.0.1:8080] [-data DIR] [-log text|json]
//
// It loads the model before it listens (a checkpoint that does not load is
// one line and exit status 1), logs the URL to open, and on SIGINT or
// SIGTERM lets the requests in flight finish and exits 0. It listens on
// loopback unless -addr says otherwise: -addr :8080 serves every interface.
// The README lists the endpoints with curl examples.
package main

import "github.com/govae/govae/cmd/internal/commands"

func main() { commands.Main("serve", commands.Serve) }
