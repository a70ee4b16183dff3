package serve

import (
	"bufio"
	"net/http"
	"sync"
	"time"

	"github.com/govae/govae/internal/grid"
)

// Large answers stream: samples are decoded a batch at a time and each
// batch written before the next is decoded, so a request holds one batch
// of pixels however many it asks for. What may be in flight at once is
// bounded in bytes (MaxStreamBytes): a request that cannot get its share
// within AdmitWait is refused before its answer starts — 503 with
// Retry-After — rather than queued past the write timeout and cut off
// after a 200. Each batch written gives the client StreamWriteTimeout more
// to read it, so a slow reader that keeps reading gets its whole answer.

// MaxStreamBytes bounds the pixel buffers of the answers streaming at once.
const MaxStreamBytes = 96 << 20

// AdmitWait is how long a request waits for its share of MaxStreamBytes.
const AdmitWait = 30 * time.Second

// StreamWriteTimeout is how long a client has to read each batch.
const StreamWriteTimeout = 30 * time.Second

// budget is a count of bytes that requests take and give back.
type budget struct {
	mu          sync.Mutex
	used, limit int64
}

// take reserves n bytes if they fit.
func (b *budget) take(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return false
	}
	b.used += n
	return true
}

func (b *budget) give(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// admit reserves n bytes for a request, waiting up to AdmitWait; it
// reports false, having answered 503, when they do not come.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, n int64) bool {
	deadline := time.Now().Add(s.admitWait)
	for !s.streaming.take(n) {
		if time.Now().After(deadline) || r.Context().Err() != nil {
			w.Header().Set("Retry-After", "2")
			writeError(w, &fieldError{Msg: "busy: the server is streaming as many answers as it holds memory for; retry", Status: http.StatusServiceUnavailable})
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// streamSamples answers n samples drawn as model.Model.SampleEach draws
// them, decoded and written a batch at a time.
func (s *Server) streamSamples(w http.ResponseWriter, r *http.Request, n int, seed uint64, label int, format string) {
	sz := s.model.Config()
	need := s.model.StreamBytes(n)
	if !s.admit(w, r, need) {
		return
	}
	defer s.streaming.give(need)
	shape := grid.ShapeOf(sz.Input, sz.Channels)
	rc := http.NewResponseController(w)
	var bw *bufio.Writer
	var buf []byte
	first := true
	err := s.model.SampleEach(n, seed, label, func(images []float32) error {
		if bw == nil { // the first batch decoded: the answer starts
			w.Header().Set("Content-Type", "application/json")
			bw = bufio.NewWriterSize(w, 64<<10)
			bw.WriteString(`{"images":[`)
		}
		rc.SetWriteDeadline(time.Now().Add(StreamWriteTimeout))
		for i := 0; i < len(images); i += shape.Size() {
			if !first {
				bw.WriteByte(',')
			}
			first = false
			buf = appendImage(buf[:0], images[i:i+shape.Size()], shape, format)
			if _, err := bw.Write(buf); err != nil {
				return err // the client went away
			}
		}
		return nil
	})
	switch {
	case err != nil && bw == nil:
		writeError(w, err)
	case err != nil: // after the answer started: the client is gone, or the decoder failed mid-way
		abort(w)
	default:
		bw.WriteString("]}\n")
		bw.Flush()
	}
}

// abort ends an answer that has started by closing its connection, so that
// the client sees it cut off rather than a shorter answer that looks whole.
func abort(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}
