package sweepreport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/chart"
	"github.com/boxes-project/boxes/report/sweepreport"
	"github.com/boxes-project/boxes/sweep"
)

// runSweep runs a scenario file's sweep as boxes sweep does (every
// configuration, judged by the scenario's objective).
func runSweep(t testing.TB, file string) *sweepreport.JSON {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := sweep.Parse(data, file)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := sw.Run(context.Background(), sweep.All, sweep.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	o, err := sweep.Assemble(sw.Header(), entries, func(r *report.ResultJSON) bool { return r.SLO != nil && r.SLO.Met })
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// cheapestMeeting reads the sweep's JSON as a stranger would and finds the
// cheapest configuration of policy whose objective is met: its settings.
func cheapestMeeting(t *testing.T, o *sweepreport.JSON, policy string) (map[string]string, int, int) {
	t.Helper()
	var b bytes.Buffer
	if err := sweepreport.WriteJSON(&b, o); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Configurations []struct {
			Settings map[string]string `json:"settings"`
			Results  []struct {
				Policy string  `json:"policy"`
				Cost   float64 `json:"cost"`
				SLO    *struct {
					Met bool `json:"met"`
				} `json:"slo"`
			} `json:"results"`
		} `json:"configurations"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	best, cost, meets, fails := map[string]string(nil), math.Inf(1), 0, 0
	for _, c := range doc.Configurations {
		for _, r := range c.Results {
			if r.Policy != policy {
				continue
			}
			if r.SLO == nil || !r.SLO.Met {
				fails++
				continue
			}
			meets++
			if r.Cost < cost { // the first of equal costs, as the sweep's rows
				best, cost = c.Settings, r.Cost
			}
		}
	}
	return best, meets, fails
}

// figure is the SVG of a figure of the page, by its id.
func figure(t *testing.T, page, id string) string {
	t.Helper()
	start := strings.Index(page, `<figure id="`+id+`">`)
	if start < 0 {
		t.Fatalf("no figure %s in the page", id)
	}
	end := strings.Index(page[start:], "</figure>")
	return page[start : start+end]
}

var cellRe = regexp.MustCompile(`<g class="cell([a-z ]*)" data-x="([^"]*)" data-y="([^"]*)"><title>([^<]*)</title>`)

// TestSweepHeatMapHTML runs the two-setting example (8 HPA targets × 5 min
// replicas on the daily preset) and reads its HTML report: two heat maps
// of 40 cells, well-formed SVG with a title, a description and a legend
// with numbers, the best mark on exactly the cell that the JSON, read
// independently, says is the cheapest meeting the objective, the failing
// cells hatched as many as the JSON's failing rows, and the same bytes
// every time.
func TestSweepHeatMapHTML(t *testing.T) {
	o := runSweep(t, "../../examples/hpa-heatmap.yaml")
	var b bytes.Buffer
	if err := sweepreport.WriteHTML(&b, o); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	best, meets, fails := cheapestMeeting(t, o, "hpa")
	if best == nil || fails == 0 || meets == 0 {
		t.Fatalf("the example should have cells meeting and failing the objective: best %v, %d meet, %d fail", best, meets, fails)
	}
	const nx, ny = 8, 5 // 0.6..0.95 step 0.05; 1..16 x2
	for _, id := range []string{"sweep-heatmap-cost-hpa", "sweep-heatmap-missed-hpa"} {
		svg := figure(t, page, id)
		svg = svg[strings.Index(svg, "<svg") : strings.LastIndex(svg, "</svg>")+len("</svg>")]
		dec := xml.NewDecoder(strings.NewReader(svg))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", id, err)
			}
		}
		for _, want := range []string{`role="img"`, `aria-labelledby="` + id + `-title ` + id + `-desc"`, `<title id="` + id + `-title">`, `<desc id="` + id + `-desc">A grid of 8 × 5 cells`} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s lacks %s", id, want)
			}
		}
		cells := cellRe.FindAllStringSubmatch(svg, -1)
		if len(cells) != nx*ny {
			t.Fatalf("%s: %d cells, want %d × %d", id, len(cells), nx, ny)
		}
		nbest, nfails := 0, 0
		for _, c := range cells {
			class, x, y, tip := c[1], c[2], c[3], c[4]
			if strings.Contains(class, "best") {
				nbest++
				if x != best["policies[hpa].target"] || y != best["policies[hpa].min"] {
					t.Errorf("%s marks target=%s min=%s as best; the JSON's cheapest meeting the objective is %v", id, x, y, best)
				}
				if !strings.Contains(tip, "the cheapest meeting the objective") {
					t.Errorf("%s: the best cell's tooltip %q", id, tip)
				}
			}
			if strings.Contains(class, "fails") {
				nfails++
				if !strings.Contains(tip, "fails the objective (max_missed)") {
					t.Errorf("%s: a failing cell's tooltip %q", id, tip)
				}
			}
			if !strings.HasPrefix(tip, "policies[hpa].target="+x+", policies[hpa].min="+y+": $") {
				t.Errorf("%s: tooltip %q for target=%s min=%s", id, tip, x, y)
			}
		}
		if nbest != 1 || nfails != fails {
			t.Errorf("%s: %d cells marked best (want 1), %d failing (the JSON has %d)", id, nbest, nfails, fails)
		}
	}
	cost := figure(t, page, "sweep-heatmap-cost-hpa")
	// Failing cells are hatched and say so; the legend has numbers.
	if n := strings.Count(cost, `fill="url(#sweep-heatmap-cost-hpa-hatch)"`); n != fails+1 { // and the legend's key
		t.Errorf("%d hatched rects, want %d failing cells and the key", n, fails)
	}
	if n := strings.Count(cost, ">fails</text>"); n != fails {
		t.Errorf("%d cells labelled fails, want %d", n, fails)
	}
	if !regexp.MustCompile(`<g class="legend">\n<text[^>]*>cost \(\$\)</text>(\n<rect[^>]*/>){48}`).MatchString(cost) ||
		!regexp.MustCompile(`fill="#666666" text-anchor="middle">\$\d+`).MatchString(cost) {
		t.Errorf("the cost map's legend lacks its colour bar or numbers")
	}
	// The missed map writes the value in every cell.
	if !strings.Contains(figure(t, page, "sweep-heatmap-missed-hpa"), ">60.7%</text>") {
		t.Errorf("the unserved map does not write 60.7%% in a cell")
	}
	var again bytes.Buffer
	sweepreport.WriteHTML(&again, o)
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Errorf("two renderings differ")
	}
}

// TestSweepHeatMapsWhichPolicies: a heat map per policy with exactly two
// settings of its own; a policy with one (lambda, beside hpa's two) gets
// none; a cell a search never ran is drawn blank and says so; the limit's
// map follows the clause failed most often.
func TestSweepHeatMapsWhichPolicies(t *testing.T) {
	wait := func(s float64) *report.Float { f := report.Float(s); return &f }
	res := func(policy string, cost float64, met bool, failed []string, p99 float64) report.ResultJSON {
		r := report.ResultJSON{Policy: policy, Kind: policy, Cost: report.Float(cost),
			SLO: &report.SLOJSON{Met: met, Failed: failed, P99Wait: wait(p99)}}
		return r
	}
	o := &sweepreport.JSON{Axes: []sweepreport.AxisJSON{
		{Path: "policies[hpa].target", Values: []string{"0.5", "0.7"}},
		{Path: "policies[hpa].min", Values: []string{"1", "2"}},
		{Path: "policies[lambda].provisioned_concurrency", Values: []string{"0", "4"}},
	}}
	// The grid, lambda's axis varying fastest; configuration 3 (0.5, 2, 4)
	// was run, 2 (0.5, 2, 0) was not: the cell (0.5, 2) takes 3's row; the
	// cell (0.7, 2) is not run at all.
	add := func(i int, t, m, pc string, h, l report.ResultJSON) {
		o.Configurations = append(o.Configurations, sweepreport.ConfigurationJSON{Index: i,
			Settings: map[string]string{"policies[hpa].target": t, "policies[hpa].min": m, "policies[lambda].provisioned_concurrency": pc},
			Results:  []report.ResultJSON{{Policy: "oracle", Kind: "oracle"}, h, l}})
	}
	add(0, "0.5", "1", "0", res("hpa", 10, true, nil, 0.1), res("lambda", 5, false, []string{"max_p99_wait"}, 2))
	add(1, "0.5", "1", "4", res("hpa", 10, true, nil, 0.1), res("lambda", 7, true, nil, 0.2))
	add(3, "0.5", "2", "4", res("hpa", 12, true, nil, 0.1), res("lambda", 7, true, nil, 0.2))
	add(4, "0.7", "1", "0", res("hpa", 8, false, []string{"max_p99_wait"}, 0.9), res("lambda", 5, false, []string{"max_p99_wait"}, 2))
	o.BestByPolicy = map[string]sweepreport.Choice{"hpa": {Configuration: 0, Policy: "hpa", Cost: 10}, "lambda": {Configuration: 1, Policy: "lambda", Cost: 7}}
	maps := sweepreport.HeatMaps(o)
	if len(maps) != 2 || maps[0].Name != "sweep-heatmap-cost-hpa" || maps[1].Name != "sweep-heatmap-p99_wait-hpa" {
		var names []string
		for _, m := range maps {
			names = append(names, m.Name)
		}
		t.Fatalf("maps %q, want hpa's cost and p99 wait (its failed clause)", names)
	}
	cost := maps[0]
	// Cells row by row from min=1: (0.5,1) (0.7,1) (0.5,2) (0.7,2).
	for i, want := range []struct {
		run, fails, best bool
		value            float64
	}{
		{true, false, true, 10}, // configuration 0, the cheapest meeting
		{true, true, false, 8},  // cheaper, but fails: never best
		{true, false, false, 12},
		{false, false, false, 0}, // not run
	} {
		c := cost.Cells[i]
		if c.Run != want.run || c.Fails != want.fails || c.Best != want.best || c.Value != want.value {
			t.Errorf("cell %d: %+v, want %+v", i, c, want)
		}
	}
	if !strings.HasSuffix(cost.Cells[3].Tip, "not run") {
		t.Errorf("the cell not run says %q", cost.Cells[3].Tip)
	}
	if got := maps[1].Cells[1].Value; got != 0.9 {
		t.Errorf("the p99 wait map's cell (0.7, 1) is %v, want 0.9", got)
	}
	svg := string(cost.SVG())
	if n := strings.Count(svg, `<g class="cell none"`); n != 1 {
		t.Errorf("%d blank cells, want 1", n)
	}

	// Lambda, one setting of its own: its cost and its p99 wait (the
	// clause it fails) against its provisioned concurrency, each value's
	// first row (configurations 0 and 1); 0 fails, 4 is the best.
	charts := sweepreport.PolicyCharts(o)
	if len(charts) != 2 || charts[0].Name != "sweep-cost-lambda" || charts[1].Name != "sweep-p99_wait-lambda" {
		t.Fatalf("charts %v", charts)
	}
	lc := charts[0].Layers
	if len(lc) != 3 || !slices.Equal(lc[0].X, []float64{0, 4}) || !slices.Equal(lc[0].Y, []float64{5, 7}) ||
		!slices.Equal(lc[1].X, []float64{0}) || lc[1].Name != "fails the objective" ||
		lc[2].Kind != chart.Mark || !slices.Equal(lc[2].X, []float64{4}) || lc[2].Text != "best: 4, $7.00" {
		t.Errorf("lambda's cost chart: %+v", lc)
	}
	if q := charts[1].Layers[0]; !slices.Equal(q.Y, []float64{2, 0.2}) {
		t.Errorf("lambda's p99 waits %v, want 2 and 0.2", q.Y)
	}
}

// BenchmarkSweepFigures draws the two-setting example's pictures (the
// Pareto chart and two heat maps of 40 cells), against drawing the Pareto
// chart alone as the reference:
//
//	go test ./report -run '^$' -bench Figures -count 6
func BenchmarkSweepFigures(b *testing.B) {
	o := runSweep(b, "../../examples/hpa-heatmap.yaml")
	b.Run("pareto", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			report.InlineSVG(sweepreport.Charts(o), nil)
		}
	})
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sweepreport.Figures(o)
		}
	})
}
