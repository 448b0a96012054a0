package sweepreport

import (
	"cmp"
	"fmt"
	"github.com/boxes-project/boxes/report"
	"html/template"
	"slices"
	"strings"

	"github.com/boxes-project/boxes/report/chart"
)

// Heat maps of a sweep of two settings (issue 14). When exactly two of a
// sweep's settings bear on a policy (the swept settings of other policies
// do not), its configurations form a grid with one setting per axis, and
// two pictures answer the decision at a glance: the cost of each cell that
// meets the objective (a failing cell is hatched grey and says "fails",
// however cheap: it is never the answer), the cheapest of them marked; and
// the quantity that limits the objective (the clause failed most often:
// unserved jobs, late jobs or the p99 wait) in every cell.

// sweepOwnAxes are the indexes in o.Axes of the settings that bear on
// policy: all but the swept settings of other policies (policies[OTHER]).
func sweepOwnAxes(o *JSON, policy string) []int {
	var own []int
	for i, a := range o.Axes {
		if rest, ok := strings.CutPrefix(a.Path, "policies["); ok {
			if name, _, ok := strings.Cut(rest, "]"); ok && name != policy {
				continue
			}
		}
		own = append(own, i)
	}
	return own
}

// sweepMeets says whether row i of c meets the objective: as the sweep
// judged it, or, for a sweep read back from JSON, as its result says.
func sweepMeets(c *ConfigurationJSON, i int) bool {
	if i < len(c.Meets) {
		return c.Meets[i]
	}
	r := &c.Results[i]
	return r.SLO != nil && r.SLO.Met
}

// A limit is a clause of the objective and the quantity it bounds.
type limit struct {
	clause, legend, what string
	value                func(r *report.ResultJSON) (float64, bool)
	format               func(float64) string
}

var sweepLimits = []limit{
	{"max_missed", "unserved jobs (%)", "the share of jobs unserved", func(r *report.ResultJSON) (float64, bool) {
		if r.SLO != nil {
			return float64(r.SLO.Missed), true
		}
		return float64(r.Jobs.MissedFraction), true
	}, report.Percent},
	{"max_p99_wait", "p99 wait", "the 99th percentile of the wait", func(r *report.ResultJSON) (float64, bool) {
		switch {
		case r.SLO != nil && r.SLO.P99Wait != nil:
			return float64(*r.SLO.P99Wait), true
		case r.Wait != nil:
			return float64(r.Wait.P99), true
		}
		return 0, false
	}, report.Seconds},
	{"max_late", "late jobs (%)", "the share of served jobs late", func(r *report.ResultJSON) (float64, bool) {
		if r.SLO != nil && r.SLO.Late != nil {
			return float64(*r.SLO.Late), true
		}
		return 0, false
	}, report.Percent},
}

// limiting is the clause failed most often (unserved jobs on a tie or
// when none fails).
func limiting(fails map[string]int) limit {
	lim := sweepLimits[0]
	for _, l := range sweepLimits[1:] {
		if fails[l.clause] > fails[lim.clause] {
			lim = l
		}
	}
	return lim
}

