package sweepreport

import (
	"fmt"
	"github.com/boxes-project/boxes/report"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/report/chart"
)

// WriteHTML writes a sweep's report: the verdict first, the cheapest
// row of each policy, the Pareto front, and the charts (Charts).
func WriteHTML(w io.Writer, o *JSON) error {
	t := report.HTMLTable{Head: []string{"policy", "cost", "missed", "p99 wait", "settings"}, Right: []bool{false, true, true, true, false}}
	order := sweepPolicies(o)
	for _, c := range o.Pareto.Missed {
		wait := "-"
		if c.P99Wait != nil {
			wait = report.Seconds(float64(*c.P99Wait))
		}
		t.Rows = append(t.Rows, report.HTMLRow{Color: chart.PolicyColor(order[c.Policy]), Cells: []string{c.Policy, report.Money(float64(c.Cost)), report.Percent(float64(c.MissedShare)), wait, SettingsText(c.Settings)}})
	}
	lede := []string{sweepVerdict(o) + "."}
	names := make([]string, 0, len(o.BestByPolicy))
	for n := range o.BestByPolicy {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b := o.BestByPolicy[n]
		lede = append(lede, fmt.Sprintf("Cheapest %s meeting the objective: %s with %s.", n, report.Money(float64(b.Cost)), orNone(SettingsText(b.Settings))))
	}
	if s := o.Search; s != nil {
		if s.Monotone {
			lede = append(lede, fmt.Sprintf("Searched: %d of the grid's %d configurations, the objective monotone on every probe.", s.Evaluated, s.Of))
		} else {
			lede = append(lede, "Search: "+s.Note+".")
		}
	}
	p := report.Page{
		Title:      fmt.Sprintf("Sweep of %s", o.Scenario),
		Lede:       lede,
		TableTitle: "The Pareto front: the cheapest for each share of missed jobs",
		Table:      t,
		Paragraphs: []string{fmt.Sprintf("%d configurations of %s. A row that fails the objective is never called best, however cheap.", len(o.Configurations), axesText(o.Axes))},
		Charts:     Figures(o),
		Source:     report.SourceName(o.Scenario, "a sweep"),
	}
	return report.WritePage(w, p)
}

// sweepPolicies numbers the policies in the order the results list them,
// for their colours.
func sweepPolicies(o *JSON) map[string]int {
	order := map[string]int{}
	for _, c := range o.Configurations {
		for _, r := range c.Results {
			if _, ok := order[r.Policy]; !ok && r.Kind != "oracle" {
				order[r.Policy] = len(order)
			}
		}
	}
	return order
}

// Charts are a sweep's pictures: every row's cost against its missed
// jobs with the Pareto front; and for a sweep of one setting with numeric
// values, each policy's cost and missed jobs against it.
func Charts(o *JSON) []chart.Chart {
	order := sweepPolicies(o)
	pareto := chart.Chart{Name: "sweep-pareto", Title: "Cost against missed jobs, every configuration",
		X: chart.Axis{Label: "missed jobs (%)", Zero: true}, Y: chart.Axis{Label: "cost ($)", Zero: true, Format: report.MoneyTick}}
	byPolicy := map[string]*chart.Layer{}
	for _, c := range o.Configurations {
		for _, r := range c.Results {
			if r.Kind == "oracle" {
				continue
			}
			l := byPolicy[r.Policy]
			if l == nil {
				l = &chart.Layer{Kind: chart.Points, Name: r.Policy, Color: chart.PolicyColor(order[r.Policy])}
				byPolicy[r.Policy] = l
			}
			l.X = append(l.X, 100*float64(r.Jobs.MissedFraction))
			l.Y = append(l.Y, float64(r.Cost))
		}
	}
	for _, name := range sortedByOrder(order) {
		if l := byPolicy[name]; l != nil {
			pareto.Layers = append(pareto.Layers, *l)
		}
	}
	front := chart.Layer{Kind: chart.Line, Name: "Pareto front", Color: chart.ColorInk, Dash: true, Width: 1.5}
	for _, c := range o.Pareto.Missed {
		front.X = append(front.X, 100*float64(c.MissedShare))
		front.Y = append(front.Y, float64(c.Cost))
	}
	pareto.Layers = append(pareto.Layers, front)
	charts := []chart.Chart{pareto}
	if len(o.Axes) == 1 {
		a := o.Axes[0]
		xs := make([]float64, len(a.Values))
		for i, v := range a.Values {
			x, ok := leadingNumber(v)
			if !ok {
				return charts
			}
			xs[i] = x
		}
		cost := chart.Chart{Name: "sweep-cost", Title: "Cost against " + a.Path, X: chart.Axis{Label: a.Path}, Y: chart.Axis{Label: "cost ($)", Zero: true, Format: report.MoneyTick}}
		missed := chart.Chart{Name: "sweep-missed", Title: "Missed jobs against " + a.Path, X: chart.Axis{Label: a.Path}, Y: chart.Axis{Label: "missed jobs (%)", Zero: true}}
		for _, name := range sortedByOrder(order) {
			lc := chart.Layer{Kind: chart.Line, Name: name, Color: chart.PolicyColor(order[name])}
			lm := lc
			for i, c := range o.Configurations {
				for _, r := range c.Results {
					if r.Policy == name && i < len(xs) {
						lc.X, lc.Y = append(lc.X, xs[c.Index]), append(lc.Y, float64(r.Cost))
						lm.X, lm.Y = append(lm.X, xs[c.Index]), append(lm.Y, 100*float64(r.Jobs.MissedFraction))
					}
				}
			}
			cost.Layers, missed.Layers = append(cost.Layers, lc), append(missed.Layers, lm)
		}
		charts = append(charts, cost, missed)
	}
	return charts
}

func sortedByOrder(order map[string]int) []string {
	names := make([]string, 0, len(order))
	for n := range order {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return order[names[i]] < order[names[j]] })
	return names
}

// leadingNumber reads the number in a setting's value ("200ms" is 200,
// "$0.10/h" is 0.10), for a chart's axis.
func leadingNumber(v string) (float64, bool) {
	v = strings.TrimPrefix(v, "$")
	end := 0
	for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '.' || v[end] == '-' || v[end] == 'e' && end > 0) {
		end++
	}
	x, err := strconv.ParseFloat(v[:end], 64)
	return x, err == nil && !math.IsInf(x, 0)
}
