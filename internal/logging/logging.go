// Package logging owns what the commands tell a person while they work: log
// lines in text or JSON (logrus), and progress bars drawn only on a terminal.
package logging

import (
	"io"
	"os"
	"time"

	"github.com/govae/govae/progress"
	"github.com/schollz/progressbar/v3"
	"github.com/sirupsen/logrus"
	"golang.org/x/term"
)

// New returns a logger writing to w in the given format: "text" (logrus's
// key=value lines) or "json" (one object per line).
func New(format string, w io.Writer) *logrus.Logger {
	log := logrus.New()
	log.SetOutput(w)
	if format == "json" {
		log.SetFormatter(&logrus.JSONFormatter{})
	} else {
		log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, DisableColors: !isTerminal(w)})
	}
	return log
}

// Progress returns a function that draws a progress bar of total steps on
// f, titled with what, and returns the function to call once per step; or
// nil when f is not a terminal (a log file, CI), so that nothing but log
// lines is written there.
func Progress(f *os.File, unit string) progress.Func {
	if !isTerminal(f) {
		return nil
	}
	return func(what string, total int) func() {
		bar := progressbar.NewOptions(total,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(unit),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
		return func() { bar.Add(1) }
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
