package web

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/html"
	"github.com/boxes-project/boxes/scenario"
)

// The browser tests drive Debian's chromium, headless, against the real
// handler on loopback. Without chromium they skip on a developer's machine
// and fail in CI (CI set), where .ci/run installs it. Screenshots go to
// $BOXES_ARTIFACTS when set, else to the test's temporary directory.

// chromium finds the browser: $BOXES_CHROMIUM, or chromium on the PATH.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BOXES_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; in CI .ci/run installs it (apt-get install -y chromium), and these tests must run")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); CI runs these tests")
	return ""
}

// artifacts is where screenshots go.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("BOXES_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser starts a headless chromium with a fresh profile and no network
// of its own (no background networking, updates, sync or first-run
// pages), and collects the page's uncaught exceptions.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	path := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	// Start the browser now, so that the console listener has a target.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	var mu sync.Mutex
	var exceptions []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			// Exceptions and console.error calls; not the network log's
			// lines for the 4xx answers the tests ask for on purpose.
			if m.IsException() || m.Type == "error" && m.Source != "network" {
				mu.Lock()
				exceptions = append(exceptions, m.String())
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string{}, exceptions...)
	}
}

func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func act(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitFor polls a JavaScript predicate until it holds.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// screenshot saves the whole page as a PNG and checks it decodes.
func screenshot(t *testing.T, ctx context.Context, dir, name string) string {
	t.Helper()
	b := run(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

func text(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	return run(t, ctx, expr, chromedp.Evaluate[string](expr))
}

// sims is how many simulations the page has drawn.
const sims = `Number(document.body.dataset.simulations || 0)`

// TestExplorerInChromium loads the explorer, changes a control and sees the
// table and the chart change, uploads a good trace and a bad one (a clear
// error, and the page still works after), and switches to the comparison
// view.
func TestExplorerInChromium(t *testing.T) {
	ctx, exceptions := browser(t)
	dir := artifacts(t)
	srv := httptest.NewServer(newHandler(t, Options{}))
	defer srv.Close()

	act(t, ctx, "load the page", chromedp.Navigate(srv.URL))
	// HPA, serverless and the oracle side by side: a throughput chart for
	// each policy, and utilization, capacity and cost for all of them.
	waitFor(t, ctx, "the first simulation", sims+` >= 1 && document.querySelectorAll('#charts svg').length === 5`)
	if got := text(t, ctx, `document.querySelector('#table tbody').innerText`); !strings.Contains(got, "oracle") || !strings.Contains(got, "hpa") || !strings.Contains(got, "serverless") {
		t.Fatalf("the table after loading: %q", got)
	}
	if got := text(t, ctx, `document.getElementById('notes').innerText`); !strings.Contains(got, "cheapest box fleet that misses no job") || !strings.Contains(got, "Serverless is billed per job") {
		t.Errorf("the notes under the table: %q", got)
	}
	screenshot(t, ctx, dir, "explorer.png")

	// A control changes: the fixed policy, then 10 boxes typed in.
	table0 := text(t, ctx, `document.getElementById('table').innerHTML`)
	chart0 := text(t, ctx, `document.querySelector('#charts svg').outerHTML`)
	n := run(t, ctx, "count", chromedp.Evaluate[int](sims))
	act(t, ctx, "choose the fixed policy",
		chromedp.SetValue(chromedp.ID("policy"), "fixed"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('policy').dispatchEvent(new Event('change', {bubbles: true}))`),
	)
	waitFor(t, ctx, "the fixed policy's run", fmt.Sprintf(`%s > %d && document.getElementById('table').innerText.includes('fixed-for-peak')`, sims, n))
	act(t, ctx, "type a capacity of 10",
		chromedp.WaitVisible(chromedp.ID("capacity")),
		chromedp.Clear(chromedp.ID("capacity")),
		chromedp.SendKeys(chromedp.ID("capacity"), "10"),
	)
	waitFor(t, ctx, "the run of 10 boxes", `document.getElementById('table').innerText.includes('fixed-10')`)
	if table1 := text(t, ctx, `document.getElementById('table').innerHTML`); table1 == table0 {
		t.Errorf("the table did not change")
	}
	if chart1 := text(t, ctx, `document.querySelector('#charts svg').outerHTML`); chart1 == chart0 {
		t.Errorf("the first chart did not change")
	}
	if got := text(t, ctx, `document.getElementById('stories').innerText`); !strings.Contains(got, "Capacity was fixed at 10 boxes: a Throughput of 50/s") {
		t.Errorf("the paragraph for 10 boxes: %q", got)
	}

	// A good trace: 600, 1,200 and 600 jobs in three minutes, repeated.
	good := filepath.Join(t.TempDir(), "minutes.csv")
	bad := filepath.Join(t.TempDir(), "broken.csv")
	os.WriteFile(good, []byte("time,count\n0,600\n60,1200\n120,600\n"), 0o644)
	os.WriteFile(bad, []byte("time,rate\n0,10\n60,lots\n"), 0o644)
	act(t, ctx, "upload a trace", chromedp.SetUploadFiles(chromedp.ID("trace-file"), []string{good}))
	waitFor(t, ctx, "the trace's run", `document.getElementById('summary').innerText.includes('the trace minutes.csv')`)
	if got := text(t, ctx, `document.getElementById('summary').innerText`); !strings.Contains(got, "20/s at the peak") {
		t.Errorf("the trace's summary: %q", got)
	}

	// A bad trace: the error names the file, line and column; the page
	// keeps the last good results.
	act(t, ctx, "upload a bad trace", chromedp.SetUploadFiles(chromedp.ID("trace-file"), []string{bad}))
	waitFor(t, ctx, "the error", `!document.getElementById('error').hidden`)
	msg := text(t, ctx, `document.getElementById('error').innerText`)
	if !strings.Contains(msg, "broken.csv:3:2") {
		t.Errorf("the error for a bad trace: %q", msg)
	}
	screenshot(t, ctx, dir, "explorer-bad-trace.png")
	if got := run(t, ctx, "charts", chromedp.Evaluate[int](`document.querySelectorAll('#charts svg').length`)); got != 5 {
		t.Errorf("after the error the page shows %d charts, want the last 5", got)
	}
	if !run(t, ctx, "stale", chromedp.Evaluate[bool](`document.getElementById('results').classList.contains('stale')`)) {
		t.Errorf("the last results are not marked stale under the error")
	}
	// Still usable: a preset brings a fresh run and clears the error.
	act(t, ctx, "choose the flat preset",
		chromedp.SetValue(chromedp.ID("workload"), "flat"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('workload').dispatchEvent(new Event('change', {bubbles: true}))`),
	)
	waitFor(t, ctx, "the flat preset's run", `document.getElementById('summary').innerText.includes('the flat preset') && document.getElementById('error').hidden`)

	// The per-job engine with a queue: the table grows a p99 wait column and
	// the charts a wait chart.
	act(t, ctx, "choose the per-job engine and a queue",
		chromedp.SetValue(chromedp.ID("engine"), "events"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('engine').dispatchEvent(new Event('change', {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.ID("queue")),
		chromedp.SetValue(chromedp.ID("queue"), "unbounded"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('queue').dispatchEvent(new Event('change', {bubbles: true}))`),
	)
	waitFor(t, ctx, "the per-job run", `document.getElementById('table').innerText.includes('p99 wait') && document.querySelectorAll('#charts svg').length === 6`)
	screenshot(t, ctx, dir, "explorer-events.png")

	// The page offers every policy kind of the schema, the scale-to-zero
	// ones included.
	waitFor(t, ctx, "every policy kind offered", `['fixed','target','hpa','scheduled','serverless','knative','keda','cloudrun'].every(k => [...document.getElementById('policy').options].some(o => o.value === k))`)

	// The scheduled policy, its controls made from the schema: a window
	// written in YAML's flow form.
	act(t, ctx, "choose the scheduled policy",
		chromedp.SetValue(chromedp.ID("engine"), "fluid"),
		chromedp.SetValue(chromedp.ID("policy"), "scheduled"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('policy').dispatchEvent(new Event('change', {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.ID("windows")),
		chromedp.SendKeys(chromedp.ID("windows"), `[{days: weekdays, from: "09:00", to: "17:00", capacity: 12}]`),
	)
	waitFor(t, ctx, "the scheduled run", `document.getElementById('table').innerText.includes('scheduled') && document.getElementById('document').value.includes('capacity: 12')`)

	// The comparison view: the second article's example by default.
	act(t, ctx, "open the comparison", chromedp.Click(chromedp.ID("tab-compare")))
	waitFor(t, ctx, "the two graphs", `document.querySelectorAll('#compare-charts svg').length === 2`)
	if got := text(t, ctx, `document.getElementById('compare-summary').innerText`); !strings.HasPrefix(got, "Both equally") || !strings.Contains(got, "×4.00") {
		t.Errorf("the comparison: %q", got)
	}
	act(t, ctx, "make it all performance",
		chromedp.Clear(chromedp.ID("after")),
		chromedp.SendKeys(chromedp.ID("after"), "N=1,R=250ms"),
	)
	waitFor(t, ctx, "the new verdict", `document.getElementById('compare-summary').innerText.startsWith('All performance')`)
	screenshot(t, ctx, dir, "explorer-compare.png")

	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page logged errors: %q", ex)
	}
}

// TestReportInChromium opens the default scenario's HTML report from a file
// and renders it to PNG: every chart is drawn with a size, the page has no
// error, and it is readable at a phone's width without sideways page
// scrolling (only figures and the table scroll).
func TestReportInChromium(t *testing.T) {
	ctx, exceptions := browser(t)
	dir := artifacts(t)
	sc, err := scenario.Default()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sc.Run(context.Background(), scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	j := report.NewSimulationJSON(out, true)
	var b bytes.Buffer
	if err := html.WriteSimulationHTML(&b, &j); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	act(t, ctx, "open the report", chromedp.Navigate("file://"+file))
	waitFor(t, ctx, "the page", `document.readyState === 'complete'`)
	drawn := run(t, ctx, "charts", chromedp.Evaluate[int](`[...document.querySelectorAll('figure svg')].filter(s => s.getBoundingClientRect().width > 300 && s.getBBox().height > 100).length`))
	if drawn != 7 {
		t.Errorf("%d charts drawn with a size, want 7 (4 policies, utilization, capacity, cost)", drawn)
	}
	if got := run(t, ctx, "title", chromedp.Title()); got != "one day with a lunchtime spike" {
		t.Errorf("title %q", got)
	}
	path := screenshot(t, ctx, dir, "report.png")
	f, _ := os.Open(path)
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Height < 2000 {
		t.Errorf("the report's screenshot is %v (%v): want the whole page", cfg, err)
	}
	act(t, ctx, "a phone's width", chromedp.EmulateViewport(390, 844))
	if w := run(t, ctx, "width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 400 {
		t.Errorf("at 390 px the page is %d px wide: it scrolls sideways", w)
	}
	screenshot(t, ctx, dir, "report-phone.png")
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the report logged errors: %q", ex)
	}
}
