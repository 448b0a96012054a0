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

	"github.com/boxes-project/boxes/report/sweepreport"
	"github.com/boxes-project/boxes/sweep"
)

// sweeps is how many sweeps the page has drawn.
const sweeps = `Number(document.body.dataset.sweeps || 0)`

// TestSweepInChromium drives the explorer's sweep view: the HPA alone at
// ten-second steps in the Simulate view, then Sweep: its target over a range
// typed in, and its min replicas over a list; the run shows the verdict,
// the best row, the Pareto chart and the two heat maps of 5 × 3 cells with
// the best cell marked; one setting alone draws cost and misses against
// it; a bad range says what is wrong and keeps the last results, dimmed.
func TestSweepInChromium(t *testing.T) {
	ctx, exceptions := browser(t)
	dir := artifacts(t)
	srv := httptest.NewServer(newHandler(t, Options{}))
	defer srv.Close()

	act(t, ctx, "load the page", chromedp.Navigate(srv.URL))
	waitFor(t, ctx, "the first simulation", sims+` >= 1`)
	n := run(t, ctx, "count", chromedp.Evaluate[int](sims))
	act(t, ctx, "the HPA alone at ten-second steps",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('also-serverless').checked = false`),
		chromedp.SetValue(chromedp.ID("step"), "10s"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('step').dispatchEvent(new Event('change', {bubbles: true}))`),
	)
	waitFor(t, ctx, "the run at ten-second steps", fmt.Sprintf(`%s > %d`, sims, n))

	act(t, ctx, "open the sweep", chromedp.Click(chromedp.ID("tab-sweep")))
	waitFor(t, ctx, "the settings offered", `[...document.getElementById('sweep-path-1').options].some(o => o.value === 'policies[hpa].min') && document.getElementById('sweep-path-1').value === 'policies[hpa].target'`)
	if got := text(t, ctx, `[...document.getElementById('sweep-path-1').options].map(o => o.value).filter(v => ['box.latency', 'slo.max_missed', 'jobs.latency.file'].includes(v)).join(' ')`); got != "box.latency slo.max_missed" {
		t.Errorf("settings offered: %q, want the box's latency and the objective's missed jobs, not a file's name", got)
	}
	act(t, ctx, "a range of targets and a list of min replicas",
		chromedp.SendKeys(chromedp.ID("sweep-values-1"), "0.5..0.9 step 0.1"),
		chromedp.SetValue(chromedp.ID("sweep-path-2"), "policies[hpa].min"),
		chromedp.SendKeys(chromedp.ID("sweep-values-2"), "1, 2, 4"),
		chromedp.Click(chromedp.ID("sweep-run")),
	)
	waitFor(t, ctx, "the sweep", sweeps+` >= 1`)
	if got := text(t, ctx, `document.getElementById('sweep-verdict').innerText`); !strings.HasPrefix(got, "Best: hpa with policies[hpa].min=") || !strings.Contains(got, "15 configurations") {
		t.Errorf("the sweep's verdict: %q", got)
	}
	row := text(t, ctx, `document.querySelector('#sweep-table tbody tr').innerText`)
	if !strings.Contains(row, "hpa") || !strings.Contains(row, "$") || !strings.Contains(row, "policies[hpa].target=") {
		t.Errorf("the best row: %q", row)
	}
	if got := text(t, ctx, `[...document.querySelectorAll('#sweep-charts figure')].map(f => f.id).join(' ')`); got != "chart-sweep-pareto chart-sweep-heatmap-cost-hpa chart-sweep-heatmap-missed-hpa" {
		t.Errorf("the sweep's pictures: %q", got)
	}
	if got := run(t, ctx, "cells", chromedp.Evaluate[int](`document.querySelectorAll('#chart-sweep-heatmap-cost-hpa g.cell').length`)); got != 15 {
		t.Errorf("%d cells in the cost map, want 5 × 3", got)
	}
	// The best cell is drawn, with its tooltip, where the verdict says.
	best := text(t, ctx, `(() => { const g = document.querySelector('#chart-sweep-heatmap-cost-hpa g.cell.best'); const r = g.querySelector('rect').getBoundingClientRect(); return r.width > 10 && r.height > 10 ? g.querySelector('title').textContent : 'not drawn' })()`)
	verdict := text(t, ctx, `document.getElementById('sweep-verdict').innerText`)
	if !strings.Contains(best, "the cheapest meeting the objective") || !strings.Contains(verdict, strings.SplitN(best, ":", 2)[0][len("policies[hpa].target="):strings.Index(best, ",")]) {
		t.Errorf("the best cell %q, the verdict %q", best, verdict)
	}
	screenshot(t, ctx, dir, "explorer-sweep.png")
	checkLayout(t, ctx, "the sweep view", true)
	act(t, ctx, "a phone's width", chromedp.EmulateViewport(390, 844))
	checkLayout(t, ctx, "the sweep view on a phone", false)
	screenshot(t, ctx, dir, "explorer-sweep-phone.png")
	act(t, ctx, "back to a laptop's width", chromedp.EmulateViewport(1280, 900))

	// One setting: cost and misses against it.
	act(t, ctx, "sweep the target alone",
		chromedp.SetValue(chromedp.ID("sweep-path-2"), ""),
		chromedp.Click(chromedp.ID("sweep-run")),
	)
	waitFor(t, ctx, "the one-setting sweep", sweeps+` >= 2 && document.querySelectorAll('#sweep-charts svg').length === 3 && document.getElementById('chart-sweep-cost') !== null`)

	// A bad range: the server's message, the last results kept, dimmed.
	act(t, ctx, "a range upside down",
		chromedp.SetValue(chromedp.ID("sweep-values-1"), "0.9..0.5 step 0.1"),
		chromedp.Click(chromedp.ID("sweep-run")),
	)
	waitFor(t, ctx, "the error", `!document.getElementById('sweep-error').hidden`)
	if got := text(t, ctx, `document.getElementById('sweep-error').innerText`); !strings.Contains(got, "TO 0.5 is below FROM 0.9") {
		t.Errorf("the error for a bad range: %q", got)
	}
	if !run(t, ctx, "stale", chromedp.Evaluate[bool](`document.getElementById('sweep-results').classList.contains('stale') && document.querySelectorAll('#sweep-charts svg').length === 3`)) {
		t.Errorf("the last results are not kept, dimmed, under the error")
	}
	// What the page sent is the document boxes sweep reads.
	doc := text(t, ctx, `document.getElementById('sweep-document').value`)
	if !strings.Contains(doc, `"sweep": {`) || !strings.Contains(doc, `"policies[hpa].target": "0.9..0.5 step 0.1"`) {
		t.Errorf("the sweep's document: %s", doc)
	}
	os.WriteFile(filepath.Join(dir, "explorer-sweep.yaml"), []byte(doc), 0o644)
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page logged errors: %q", ex)
	}
}

