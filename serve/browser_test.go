package serve

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"net/http/httptest"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/govae/govae/model"
)

var pageCheckpoint = flag.String("page-checkpoint", "", "serve this checkpoint to the browser test instead of the fixture's")

var screenshot = flag.String("screenshot", "", "save a picture of the page, after the test's drawing, to this PNG `file`")

// chromium finds a Chromium to drive, or skips the test; where
// GOVAE_REQUIRE_CHROMIUM is set (CI), a missing browser is a failure.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("GOVAE_REQUIRE_CHROMIUM") != "" {
		t.Fatal("no Chromium on the PATH, and GOVAE_REQUIRE_CHROMIUM is set (Debian: apt-get install chromium)")
	}
	t.Skip("no Chromium on the PATH: the browser test needs it (Debian: apt-get install chromium)")
	return ""
}

// TestPageInARealBrowser drives the page in headless Chromium: it loads
// without console errors, its map shows all ten digits, moving a slider
// changes the decoded image, and a stroke drawn with the mouse is encoded,
// reconstructed and marked on the map.
func TestPageInARealBrowser(t *testing.T) {
	exe := chromium(t)
	ts, _ := conditionalServer(t)
	if *pageCheckpoint != "" { // a picture of the page for a real model
		m, err := model.Open(*pageCheckpoint)
		if err != nil {
			t.Fatal(err)
		}
		ts = httptest.NewServer(New(m, Options{Checkpoint: *pageCheckpoint}).Handler())
		defer ts.Close()
	}
	ctx := browser(t, exe)
	problems := watchConsole(ctx)

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatalf("load the page: %v", err)
	}
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)
	digits := evaluate[string](t, ctx, `document.getElementById("map").dataset.digits`)
	if digits != "10" {
		t.Errorf("the map shows %q digits, want 10", digits)
	}

	// Move the first slider with a real click at the end of its track.
	before := canvasData(t, ctx, "decoded")
	rect := evaluate[[]float64](t, ctx, `(() => { const r = document.querySelector("#sliders input").getBoundingClientRect(); return [r.right - 3, r.top + r.height / 2]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(rect[0], rect[1])); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector("#sliders input").value > 2`)
	waitFor(t, ctx, fmt.Sprintf(`document.getElementById("decoded").toDataURL() !== %q`, before))

	drawStroke(t, ctx)
	waitFor(t, ctx, `document.getElementById("map").dataset.marker !== ""`)
	// The VAE's drawing is marked as a region, its q(z|x), not a point alone.
	waitFor(t, ctx, `document.getElementById("map").dataset.region === "true"`)
	waitFor(t, ctx, `(() => { const d = document.getElementById("recon").getContext("2d").getImageData(0, 0, 224, 224).data; let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i]; return s > 0; })()`)

	saveScreenshot(t, ctx, chromedp.CaptureScreenshot())
	if p := problems(); len(p) > 0 {
		t.Errorf("the browser reported:\n%s", strings.Join(p, "\n"))
	}
}

// drawStroke draws a "1" on the page's drawing pad with the mouse: press,
// move down, release.
func drawStroke(t *testing.T, ctx context.Context) {
	t.Helper()
	rect := evaluate[[]float64](t, ctx, `(() => { const r = document.getElementById("pad").getBoundingClientRect(); return [r.left, r.top]; })()`)
	x0, y0 := rect[0], rect[1]
	actions := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x0+110, y0+40, chromedp.ButtonLeft)}
	for k := range 16 {
		actions = append(actions, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x0+110, y0+40+float64(k)*9, chromedp.ButtonLeft))
	}
	actions = append(actions, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x0+110, y0+184, chromedp.ButtonLeft))
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// saveScreenshot writes the picture take makes to the -screenshot file, if
// one was asked for.
func saveScreenshot(t *testing.T, ctx context.Context, take chromedp.Action[[]byte]) {
	t.Helper()
	if *screenshot == "" {
		return
	}
	png, err := chromedp.Run(ctx, take)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// browser starts headless Chromium for the test, 1400×1300, and returns
// its context (90 s at most).
func browser(t *testing.T, exe string) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1300))
	alloc, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// watchConsole collects the page's console errors and exceptions from now
