package report

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Heat maps of a sweep of two settings (issue 14). When exactly two of a
// sweep's settings bear on a policy (the swept settings of other policies
// do not), its configurations form a grid with one setting per axis, and
// two pictures answer the decision at a glance: the cost of each cell that
// meets the objective (a failing cell is hatched grey and says "fails",
// however cheap: it is never the answer), the cheapest of them marked; and
// the quantity that limits the objective (the clause failed most often:
// unserved jobs, late jobs or the p99 wait) in every cell.

// A HeatMap is a grid of cells coloured by a number, one setting's values
// along x and another's along y, drawn to SVG by the charts' own canvas
// (svgCanvas): no script, deterministic bytes. It has a title and a
// description for screen readers, a tooltip (an SVG title) on every cell,
// the value written in each cell that has room for it, and a colour legend
// with numbers. A HeatMap is a plain value, safe to draw from several
// goroutines at once.
type HeatMap struct {
	// Name is a file-name-like identifier, also the prefix of the SVG's ids
	// (so several maps inline on one page do not clash).
	Name  string
	Title string
	// Desc describes the picture in words, for the SVG's desc.
	Desc           string
	XLabel, YLabel string
	XValues        []string
	YValues        []string
	// Cells are len(XValues) × len(YValues), row by row: the cell of
	// XValues[i] and YValues[j] is Cells[j*len(XValues)+i].
	Cells []HeatCell
	// Legend names the colour's quantity with its unit ("cost ($)");
	// Format writes a value in a cell, its tooltip and the legend.
	Legend string
	Format func(float64) string
	// HatchFails draws a failing cell grey and hatched, labelled "fails",
	// and leaves it out of the colour scale (the cost map); otherwise it
	// is coloured by its value and outlined (the limiting quantity's map).
	HatchFails bool
	// Width is the picture's width in CSS pixels; zero means 720.
	Width float64
}

// HeatCell is one cell of a HeatMap.
type HeatCell struct {
	Value float64
	// Run is false for a cell no configuration ran (a search skips most
	// of the grid) or that did not measure the quantity: drawn blank.
	Run   bool
	Fails bool // does not meet the objective
	Best  bool // the cheapest cell meeting the objective
	// Tip is the cell's tooltip: its settings and results in words.
	Tip string
}

// The heat maps' sequential colour scale: viridis (van der Walt and Smith,
// matplotlib, 2015; perceptually uniform and readable by colour-blind
// readers), its stops at tenths, reversed so that low values are light.
var heatStops = [][3]float64{
	{0xFD, 0xE7, 0x25}, {0xB4, 0xDE, 0x2C}, {0x6D, 0xCD, 0x59}, {0x35, 0xB7, 0x79}, {0x1F, 0x9E, 0x89},
	{0x26, 0x82, 0x8E}, {0x31, 0x68, 0x8E}, {0x3E, 0x4A, 0x89}, {0x48, 0x28, 0x78}, {0x44, 0x01, 0x54},
}

const (
	colorFails = "#EEEEEE"
	colorHatch = "#AAAAAA"
	colorNone  = "#FFFFFF"
)

// heatColor is the colour of t in [0, 1] and whether text on it is best
// white (its relative luminance, WCAG 2.1, below 0.18).
func heatColor(t float64) (string, bool) {
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(heatStops)-1)
	i := min(int(f), len(heatStops)-2)
	u := f - float64(i)
	var c [3]float64
	for k := range c {
		c[k] = math.Round(heatStops[i][k]*(1-u) + heatStops[i+1][k]*u)
	}
	lin := func(v float64) float64 {
		v /= 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	lum := 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
	return fmt.Sprintf("#%02X%02X%02X", int(c[0]), int(c[1]), int(c[2])), lum < 0.18
}

// scale is the range the colours span: the values of the cells that are
// run (and, with HatchFails, meet the objective).
func (m *HeatMap) scale() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range m.Cells {
		if !c.Run || m.HatchFails && c.Fails || math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
			continue
		}
		lo, hi = math.Min(lo, c.Value), math.Max(hi, c.Value)
	}
	return lo, hi, lo <= hi
}

