package serve

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govae/govae/model"
)

// TestSlowReadersOfLargeAnswers sends 64 requests for the most samples one
// answer holds (10,000, about 90 MB of JSON each) at once, from clients
// that read at 40 MB/s each. Every answer must either be refused before it
// starts (503 with Retry-After) or arrive whole — never a 200 cut off
// mid-body — most must be served, and the process's peak resident memory
// (server and clients; VmHWM, reset at the start) must stay under 400 MB.
func TestSlowReadersOfLargeAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	base, stop := referenceServer(t)
	url := base + "/v1/sample"
	peakReset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil

	const clients = 64
	var (
		mu                     sync.Mutex
		whole, refused, cut    int
		firstCut, firstRefusal string
		wg                     sync.WaitGroup
		client                 = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
		start                  = time.Now()
	)
	for i := range clients {
		wg.Go(func() {
			res, err := client.Post(url, "application/json", strings.NewReader(fmt.Sprintf(`{"n": %d, "seed": %d}`, MaxImages, i)))
			if err != nil {
				mu.Lock()
				cut++
				firstCut = cmp(firstCut, err.Error())
				mu.Unlock()
				return
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK {
				body, _ := io.ReadAll(res.Body)
				mu.Lock()
				defer mu.Unlock()
				if (res.StatusCode == http.StatusServiceUnavailable || res.StatusCode == http.StatusTooManyRequests) && res.Header.Get("Retry-After") != "" {
					refused++
					firstRefusal = cmp(firstRefusal, strconv.Itoa(res.StatusCode)+" "+string(body))
				} else {
					cut++
					firstCut = cmp(firstCut, fmt.Sprintf("%d %s", res.StatusCode, body))
				}
				return
			}
			n, tail, err := readSlowly(res.Body, 40<<20)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || !bytes.HasSuffix(tail, []byte("]]}\n")) {
				cut++
				firstCut = cmp(firstCut, fmt.Sprintf("200, then %d bytes ending %q: %v", n, tail, err))
				return
			}
			whole++
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	peak := peakRSS(t)
	t.Logf("%d requests of %d samples in %v: %d whole, %d refused before their answer (first: %.80s), %d cut off; peak RSS %d MB (reset at the start: %v)",
		clients, MaxImages, elapsed.Round(time.Millisecond), whole, refused, firstRefusal, cut, peak>>20, peakReset)
	if cut > 0 {
		t.Errorf("%d answers cut off or failed; the first: %s", cut, firstCut)
	}
	if whole < clients/2 {
		t.Errorf("only %d of %d answers served", whole, clients)
	}
	if peakReset && peak > 400<<20 {
		t.Errorf("peak RSS %d MB, want under 400 MB", peak>>20)
	}
	stop()
}

func cmp(first, next string) string {
	if first == "" {
		return next
	}
	return first
}

// readSlowly reads r to its end at about rate bytes a second, and returns
// how many bytes it read and the last few.
func readSlowly(r io.Reader, rate int) (int, []byte, error) {
	buf := make([]byte, 256<<10)
	var tail []byte
	n := 0
	start := time.Now()
	for {
		k, err := r.Read(buf)
		n += k
		if k > 0 {
			tail = append(tail[:0], buf[max(0, k-8):k]...)
		}
		if err == io.EOF {
			return n, tail, nil
		}
		if err != nil {
			return n, tail, err
		}
		if ahead := time.Duration(float64(n)/float64(rate)*float64(time.Second)) - time.Since(start); ahead > 0 {
			time.Sleep(ahead)
		}
	}
}

// peakRSS is the process's peak resident memory (VmHWM), or 0 where
// /proc does not say.
func peakRSS(t *testing.T) uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// An answer that takes its reader longer than the server's write timeout
// to read still arrives whole: each batch written extends the deadline.
// (Here the server's write timeout is 1 s and the answer takes about 3 s.)
func TestSlowAnswerOutlivesTheWriteTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("takes seconds")
	}
	m, err := model.Open("../model/testdata/tiny.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(New(m, Options{}).Handler())
	ts.Config.WriteTimeout = time.Second
	ts.Start()
	defer ts.Close()
	res, err := http.Post(ts.URL+"/v1/sample", "application/json", strings.NewReader(fmt.Sprintf(`{"n": %d}`, MaxImages)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	start := time.Now()
	n, tail, err := readSlowly(res.Body, 30<<20)
	t.Logf("%d bytes in %v", n, time.Since(start).Round(time.Millisecond))
	if res.StatusCode != http.StatusOK || err != nil || !bytes.HasSuffix(tail, []byte("]]}\n")) {
		t.Errorf("%s, then %d bytes ending %q: %v", res.Status, n, tail, err)
	}
}

// A request that cannot get its share of the streaming budget in time is
// refused before its answer starts: a 503 with Retry-After, naming why.
func TestBusyIsRefusedBeforeTheAnswer(t *testing.T) {
	m, err := model.Open("../model/testdata/tiny.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	s := New(m, Options{})
	s.streaming.limit, s.admitWait = 1, 50*time.Millisecond // no answer fits
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	res, err := http.Post(ts.URL+"/v1/sample", "application/json", strings.NewReader(`{"n": 3}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "busy") {
		t.Errorf("%s, Retry-After %q: %s", res.Status, res.Header.Get("Retry-After"), body)
	}
	s.streaming.limit = MaxStreamBytes
	res, err = http.Post(ts.URL+"/v1/sample", "application/json", strings.NewReader(`{"n": 3}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("with room: %s", res.Status)
	}
	for deadline := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
		s.streaming.mu.Lock()
		used := s.streaming.used
		s.streaming.mu.Unlock()
		if used == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d bytes still taken after the answer", used)
		}
	}
}