// on; the function it returns waits for the last to arrive, stops, and
// returns them.
func watchConsole(ctx context.Context) func() []string {
	watch, stop := context.WithCancel(ctx)
	messages := chromedp.Console(watch)
	var problems []string
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				problems = append(problems, m.String()+" "+m.URL)
			}
		}
	}()
	return func() []string {
		time.Sleep(300 * time.Millisecond) // let the last messages arrive
		stop()
		<-watched
		return problems
	}
}

// canvasData is a canvas's picture as a data URL.
func canvasData(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	return evaluate[string](t, ctx, fmt.Sprintf(`document.getElementById(%q).toDataURL()`, id))
}

// evaluate runs a JavaScript expression in the page and returns its value.
func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds, for up to 20 s.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err != nil {
			t.Fatalf("%s: %v", cond, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never true: %s", cond)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestComparePageInARealBrowser drives the comparison page in headless
// Chromium with a VAE and an autoencoder of 2-D codes: both maps drawn, the
// VAE's codes with ellipses and the autoencoder's without; a real click
// draws the same codes through both; a walk across the posterior gives the
// VAE a range and the autoencoder a point; both planes are decoded; a
// digit drawn on the pad is marked as a region on the VAE's map and as a
// point on the autoencoder's; and the console stays clean.
func TestComparePageInARealBrowser(t *testing.T) {
	exe := chromium(t)
	ts := pairSite(t)
	ctx := browser(t, exe)
	problems := watchConsole(ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/compare")); err != nil {
		t.Fatalf("load the page: %v", err)
	}
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)
	n := evaluate[int](t, ctx, `window.compare.sides[0].map.points.length`) // 128 test images in the fixture
	if n < 128 {
		t.Fatalf("the map holds %d test codes", n)
	}
	for _, tt := range []struct{ js, want string }{
		{`document.getElementById("map-0").dataset.points`, strconv.Itoa(n)},
		{`document.getElementById("map-1").dataset.points`, strconv.Itoa(n)},
		{`document.getElementById("map-0").dataset.ellipses`, strconv.Itoa(min(300, n))},
		{`document.getElementById("map-1").dataset.ellipses`, "0"},
		{`document.getElementById("walk-0").dataset.steps`, "9"},
		{`document.getElementById("walk-1").dataset.steps`, "1"},
		{`document.getElementById("grid-0").dataset.tiles`, "144"},
		{`document.getElementById("grid-1").dataset.tiles`, "144"},
	} {
		if got := evaluate[string](t, ctx, tt.js); got != tt.want {
			t.Errorf("%s = %q, want %q", tt.js, got, tt.want)
		}
	}
	before := canvasData(t, ctx, "strip-0")
	rect := evaluate[[]float64](t, ctx, `(() => { const r = document.getElementById("sample").getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(rect[0], rect[1])); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById("sample").dataset.done === "2"`)
	if canvasData(t, ctx, "strip-0") == before {
		t.Error("new codes drew the same left strip")
	}
	if !evaluate[bool](t, ctx, `window.compare.codes[0] === window.compare.codes[1]`) {
		t.Error("the two models decoded different codes")
	}
	// A drawn digit: a region in the VAE's map, a point in the autoencoder's.
	drawStroke(t, ctx)
	waitFor(t, ctx, `document.getElementById("map-0").dataset.marker === "region" && document.getElementById("map-1").dataset.marker === "point"`)
	saveScreenshot(t, ctx, chromedp.FullScreenshot(100))
	if p := problems(); len(p) > 0 {
		t.Errorf("the browser reported:\n%s", strings.Join(p, "\n"))
	}
}