func (m *HeatMap) format(v float64) string {
	if m.Format == nil {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return m.Format(v)
}

// SVG draws the map as a standalone SVG document, a viewBox of its size
// so that it scales to any width.
func (m *HeatMap) SVG() []byte {
	nx, ny := len(m.XValues), len(m.YValues)
	w := m.Width
	if w <= 0 {
		w = 720
	}
	id := chartFileName(m.Name)
	// Layout: the title, the legend, the grid, the x axis's values and label.
	legendTop := float64(padOuter)
	if m.Title != "" {
		legendTop += fontTitle + 8
	}
	gridTop := legendTop + 10 + fontTick + 4 + 12
	ytw := 0.0
	for _, v := range m.YValues {
		ytw = math.Max(ytw, textWidth(v, fontTick, false))
	}
	left := padOuter + fontLabel + 8 + ytw + 6
	right := w - padOuter
	cw := (right - left) / float64(max(1, nx))
	ch := math.Max(24, math.Min(44, 360/float64(max(1, ny))))
	bottom := gridTop + ch*float64(ny)
	h := bottom + 6 + fontTick + 6 + fontLabel + padOuter

	s := &svgCanvas{}
	s.b.Grow(8<<10 + 400*len(m.Cells))
	s.b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	s.num(w)
	s.b.WriteByte(' ')
	s.num(h)
	s.b.WriteString(`" width="`)
	s.num(w)
	s.b.WriteString(`" height="`)
	s.num(h)
	s.b.WriteString(`" role="img" aria-labelledby="` + id + `-title ` + id + `-desc" font-family="` + svgFonts + `" class="chart heatmap">`)
	s.b.WriteString(`<title id="` + id + `-title">`)
	s.esc(m.Title)
	s.b.WriteString(`</title><desc id="` + id + `-desc">`)
	s.esc(m.Desc)
	s.b.WriteString("</desc>\n")
	if m.HatchFails {
		s.b.WriteString(`<defs><pattern id="` + id + `-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
			`<rect width="6" height="6" fill="` + colorFails + `"/><line x1="0" y1="0" x2="0" y2="6" stroke="` + colorHatch + `" stroke-width="2"/></pattern></defs>` + "\n")
	}
	s.rect(0, 0, w, h, "#FFFFFF", 1)
	if m.Title != "" {
		s.text(padOuter, padOuter+fontTitle-2, m.Title, fontTitle, 's', false, true, colorInk)
	}

	// The legend: the colour bar in 48 steps, with round numbers.
	lo, hi, ok := m.scale()
	x0 := float64(padOuter)
	s.b.WriteString(`<g class="legend">` + "\n")
	lw := textWidth(m.Legend, fontLegend, false)
	s.text(x0, legendTop+10, m.Legend, fontLegend, 's', false, false, colorInk)
	barX, barW := x0+lw+10, math.Min(260, w/3)
	if ok {
		const steps = 48
		for i := range steps {
			t := (float64(i) + 0.5) / steps
			if hi == lo {
				t = 0
			}
			c, _ := heatColor(t)
			s.rect(barX+float64(i)*barW/steps, legendTop, barW/steps+0.2, 12, c, 1)
		}
		var ticks []tick
		if hi > lo {
			_, _, ticks = numberTicks(lo, hi, 4, true, m.format)
		}
		if len(ticks) < 2 {
			ticks = []tick{{lo, m.format(lo)}, {hi, m.format(hi)}}
			if hi == lo {
				ticks = ticks[:1]
			}
		}
		for _, t := range ticks {
			x := barX
			if hi > lo {
				x += (t.v - lo) / (hi - lo) * barW
			}
			s.polyline([]pt{{x, legendTop + 12}, {x, legendTop + 15}}, colorMuted, 1, false)
			s.text(x, legendTop+12+fontTick+3, t.label, fontTick, 'm', false, false, colorMuted)
		}
	}
	kx := barX + barW + 24
	if m.HatchFails {
		s.rect(kx, legendTop, 18, 12, "url(#"+id+"-hatch)", 1)
		s.text(kx+22, legendTop+10, "fails the objective", fontLegend, 's', false, false, colorInk)
		kx += 22 + textWidth("fails the objective", fontLegend, false) + 16
	}
	if slices.ContainsFunc(m.Cells, func(c HeatCell) bool { return c.Best }) {
		s.b.WriteString(`<rect x="`)
		s.num(kx + 1)
		s.b.WriteString(`" y="`)
		s.num(legendTop + 1)
		s.b.WriteString(`" width="16" height="10" fill="none" stroke="` + colorInk + `" stroke-width="2.5"/>` + "\n")
		s.text(kx+22, legendTop+10, "best", fontLegend, 's', false, false, colorInk)
	}
	s.b.WriteString("</g>\n")

	// The cells, row by row from the bottom: the first y value is lowest,
	// as on a chart's axis.
	for j := range ny {
		y := bottom - float64(j+1)*ch
		for i := range nx {
			k := j*nx + i
			if k >= len(m.Cells) {
				break
			}
			c := m.Cells[k]
			x := left + float64(i)*cw
			class, fill, label, white := "cell", colorNone, "", false
			switch {
			case !c.Run:
				class += " none"
				label = "–"
			case m.HatchFails && c.Fails:
				class += " fails"
				fill, label = "url(#"+id+"-hatch)", "fails"
			default:
				t := 0.0
				if hi > lo {
					t = (c.Value - lo) / (hi - lo)
				}
				fill, white = heatColor(t)
				label = m.format(c.Value)
				if c.Fails {
					class += " fails"
				}
			}
			if c.Best {
				class += " best"
			}
			s.b.WriteString(`<g class="` + class + `" data-x="`)
			s.esc(m.XValues[i])
			s.b.WriteString(`" data-y="`)
			s.esc(m.YValues[j])
			s.b.WriteString(`"><title>`)
			s.esc(c.Tip)
			s.b.WriteString("</title>\n")
			s.rect(x+1, y+1, cw-2, ch-2, fill, 1)
			ink := colorInk
			if white {
				ink = "#FFFFFF"
			}
			if c.Fails && !m.HatchFails && c.Run {
				// Outlined: fails the objective (its value still shown).
				s.polyline([]pt{{x + 2, y + 2}, {x + cw - 2, y + 2}, {x + cw - 2, y + ch - 2}, {x + 2, y + ch - 2}, {x + 2, y + 2}}, colorMissed, 2, true)
			}
			if c.Best {
				// Dark outside, white inside: seen on light and dark cells.
				s.polyline([]pt{{x + 1.5, y + 1.5}, {x + cw - 1.5, y + 1.5}, {x + cw - 1.5, y + ch - 1.5}, {x + 1.5, y + ch - 1.5}, {x + 1.5, y + 1.5}}, colorInk, 3, false)
				s.polyline([]pt{{x + 4, y + 4}, {x + cw - 4, y + 4}, {x + cw - 4, y + ch - 4}, {x + 4, y + ch - 4}, {x + 4, y + 4}}, "#FFFFFF", 1.5, false)
				if ch >= 34 && textWidth("best", 10, true) <= cw-6 {
					s.text(x+cw/2, y+ch-5, "best", 10, 'm', false, true, ink)
				}
			}
			size := 11.0
			if textWidth(label, size, c.Best) <= cw-4 {
				ty := y + ch/2 + 4
				if c.Best && ch >= 34 {
					ty -= 5
				}
				s.text(x+cw/2, ty, label, size, 'm', false, c.Best, ink)
			}
			s.b.WriteString("</g>\n")
		}
	}
	// The axes: each value under its column and beside its row.
	for i, v := range m.XValues {
		x := left + (float64(i)+0.5)*cw
		if textWidth(v, fontTick, false) <= cw-2 || i%max(1, int(math.Ceil(textWidth(v, fontTick, false)/cw))) == 0 {
			s.text(x, bottom+6+fontTick, v, fontTick, 'm', false, false, colorMuted)
		}
	}
	for j, v := range m.YValues {
		y := bottom - (float64(j)+0.5)*ch
		s.text(left-6, y+4, v, fontTick, 'e', false, false, colorMuted)
	}
	s.text((left+right)/2, h-padOuter-2, m.XLabel, fontLabel, 'm', false, false, colorInk)
	s.text(padOuter+fontLabel-2, (gridTop+bottom)/2, m.YLabel, fontLabel, 'm', true, false, colorInk)
	s.b.WriteString("</svg>\n")
	return s.b.Bytes()
}

// FileName is the map's name made safe for a file, without extension.
func (m *HeatMap) FileName() string { return chartFileName(m.Name) }

// sweepOwnAxes are the indexes in o.Axes of the settings that bear on
// policy: all but the swept settings of other policies (policies[OTHER]).
func sweepOwnAxes(o *SweepJSON, policy string) []int {
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
func sweepMeets(c *SweepConfigurationJSON, i int) bool {
	if i < len(c.Meets) {
		return c.Meets[i]
	}
	r := &c.Results[i]
	return r.SLO != nil && r.SLO.Met
}

// A limit is a clause of the objective and the quantity it bounds.
type limit struct {
	clause, legend, what string
	value                func(r *ResultJSON) (float64, bool)
	format               func(float64) string
}

var sweepLimits = []limit{
	{"max_missed", "unserved jobs (%)", "the share of jobs unserved", func(r *ResultJSON) (float64, bool) {
		if r.SLO != nil {
			return float64(r.SLO.Missed), true
		}
		return float64(r.Jobs.MissedFraction), true
	}, Percent},
	{"max_p99_wait", "p99 wait", "the 99th percentile of the wait", func(r *ResultJSON) (float64, bool) {
		switch {
		case r.SLO != nil && r.SLO.P99Wait != nil:
			return float64(*r.SLO.P99Wait), true
		case r.Wait != nil:
			return float64(r.Wait.P99), true
		}
		return 0, false
	}, Seconds},
	{"max_late", "late jobs (%)", "the share of served jobs late", func(r *ResultJSON) (float64, bool) {
		if r.SLO != nil && r.SLO.Late != nil {
			return float64(*r.SLO.Late), true
		}
		return 0, false
	}, Percent},
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

// SweepHeatMaps are, for each policy with exactly two swept settings of
// its own, the map of its cost where it meets the objective, with its
// cheapest such cell marked, and the map of the quantity that limits the
// objective: the clause its cells fail most often (unserved jobs when
// none fails). Policies in the order the results list them.
func SweepHeatMaps(o *SweepJSON) []HeatMap {
	var maps []HeatMap
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
			c *SweepConfigurationJSON
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
		name := chartFileName(policy)
		tip := func(k int) string {
			x, y := ax.Values[k%nx], ay.Values[k/nx]
			t := ax.Path + "=" + x + ", " + ay.Path + "=" + y + ": "
			a := cells[k]
			if a == nil {
				return t + "not run"
			}
			r := &a.c.Results[a.i]
			t += Money(float64(r.Cost)) + ", " + Percent(float64(r.Jobs.MissedFraction)) + " missed"
			if v, ok := sweepLimits[1].value(r); ok {
				t += ", p99 wait " + Seconds(v)
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
		cost := HeatMap{Name: "sweep-heatmap-cost-" + name, Title: fmt.Sprintf("Cost of %s where it meets the objective", policy),
			XLabel: ax.Path, YLabel: ay.Path, XValues: ax.Values, YValues: ay.Values, Legend: "cost ($)", Format: moneyTick, HatchFails: true}
		quantity := HeatMap{Name: "sweep-heatmap-" + strings.TrimPrefix(lim.clause, "max_") + "-" + name,
			Title:  fmt.Sprintf("%s of %s, the objective's limit (%s)", strings.ToUpper(lim.legend[:1])+lim.legend[1:], policy, lim.clause),
			XLabel: ax.Path, YLabel: ay.Path, XValues: ax.Values, YValues: ay.Values, Legend: lim.legend, Format: lim.format}
		meeting, failing := 0, 0
		for k := range cells {
			a := cells[k]
			cc := HeatCell{Tip: tip(k), Best: k == best}
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
			bestText = fmt.Sprintf("the cheapest meeting it, marked, is %s=%s and %s=%s at %s", ax.Path, ax.Values[best%nx], ay.Path, ay.Values[best/nx], Money(float64(o.BestByPolicy[policy].Cost)))
		}
		grid := fmt.Sprintf("A grid of %d × %d cells, %s across (%s to %s) and %s up (%s to %s)", nx, ny, ax.Path, ax.Values[0], ax.Values[nx-1], ay.Path, ay.Values[0], ay.Values[ny-1])
		cost.Desc = fmt.Sprintf("%s: each cell is %s's cost, lighter where cheaper; %d cells meet the objective and %d fail it (hatched grey, labelled fails); %s.", grid, policy, meeting, failing, bestText)
		quantity.Desc = fmt.Sprintf("%s: each cell is %s under %s, lighter where lower; cells outlined in red fail the objective.", grid, lim.what, policy)
		maps = append(maps, cost, quantity)
	}
	return maps
}

// SweepPolicyCharts are, when several settings are swept, for each policy
// with exactly one numeric swept setting of its own (Lambda's provisioned
// concurrency beside an HPA's target and min), its cost against that
// setting, the values failing the objective marked and the cheapest
// meeting it marked best; and the quantity that limits the objective
// against it. (With one swept setting in all, SweepCharts draws these for
// every policy at once.)
func SweepPolicyCharts(o *SweepJSON) []Chart {
	if len(o.Axes) < 2 {
		return nil
	}
	var charts []Chart
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
		rows := make([]*ResultJSON, len(a.Values))
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
		color := PolicyColor(order[policy])
		cost := Chart{Name: "sweep-cost-" + chartFileName(policy), Title: fmt.Sprintf("Cost of %s against %s", policy, a.Path),
			X: Axis{Label: a.Path}, Y: Axis{Label: "cost ($)", Zero: true, Format: moneyTick}}
		quantity := Chart{Name: "sweep-" + strings.TrimPrefix(lim.clause, "max_") + "-" + chartFileName(policy),
			Title: fmt.Sprintf("%s of %s, the objective's limit (%s)", strings.ToUpper(lim.legend[:1])+lim.legend[1:], policy, lim.clause),
			X:     Axis{Label: a.Path}, Y: Axis{Label: lim.legend, Zero: true}}
		if lim.clause == "max_p99_wait" {
			quantity.Y.Label = "p99 wait (s)"
		}
		lc := Layer{Kind: Line, Name: policy, Color: color}
		lq := lc
		failing := Layer{Kind: Points, Name: "fails the objective", Color: colorMissed}
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
		cost.Layers = []Layer{lc}
		quantity.Layers = []Layer{lq}
		if len(failing.X) > 0 {
			cost.Layers = append(cost.Layers, failing)
			quantity.Layers = append(quantity.Layers, failingQ)
		}
		if best >= 0 && rows[best] != nil {
			cost.Layers = append(cost.Layers, Layer{Kind: Mark, Color: colorInk, X: []float64{xs[best]}, Y: []float64{float64(rows[best].Cost)},
				Text: "best: " + a.Values[best] + ", " + Money(float64(rows[best].Cost))})
		}
		charts = append(charts, cost, quantity)
	}
	return charts
}

// SweepFigures are every picture of a sweep for a page: the charts
// (SweepCharts, SweepPolicyCharts) and the heat maps (SweepHeatMaps),
// inline SVG.
func SweepFigures(o *SweepJSON) []ChartSVG {
	out := InlineSVG(append(SweepCharts(o), SweepPolicyCharts(o)...), nil)
	for _, m := range SweepHeatMaps(o) {
		out = append(out, ChartSVG{Name: m.FileName(), Title: m.Title, Caption: m.Desc, SVG: template.HTML(m.SVG())})
	}
	return out
}

// SweepVerdict is a sweep's answer in one sentence, the first line of the
// text report: the cheapest policy and configuration meeting the
// objective, or that none does.
func SweepVerdict(o *SweepJSON) string { return sweepVerdict(o) + "." }

// SweepBestTable is the cheapest configuration of each policy that meets
// the objective, the best first, for the explorer.
func SweepBestTable(o *SweepJSON) HTMLTable {
	t := HTMLTable{Head: []string{"policy", "cost", "missed", "p99 wait", "settings"}, Right: []bool{false, true, true, true, false}}
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
			wait = Seconds(float64(*c.P99Wait))
		}
		t.Rows = append(t.Rows, HTMLRow{Color: PolicyColor(order[n]), Cells: []string{n, Money(float64(c.Cost)), Percent(float64(c.MissedShare)), wait, orNone(SettingsText(c.Settings))}})
	}
	return t
}
