package train

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/model"
)

// metricsHeader names the columns of metrics.csv: the per-image losses of each
// epoch, the seconds its training steps took, the two terms of each loss, and
// the learning rate of the epoch.
const metricsHeader = "epoch,train_loss,test_loss,seconds,train_recon,train_kl,test_recon,test_kl,lr"

// Row is one epoch's line of metrics.csv.
type Row struct {
	Epoch       int
	Train, Test model.Terms // per image
	Seconds     float64
	LR          float64 // the epoch's learning rate
	Skipped     int     // batches skipped for a non-finite loss (not in the file)
}

func (r Row) csv() string {
	return fmt.Sprintf("%d,%.4f,%.4f,%.3f,%.4f,%.4f,%.4f,%.4f,%.4g", r.Epoch, r.Train.NegELBO(), r.Test.NegELBO(), r.Seconds,
		r.Train.Recon, r.Train.KL, r.Test.Recon, r.Test.KL, r.LR)
}

// startMetrics prepares metrics.csv for a run that has completed `done`
// epochs: a new file gets the header; an existing one keeps its rows up to
// epoch `done` and loses later ones (left by a run that went further before
// this one resumed from an earlier checkpoint).
func startMetrics(path string, done int) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = nil, nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	kept := []string{metricsHeader}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := sc.Text()
		epoch, err := strconv.Atoi(strings.SplitN(line, ",", 2)[0])
		if err == nil && epoch >= 1 && epoch <= done {
			kept = append(kept, line)
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Join(kept, "\n")+"\n")
		return err
	})
}

// appendMetrics adds one row and syncs it to disk.
func appendMetrics(path string, r Row) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("append to %s: %w", path, err)
	}
	if _, err := io.WriteString(f, r.csv()+"\n"); err != nil {
		f.Close()
		return fmt.Errorf("append to %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return f.Close()
}