// HeatMaps are, for each policy with exactly two swept settings of
// its own, the map of its cost where it meets the objective, with its
// cheapest such cell marked, and the map of the quantity that limits the
// objective: the clause its cells fail most often (unserved jobs when
// none fails). Policies in the order the results list them.
func HeatMaps(o *JSON) []chart.HeatMap {
	var maps []chart.HeatMap
	order := sweepPolicies(o)
	for _, policy := range sortedByOrder(order) {
		own := sweepOwnAxes(o, policy)
		if len(own) != 2 {
			continue
		}
		ax, ay := o.Axes[own[0]], o.Axes[own[1]]
		nx, ny := len(ax.Values), len(ay.Values)
		if nx == 0 || ny == 0 || nx*ny > 10_000 {
			continue
		}
		type at struct {
			c *ConfigurationJSON
			i int
		}
		cells := make([]*at, nx*ny)
		byIndex := map[int]int{} // configuration index → cell
		fails := map[string]int{}
		for ci := range o.Configurations {
			c := &o.Configurations[ci]
			x, y := slices.Index(ax.Values, c.Settings[ax.Path]), slices.Index(ay.Values, c.Settings[ay.Path])
			if x < 0 || y < 0 {
				continue
			}
			for i, r := range c.Results {
				if r.Policy != policy || r.Kind == "oracle" {
					continue
				}
				k := y*nx + x
				byIndex[c.Index] = k
				if cells[k] == nil { // the first, as the sweep's rows are
					cells[k] = &at{c, i}
					if r.SLO != nil {
						for _, f := range r.SLO.Failed {
							fails[f]++
						}
					}
				}
			}
		}
		best := -1
		if b, ok := o.BestByPolicy[policy]; ok {
			if k, ok := byIndex[b.Configuration]; ok {
				best = k
			}
		}
		lim := limiting(fails)
		name := chart.FileName(policy)
		tip := func(k int) string {
			x, y := ax.Values[k%nx], ay.Values[k/nx]
			t := ax.Path + "=" + x + ", " + ay.Path + "=" + y + ": "
			a := cells[k]
			if a == nil {
				return t + "not run"
			}
			r := &a.c.Results[a.i]
			t += report.Money(float64(r.Cost)) + ", " + report.Percent(float64(r.Jobs.MissedFraction)) + " missed"
			if v, ok := sweepLimits[1].value(r); ok {
				t += ", p99 wait " + report.Seconds(v)
			}
			switch {
			case k == best:
				t += "; the cheapest meeting the objective"
			case sweepMeets(a.c, a.i):
				t += "; meets the objective"
			default:
				t += "; fails the objective"
				if r.SLO != nil && len(r.SLO.Failed) > 0 {
					t += " (" + strings.Join(r.SLO.Failed, ", ") + ")"
				}
			}
			return t
		}
		cost := chart.HeatMap{Name: "sweep-heatmap-cost-" + name, Title: fmt.Sprintf("Cost of %s where it meets the objective", policy),
			XLabel: ax.Path, YLabel: ay.Path, XValues: ax.Values, YValues: ay.Values, Legend: "cost ($)", Format: report.MoneyTick, HatchFails: true}
		quantity := chart.HeatMap{Name: "sweep-heatmap-" + strings.TrimPrefix(lim.clause, "max_") + "-" + name,
			Title:  fmt.Sprintf("%s of %s, the objective's limit (%s)", strings.ToUpper(lim.legend[:1])+lim.legend[1:], policy, lim.clause),
			XLabel: ax.Path, YLabel: ay.Path, XValues: ax.Values, YValues: ay.Values, Legend: lim.legend, Format: lim.format}
		meeting, failing := 0, 0
		for k := range cells {
			a := cells[k]
			cc := chart.HeatCell{Tip: tip(k), Best: k == best}
			qc := cc
			if a != nil {
				r := &a.c.Results[a.i]
				m := sweepMeets(a.c, a.i)
				cc.Run, cc.Value, cc.Fails = true, float64(r.Cost), !m
				qc.Fails = !m
				qc.Value, qc.Run = lim.value(r)
				if m {
					meeting++
				} else {
					failing++
				}
			}
			cost.Cells = append(cost.Cells, cc)
			quantity.Cells = append(quantity.Cells, qc)
		}
		bestText := "none meets it"
		if best >= 0 {
			bestText = fmt.Sprintf("the cheapest meeting it, marked, is %s=%s and %s=%s at %s", ax.Path, ax.Values[best%nx], ay.Path, ay.Values[best/nx], report.Money(float64(o.BestByPolicy[policy].Cost)))
		}
		grid := fmt.Sprintf("A grid of %d × %d cells, %s across (%s to %s) and %s up (%s to %s)", nx, ny, ax.Path, ax.Values[0], ax.Values[nx-1], ay.Path, ay.Values[0], ay.Values[ny-1])
		cost.Desc = fmt.Sprintf("%s: each cell is %s's cost, lighter where cheaper; %d cells meet the objective and %d fail it (hatched grey, labelled fails); %s.", grid, policy, meeting, failing, bestText)
		quantity.Desc = fmt.Sprintf("%s: each cell is %s under %s, lighter where lower; cells outlined in red fail the objective.", grid, lim.what, policy)
		maps = append(maps, cost, quantity)
	}
	return maps
}

