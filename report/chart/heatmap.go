package chart

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

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
	id := FileName(m.Name)
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
		s.text(padOuter, padOuter+fontTitle-2, m.Title, fontTitle, 's', false, true, ColorInk)
	}

	// The legend: the colour bar in 48 steps, with round numbers.
	lo, hi, ok := m.scale()
	x0 := float64(padOuter)
	s.b.WriteString(`<g class="legend">` + "\n")
	lw := textWidth(m.Legend, fontLegend, false)
	s.text(x0, legendTop+10, m.Legend, fontLegend, 's', false, false, ColorInk)
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
		s.text(kx+22, legendTop+10, "fails the objective", fontLegend, 's', false, false, ColorInk)
		kx += 22 + textWidth("fails the objective", fontLegend, false) + 16
	}
	if slices.ContainsFunc(m.Cells, func(c HeatCell) bool { return c.Best }) {
		s.b.WriteString(`<rect x="`)
		s.num(kx + 1)
		s.b.WriteString(`" y="`)
		s.num(legendTop + 1)
		s.b.WriteString(`" width="16" height="10" fill="none" stroke="` + ColorInk + `" stroke-width="2.5"/>` + "\n")
		s.text(kx+22, legendTop+10, "best", fontLegend, 's', false, false, ColorInk)
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
			ink := ColorInk
			if white {
				ink = "#FFFFFF"
			}
			if c.Fails && !m.HatchFails && c.Run {
				// Outlined: fails the objective (its value still shown).
				s.polyline([]pt{{x + 2, y + 2}, {x + cw - 2, y + 2}, {x + cw - 2, y + ch - 2}, {x + 2, y + ch - 2}, {x + 2, y + 2}}, ColorMissed, 2, true)
			}
			if c.Best {
				// Dark outside, white inside: seen on light and dark cells.
				s.polyline([]pt{{x + 1.5, y + 1.5}, {x + cw - 1.5, y + 1.5}, {x + cw - 1.5, y + ch - 1.5}, {x + 1.5, y + ch - 1.5}, {x + 1.5, y + 1.5}}, ColorInk, 3, false)
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
	s.text((left+right)/2, h-padOuter-2, m.XLabel, fontLabel, 'm', false, false, ColorInk)
	s.text(padOuter+fontLabel-2, (gridTop+bottom)/2, m.YLabel, fontLabel, 'm', true, false, ColorInk)
	s.b.WriteString("</svg>\n")
	return s.b.Bytes()
}

// FileName is the map's name made safe for a file, without extension.
func (m *HeatMap) FileName() string { return FileName(m.Name) }