// TestSweepReportInChromium opens the two-setting example's HTML report
// (boxes sweep --html) from a file: the Pareto chart and the two heat maps
// are drawn with a size, each map's 40 cells laid out in a grid (8
// columns, 5 rows), the best cell's tooltip saying so; no error, and no
// sideways page scrolling at a phone's width.
func TestSweepReportInChromium(t *testing.T) {
	ctx, exceptions := browser(t)
	dir := artifacts(t)
	doc := heatmapDoc(t)
	var b bytes.Buffer
	sw, err := sweep.Parse([]byte(doc), "hpa-heatmap.yaml")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := sw.Run(context.Background(), sweep.All, sweep.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	o, err := sweep.Assemble(sw.Header(), entries, meetsObjective)
	if err != nil {
		t.Fatal(err)
	}
	if err := sweepreport.WriteHTML(&b, o); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "sweep.html")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	act(t, ctx, "open the report", chromedp.Navigate("file://"+file))
	waitFor(t, ctx, "the page", `document.readyState === 'complete'`)
	drawn := run(t, ctx, "charts", chromedp.Evaluate[int](`[...document.querySelectorAll('figure svg')].filter(s => s.getBoundingClientRect().width > 300 && s.getBBox().height > 100).length`))
	if drawn != 3 {
		t.Errorf("%d pictures drawn with a size, want 3 (the Pareto chart, two heat maps)", drawn)
	}
	for _, id := range []string{"sweep-heatmap-cost-hpa", "sweep-heatmap-missed-hpa"} {
		// Distinct left and top edges of the cells' rectangles, as drawn.
		grid := text(t, ctx, `(() => { const rs = [...document.querySelectorAll('#`+id+` g.cell > rect')].map(r => r.getBoundingClientRect());
			return rs.length + ' ' + new Set(rs.map(r => Math.round(r.left))).size + ' ' + new Set(rs.map(r => Math.round(r.top))).size })()`)
		if grid != "40 8 5" {
			t.Errorf("%s: cells, columns, rows = %s, want 40 8 5", id, grid)
		}
		if got := text(t, ctx, `document.querySelector('#`+id+` g.cell.best title').textContent`); !strings.HasPrefix(got, "policies[hpa].target=0.85, policies[hpa].min=1: $30.24") {
			t.Errorf("%s: the best cell's tooltip %q", id, got)
		}
	}
	screenshot(t, ctx, dir, "sweep-report.png")
	act(t, ctx, "a phone's width", chromedp.EmulateViewport(390, 844))
	if w := run(t, ctx, "width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 400 {
		t.Errorf("at 390 px the page is %d px wide: it scrolls sideways", w)
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the report logged errors: %q", ex)
	}
}
