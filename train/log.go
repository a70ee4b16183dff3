package train

import (
	"io"
	"os"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/sirupsen/logrus"
	"golang.org/x/term"
)

// NewLogger returns a logger writing to w in the format log_format names:
// "text" (logrus's key=value lines) or "json" (one object per line).
func NewLogger(format string, w io.Writer) *logrus.Logger {
	log := logrus.New()
	log.SetOutput(w)
	if format == "json" {
		log.SetFormatter(&logrus.JSONFormatter{})
	} else {
		log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, DisableColors: !isTerminal(w)})
	}
	return log
}

// terminalProgress draws a progress bar per epoch on f, or returns nil when f
// is not a terminal (a log file, CI) so nothing but log lines is written.
func terminalProgress(f *os.File) func(epoch, steps int) func() {
	if !isTerminal(f) {
		return nil
	}
	return func(epoch, steps int) func() {
		bar := progressbar.NewOptions(steps,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("epoch "+strconv.Itoa(epoch)),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("steps"),
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