// PolicyCharts are, when several settings are swept, for each policy
// with exactly one numeric swept setting of its own (Lambda's provisioned
// concurrency beside an HPA's target and min), its cost against that
// setting, the values failing the objective marked and the cheapest
// meeting it marked best; and the quantity that limits the objective
// against it. (With one swept setting in all, Charts draws these for
// every policy at once.)
func PolicyCharts(o *JSON) []chart.Chart {
	if len(o.Axes) < 2 {
		return nil
	}
	var charts []chart.Chart
	order := sweepPolicies(o)
	for _, policy := range sortedByOrder(order) {
		own := sweepOwnAxes(o, policy)
		if len(own) != 1 {
			continue
		}
		a := o.Axes[own[0]]
		xs := make([]float64, len(a.Values))
		numeric := true
		for i, v := range a.Values {
			xs[i], numeric = leadingNumber(v)
			if !numeric {
				break
			}
		}
		if !numeric {
			continue
		}
		// Each value's first row, as the sweep's rows are.
		rows := make([]*report.ResultJSON, len(a.Values))
		meets := make([]bool, len(a.Values))
		fails := map[string]int{}
		best := -1
		b, hasBest := o.BestByPolicy[policy]
		for ci := range o.Configurations {
			c := &o.Configurations[ci]
			k := slices.Index(a.Values, c.Settings[a.Path])
			if k < 0 {
				continue
			}
			for i := range c.Results {
				r := &c.Results[i]
				if r.Policy != policy || r.Kind == "oracle" {
					continue
				}
				if hasBest && c.Index == b.Configuration {
					best = k
				}
				if rows[k] == nil {
					rows[k], meets[k] = r, sweepMeets(c, i)
					if r.SLO != nil {
						for _, f := range r.SLO.Failed {
							fails[f]++
						}
					}
				}
			}
		}
		lim := limiting(fails)
		scale := 1.0
		if strings.HasSuffix(lim.legend, "(%)") {
			scale = 100
		}
		color := chart.PolicyColor(order[policy])
		cost := chart.Chart{Name: "sweep-cost-" + chart.FileName(policy), Title: fmt.Sprintf("Cost of %s against %s", policy, a.Path),
			X: chart.Axis{Label: a.Path}, Y: chart.Axis{Label: "cost ($)", Zero: true, Format: report.MoneyTick}}
		quantity := chart.Chart{Name: "sweep-" + strings.TrimPrefix(lim.clause, "max_") + "-" + chart.FileName(policy),
			Title: fmt.Sprintf("%s of %s, the objective's limit (%s)", strings.ToUpper(lim.legend[:1])+lim.legend[1:], policy, lim.clause),
			X:     chart.Axis{Label: a.Path}, Y: chart.Axis{Label: lim.legend, Zero: true}}
		if lim.clause == "max_p99_wait" {
			quantity.Y.Label = "p99 wait (s)"
		}
		lc := chart.Layer{Kind: chart.Line, Name: policy, Color: color}
		lq := lc
		failing := chart.Layer{Kind: chart.Points, Name: "fails the objective", Color: chart.ColorMissed}
		failingQ := failing
		for k, r := range rows {
			if r == nil {
				continue
			}
			lc.X, lc.Y = append(lc.X, xs[k]), append(lc.Y, float64(r.Cost))
			v, ok := lim.value(r)
			if ok {
				lq.X, lq.Y = append(lq.X, xs[k]), append(lq.Y, scale*v)
			}
			if !meets[k] {
				failing.X, failing.Y = append(failing.X, xs[k]), append(failing.Y, float64(r.Cost))
				if ok {
					failingQ.X, failingQ.Y = append(failingQ.X, xs[k]), append(failingQ.Y, scale*v)
				}
			}
		}
		cost.Layers = []chart.Layer{lc}
		quantity.Layers = []chart.Layer{lq}
		if len(failing.X) > 0 {
			cost.Layers = append(cost.Layers, failing)
			quantity.Layers = append(quantity.Layers, failingQ)
		}
		if best >= 0 && rows[best] != nil {
			cost.Layers = append(cost.Layers, chart.Layer{Kind: chart.Mark, Color: chart.ColorInk, X: []float64{xs[best]}, Y: []float64{float64(rows[best].Cost)},
				Text: "best: " + a.Values[best] + ", " + report.Money(float64(rows[best].Cost))})
		}
		charts = append(charts, cost, quantity)
	}
	return charts
}

// Figures are every picture of a sweep for a page: the charts
// (Charts, PolicyCharts) and the heat maps (HeatMaps),
// inline SVG.
func Figures(o *JSON) []report.ChartSVG {
	out := report.InlineSVG(append(Charts(o), PolicyCharts(o)...), nil)
	for _, m := range HeatMaps(o) {
		out = append(out, report.ChartSVG{Name: m.FileName(), Title: m.Title, Caption: m.Desc, SVG: template.HTML(m.SVG())})
	}
	return out
}

// Verdict is a sweep's answer in one sentence, the first line of the
// text report: the cheapest policy and configuration meeting the
// objective, or that none does.
func Verdict(o *JSON) string { return sweepVerdict(o) + "." }

// BestTable is the cheapest configuration of each policy that meets
// the objective, the best first, for the explorer.
func BestTable(o *JSON) report.HTMLTable {
	t := report.HTMLTable{Head: []string{"policy", "cost", "missed", "p99 wait", "settings"}, Right: []bool{false, true, true, true, false}}
	order := sweepPolicies(o)
	names := make([]string, 0, len(o.BestByPolicy))
	for n := range o.BestByPolicy {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		ca, cb := o.BestByPolicy[a].Cost, o.BestByPolicy[b].Cost
		switch {
		case ca != cb:
			return cmp.Compare(float64(ca), float64(cb))
		}
		return strings.Compare(a, b)
	})
	for _, n := range names {
		c := o.BestByPolicy[n]
		wait := "-"
		if c.P99Wait != nil {
			wait = report.Seconds(float64(*c.P99Wait))
		}
		t.Rows = append(t.Rows, report.HTMLRow{Color: chart.PolicyColor(order[n]), Cells: []string{n, report.Money(float64(c.Cost)), report.Percent(float64(c.MissedShare)), wait, orNone(SettingsText(c.Settings))}})
	}
	return t
}
