package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/html"
	"github.com/boxes-project/boxes/scenario"
)

// overflowJS lists, as text, every table box and fieldset whose content is
// wider than its box: a table's wrapper (.table) when the table does not
// fit it, unless wide is false and the wrapper scrolls sideways on its own
// (below 1280 px a table may scroll inside its box, never clip or push the
// page); a fieldset whenever its content is wider. And the page itself when
// it is wider than the window.
const overflowJS = `(wide) => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('.table')) {
    if (el.offsetParent === null) continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1) out.push('a table box ends at ' + Math.round(r.right) + ' px, past the window ' + vw);
    if (el.scrollWidth > el.clientWidth + 1) {
      const scrolls = ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
      if (wide || !scrolls) out.push('a table ' + el.scrollWidth + ' px wide in its box of ' + el.clientWidth + (scrolls ? '' : ' (clipped)'));
    }
  }
  for (const el of document.querySelectorAll('fieldset')) {
    if (el.offsetParent === null) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push('fieldset "' + (el.querySelector('legend') || {}).textContent + '" holds ' + el.scrollWidth + ' px in ' + el.clientWidth);
    for (const c of el.querySelectorAll('input, select, textarea, label')) {
      const r = c.getBoundingClientRect(), f = el.getBoundingClientRect();
      if (c.offsetParent !== null && r.right > f.right + 1) out.push('in fieldset "' + (el.querySelector('legend') || {}).textContent + '", ' + (c.id || c.tagName) + ' ends past it');
    }
  }
  if (document.documentElement.scrollWidth > vw + 1) out.push('the page is ' + document.documentElement.scrollWidth + ' px wide in a window of ' + vw);
  return out.join('\n');
}`

// sizes are the windows the layout must hold at: a laptop and a phone.
var sizes = []struct {
	name          string
	width, height int64
	wide          bool
}{{"1280x900", 1280, 900, true}, {"390x844", 390, 844, false}}

func checkLayout(t *testing.T, ctx context.Context, where string, wide bool) {
	t.Helper()
	if got := text(t, ctx, fmt.Sprintf("(%s)(%v)", overflowJS, wide)); got != "" {
		t.Errorf("%s: content wider than its box:\n%s", where, got)
	}
}

// TestLayoutInChromium opens the explorer and the HTML report at 1280×900
// and 390×844: no table or fieldset's content is wider than its box (a
// table may scroll inside its own box on the phone), and the verdict is the
// first visible text of the results.
func TestLayoutInChromium(t *testing.T) {
	ctx, exceptions := browser(t)
	dir := artifacts(t)
	srv := httptest.NewServer(newHandler(t, Options{}))
	defer srv.Close()

	// The default scenario's report, and the widest table: every job
	// simulated with a queue, a deadline, crashes and a value, every
	// optional column on, and serverless beside the boxes.
	files := map[string]string{}
	for name, doc := range map[string]string{
		"default": string(scenario.DefaultYAML()),
		"events": `
name: every column
horizon: 30m
engine: events
replications: 2
jobs: {latency: exponential, queue: {kind: bounded, capacity: 100, deadline: 2s, late_after: 1s, crash: {length: 80, recovery: 1m}}, value: {kind: linear, horizon: 2s}}
workload: {constant: 40/s}
slo: {max_missed: 1%, max_late: 5%, late_after: 1s, max_p99_wait: 500ms}
policies:
  - {name: fixed-for-the-peak-of-the-day, fixed: {capacity: 10}}
  - {name: hpa, hpa: {metric: utilization, target: 0.7, max: 20, behavior: {}}}
  - {name: serverless, serverless: {}}
`} {
		sc, err := scenario.Parse([]byte(doc), name+".yaml")
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
		files[name] = filepath.Join(t.TempDir(), name+".html")
		if err := os.WriteFile(files[name], b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	for _, sz := range sizes {
		act(t, ctx, "the window "+sz.name, chromedp.EmulateViewport(sz.width, sz.height))

		// The explorer, with HPA, serverless and the oracle side by side.
		act(t, ctx, "load the explorer", chromedp.Navigate(srv.URL))
		waitFor(t, ctx, "the first simulation", sims+` >= 1`)
		rows := text(t, ctx, `document.querySelector('#table tbody').innerText`)
		for _, p := range []string{"oracle", "hpa", "serverless"} {
			if !strings.Contains(rows, p) {
				t.Errorf("%s: the explorer's table lacks %s, side by side: %q", sz.name, p, rows)
			}
		}
		if first := text(t, ctx, `document.getElementById('results').innerText.trim()`); !strings.HasPrefix(first, "Verdict:") {
			t.Errorf("%s: the explorer's results begin %.80q, not with the verdict", sz.name, first)
		}
		checkLayout(t, ctx, sz.name+" explorer", sz.wide)
		screenshot(t, ctx, dir, "layout-explorer-"+sz.name+".png")

		// An error dims the stale results.
		act(t, ctx, "a document that does not read",
			chromedp.Evaluate[chromedp.Void](`document.getElementById('document').value = 'horizon: soon\n'; document.getElementById('run-document').click()`))
		waitFor(t, ctx, "the error", `!document.getElementById('error').hidden`)
		if op := text(t, ctx, `getComputedStyle(document.getElementById('answer')).opacity`); op == "1" {
			t.Errorf("%s: the stale results are not dimmed under the error (opacity %s)", sz.name, op)
		}

		// The HTML reports.
		for _, name := range []string{"default", "events"} {
			act(t, ctx, "open the report", chromedp.Navigate("file://"+files[name]))
			waitFor(t, ctx, "the report", `document.readyState === 'complete'`)
			if first := text(t, ctx, `document.body.innerText.trim()`); !strings.HasPrefix(first, "Verdict:") {
				t.Errorf("%s: the %s report begins %.80q, not with the verdict", sz.name, name, first)
			}
			checkLayout(t, ctx, sz.name+" "+name+" report", sz.wide)
			screenshot(t, ctx, dir, "layout-report-"+name+"-"+sz.name+".png")
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages logged errors: %q", ex)
	}
}
