package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/govae/govae/internal/testkit/cmdtest"
)

const tiny = "../../model/testdata/tiny.ckpt"

// A checkpoint that does not load, or a flag that is wrong, is one line and
// exit status 1, before anything listens.
func TestBadStartIsOneClearLine(t *testing.T) {
	bin := cmdtest.Build(t)
	dir := t.TempDir()
	foreign := filepath.Join(dir, "foreign.ckpt")
	os.WriteFile(foreign, []byte("not a checkpoint"), 0o644)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no checkpoint", nil, "-checkpoint is required"},
		{"missing", []string{"-checkpoint", "gone.ckpt"}, "gone.ckpt: no such file"},
		{"foreign", []string{"-checkpoint", foreign}, "not a govae checkpoint"},
		{"bad address", []string{"-checkpoint", tiny, "-addr", "256.0.0.1:99999"}, "-addr 256.0.0.1:99999"},
		{"log", []string{"-checkpoint", tiny, "-log", "xml"}, `-log "xml"`},
		{"a name twice", []string{"-checkpoint", "a=" + tiny, "-checkpoint", "a=" + tiny}, `-checkpoint: model name "a": given twice`},
		{"a name that is no path segment", []string{"-checkpoint", "a/b=" + tiny}, `-checkpoint: model name "a/b"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmdtest.Fails(t, bin, ".", "serve", tt.args, tt.want)
		})
	}
}

// SIGINT lets a request in flight finish, then the server exits 0.
func TestSIGINTFinishesInFlightRequests(t *testing.T) {
	bin := cmdtest.Build(t)
	cmd := exec.Command(bin, "-checkpoint", tiny, "-addr", "127.0.0.1:0")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stderr)
	url := ""
	for url == "" && lines.Scan() {
		url = regexp.MustCompile(`http://[0-9.:]+/`).FindString(lines.Text())
	}
	if url == "" {
		t.Fatal("the server logged no URL")
	}
	go io.Copy(io.Discard, stderr)
	// A large request, so that it is still running when the signal comes.
	answered := make(chan error, 1)
	go func() {
		res, err := http.Post(url+"v1/sample", "application/json", strings.NewReader(`{"n": 10000, "seed": 1}`))
		if err == nil {
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || n < 10000*784 {
				err = io.ErrUnexpectedEOF
			}
		}
		answered <- err
	}()
	time.Sleep(150 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	if err := <-answered; err != nil {
		t.Errorf("the request in flight: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v, want status 0", err)
	}
	if _, err := http.Get(url + "healthz"); err == nil {
		t.Error("still answering after SIGINT")
	}
}
