package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Chart is a picture of numbers against two linear axes: lines, shaded
// areas, bands, points and marks, with a title and a legend. One Chart is
// drawn by the same code to SVG (WriteSVG) and PNG (WritePNG), so the two
// show the same thing. Drawing is deterministic: the same Chart gives the
// same bytes. A Chart is a plain value; drawing does not change it, so one
// Chart may be drawn from several goroutines at once.
type Chart struct {
	// Name is a short file-name-like identifier ("utilization"), used for
	// file names and SVG ids.
	Name  string
	Title string
	X, Y  Axis
	// Layers are drawn in order, the first at the bottom.
	Layers []Layer
	// Width and Height are the picture's size in CSS pixels; zero means
	// 720 × 340.
	Width, Height float64
}

// Axis is a linear axis. Its range is [Min, Max] when Max > Min; otherwise
// it runs from the data's least value (or 0 with Zero) to its greatest,
// widened to round tick values.
type Axis struct {
	Label    string // the quantity and its unit: "JobRate (jobs/s)"
	Min, Max float64
	Zero     bool // include 0 in an automatic range
	// Clock, when not zero, makes this a time axis: values are seconds
	// after Clock, ticked at round times of day and labelled "15:04" (or
	// "Jan 2" for ticks a day or more apart).
	Clock time.Time
	// Format formats tick labels; nil uses a plain number with the tick
	// step's decimals.
	Format func(float64) string
}

// LayerKind is how a layer is drawn.
type LayerKind int

const (
	// Line joins (X[i], Y[i]); a NaN breaks the line, ±Inf is drawn at the
	// plot's edge.
	Line LayerKind = iota
	// Area fills between Y0 (zero when nil) and Y.
	Area
	// Points draws a dot at each (X[i], Y[i]).
	Points
	// HBand fills the horizontal band between Y[0] and Y[1] across the plot.
	HBand
	// HRule draws a horizontal line at Y[0] across the plot.
	HRule
	// Mark draws a dot at (X[0], Y[0]) with a dashed drop line to the x
	// axis and Text beside it.
	Mark
)

// Layer is one thing drawn on a chart.
type Layer struct {
	Kind  LayerKind
	Name  string // in the legend when not empty
	Color string // "#rrggbb"
	// Dash draws a line dashed; Width is a line's width in pixels (0: 2).
	Dash  bool
	Width float64
	// Opacity of an area's or band's fill (0: 0.25).
	Opacity float64
	X, Y    []float64
	Y0      []float64 // an Area's lower edge; nil for zero
	Text    string    // a Mark's or HRule's label
}

// Colours: the palette (Okabe and Ito's, "Color Universal Design", 2002,
// which colour-blind readers tell apart), in the order policies take them,
// the oracle's, the JobRate's and the missed jobs'.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"}

const (
	ColorOracle  = "#555555"
	ColorJobRate = "#6A1B9A" // the first article's RedViolet, darkened to read on white
	ColorMissed  = "#D62728"
	ColorBand    = "#2CA02C"
	ColorInk     = "#222222"
	colorGrid    = "#E3E3E3"
	colorMuted   = "#666666"
)

// PolicyColor is the colour of the i-th policy (0 for the first after the
// oracle), the same in every chart; past the palette's end the colours
// repeat.
func PolicyColor(i int) string {
	if i < 0 {
		return ColorOracle
	}
	return palette[i%len(palette)]
}

// canvas is what a chart draws on: the SVG and PNG backends. Coordinates
// are CSS pixels from the top left.
type canvas interface {
	rect(x, y, w, h float64, fill string, opacity float64)
	polyline(pts []pt, stroke string, width float64, dash bool)
	polygon(pts []pt, fill string, opacity float64)
	circle(x, y, r float64, fill, stroke string)
	// text draws s with its baseline at y; anchor is 's'tart, 'm'iddle or
	// 'e'nd; vertical text reads bottom to top, rotated about (x, y).
	text(x, y float64, s string, size float64, anchor byte, vertical, bold bool, color string)
}

type pt struct{ x, y float64 }

// Sizes of the chart's parts, in CSS pixels.
const (
	fontTitle  = 15
	fontLabel  = 13
	fontTick   = 12
	fontLegend = 12
	padOuter   = 10
)

// layout is a chart placed on its canvas: the plot's rectangle, the axes'
// ranges and ticks, and the legend's rows.
type layout struct {
	w, h           float64
	left, top      float64 // plot rectangle
	right, bottom  float64
	xmin, xmax     float64
	ymin, ymax     float64
	xticks, yticks []tick
	legend         [][]legendItem
	legendTop      float64
}

type tick struct {
	v     float64
	label string
}

type legendItem struct {
	layer *Layer
	x     float64
}

func (c *Chart) size() (float64, float64) {
	w, h := c.Width, c.Height
	if w <= 0 {
		w = 720
	}
	if h <= 0 {
		h = 340
	}
	return w, h
}

// dataRange is the least and greatest finite values of the layers along
// one axis.
func (c *Chart) dataRange(y bool) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	add := func(v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for i := range c.Layers {
		l := &c.Layers[i]
		switch {
		case !y && (l.Kind == HBand || l.Kind == HRule):
			continue
		case y:
			for _, v := range l.Y {
				add(v)
			}
			for _, v := range l.Y0 {
				add(v)
			}
		default:
			for _, v := range l.X {
				add(v)
			}
		}
	}
	return lo, hi
}

func (a *Axis) span(dlo, dhi float64) (lo, hi float64, fixed bool) {
	if a.Max > a.Min {
		return a.Min, a.Max, true
	}
	lo, hi = dlo, dhi
	if math.IsInf(lo, 1) { // no data
		lo, hi = 0, 1
	}
	if a.Zero {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	if hi <= lo {
		if lo == 0 {
			hi = 1
		} else {
			lo, hi = lo-math.Abs(lo)/2, hi+math.Abs(hi)/2
			if a.Zero && lo < 0 && dlo >= 0 {
				lo = 0
			}
		}
	}
	return lo, hi, false
}

// niceStep is the round step (1, 2 or 5 times a power of ten) that cuts
// span into about n intervals: Heckbert's "nice numbers for graph labels"
// (Graphics Gems, 1990), rounding to the nearest.
func niceStep(span float64, n int) float64 {
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	f := raw / p
	switch {
	case f < 1.5:
		return p
	case f < 3:
		return 2 * p
	case f < 7:
		return 5 * p
	}
	return 10 * p
}

// numberTicks are round ticks covering [lo, hi]; unless fixed, the range
// grows to the ticks just outside it.
func numberTicks(lo, hi float64, n int, fixed bool, format func(float64) string) (float64, float64, []tick) {
	step := niceStep(hi-lo, n)
	first := math.Ceil(lo/step-1e-9) * step
	if !fixed {
		lo = math.Floor(lo/step+1e-9) * step
		hi = math.Ceil(hi/step-1e-9) * step
		first = lo
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ts []tick
	for i := 0; ; i++ {
		v := first + float64(i)*step
		if v > hi+step*1e-9 || i > 100 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		label := ""
		if format != nil {
			label = format(v)
		} else {
			label = tickNumber(v, decimals)
		}
		ts = append(ts, tick{v, label})
	}
	return lo, hi, ts
}

// tickNumber formats a tick with the step's decimals, thousands with a
// comma, and millions as "1.5M".
func tickNumber(v float64, decimals int) string {
	if math.Abs(v) >= 1e6 {
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "M"
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if decimals == 0 && math.Abs(v) >= 10000 {
		s = Thousands(s)
	}
	return s
}

// clockSteps are the tick intervals of a time axis, in seconds.
var clockSteps = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
	86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400}

// clockTicks are ticks at round times of day after start (in start's
// location) within [lo, hi] seconds, about n of them.
func clockTicks(start time.Time, lo, hi float64, n int) []tick {
	step := clockSteps[len(clockSteps)-1]
	for _, s := range clockSteps {
		if (hi-lo)/s <= float64(n) {
			step = s
			break
		}
	}
	// Ticks fall on multiples of step counted from the start's midnight.
	y, m, d := start.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, start.Location())
	offset := start.Sub(midnight).Seconds() // seconds after midnight at t = 0
	if step >= 86400 {
		offset = math.Mod(offset, step)
	}
	first := math.Ceil((lo+offset)/step-1e-9)*step - offset
	var ts []tick
	for i := 0; i <= 200; i++ {
		v := first + float64(i)*step
		if v > hi+1e-9 {
			break
		}
		at := start.Add(time.Duration(math.Round(v)) * time.Second)
		label := at.Format("15:04")
		switch {
		case step >= 86400:
			label = at.Format("Jan 2")
		case step < 60:
			label = at.Format("15:04:05")
		}
		ts = append(ts, tick{v, label})
	}
	return ts
}

func (c *Chart) layout() *layout {
	L := &layout{}
	L.w, L.h = c.size()
	// The legend's rows, wrapped to the width.
	L.top = padOuter
	if c.Title != "" {
		L.top += fontTitle + 6
	}
	L.legendTop = L.top
	var row []legendItem
	x, maxX := float64(padOuter), L.w-padOuter
	for i := range c.Layers {
		l := &c.Layers[i]
		if l.Name == "" {
			continue
		}
		iw := 22 + textWidth(l.Name, fontLegend, false) + 16
		if len(row) > 0 && x+iw > maxX {
			L.legend = append(L.legend, row)
			row, x = nil, float64(padOuter)
		}
		row = append(row, legendItem{l, x})
		x += iw
	}
	if len(row) > 0 {
		L.legend = append(L.legend, row)
	}
	L.top += float64(len(L.legend))*(fontLegend+6) + 8

	// Axes: ranges and ticks. The y ticks' width sets the left margin.
	xlo, xhi := c.dataRange(false)
	ylo, yhi := c.dataRange(true)
	var fixed bool
	L.xmin, L.xmax, fixed = c.X.span(xlo, xhi)
	if c.X.Clock.IsZero() {
		L.xmin, L.xmax, L.xticks = numberTicks(L.xmin, L.xmax, 8, fixed, c.X.Format)
	} else {
		L.xticks = clockTicks(c.X.Clock, L.xmin, L.xmax, 9)
	}
	L.ymin, L.ymax, fixed = c.Y.span(ylo, yhi)
	L.ymin, L.ymax, L.yticks = numberTicks(L.ymin, L.ymax, 5, fixed, c.Y.Format)
	tw := 0.0
	for _, t := range L.yticks {
		tw = math.Max(tw, textWidth(t.label, fontTick, false))
	}
	L.left = padOuter + tw + 6
	if c.Y.Label != "" {
		L.left += fontLabel + 6
	}
	L.right = L.w - padOuter - 8
	L.bottom = L.h - padOuter - fontTick - 6
	if c.X.Label != "" {
		L.bottom -= fontLabel + 6
	}
	return L
}

func (L *layout) px(x float64) float64 {
	return L.left + (x-L.xmin)/(L.xmax-L.xmin)*(L.right-L.left)
}

// py maps y to a pixel row, clamping to the plot so that values off the
// scale (and ±Inf) sit on its edge.
func (L *layout) py(y float64) float64 {
	switch {
	case y > L.ymax || math.IsInf(y, 1):
		y = L.ymax
	case y < L.ymin || math.IsInf(y, -1):
		y = L.ymin
	}
	return L.bottom - (y-L.ymin)/(L.ymax-L.ymin)*(L.bottom-L.top)
}

// Pixel is where the point (x, y) of the data lands on the picture, in CSS
// pixels from the top left (times the scale for a PNG); a y off the scale
// lands on the plot's edge.
func (c *Chart) Pixel(x, y float64) (float64, float64) {
	L := c.layout()
	return L.px(x), L.py(y)
}

func (l *Layer) width() float64 {
	if l.Width > 0 {
		return l.Width
	}
	return 2
}

func (l *Layer) opacity() float64 {
	if l.Opacity > 0 {
		return l.Opacity
	}
	return 0.25
}

// draw draws the chart on cv.
func (c *Chart) draw(cv canvas) {
	L := c.layout()
	cv.rect(0, 0, L.w, L.h, "#FFFFFF", 1)
	if c.Title != "" {
		cv.text(padOuter, padOuter+fontTitle-2, c.Title, fontTitle, 's', false, true, ColorInk)
	}
	// Grid and tick labels.
	for _, t := range L.yticks {
		y := L.py(t.v)
		cv.polyline([]pt{{L.left, y}, {L.right, y}}, colorGrid, 1, false)
		cv.text(L.left-6, y+4, t.label, fontTick, 'e', false, false, colorMuted)
	}
	for _, t := range L.xticks {
		x := L.px(t.v)
		cv.polyline([]pt{{x, L.top}, {x, L.bottom}}, colorGrid, 1, false)
		cv.text(x, L.bottom+fontTick+4, t.label, fontTick, 'm', false, false, colorMuted)
	}
	if c.X.Label != "" {
		cv.text((L.left+L.right)/2, L.h-padOuter-2, c.X.Label, fontLabel, 'm', false, false, ColorInk)
	}
	if c.Y.Label != "" {
		cv.text(padOuter+fontLabel-2, (L.top+L.bottom)/2, c.Y.Label, fontLabel, 'm', true, false, ColorInk)
	}
	for i := range c.Layers {
		c.drawLayer(cv, L, &c.Layers[i])
	}
	// The axes over the data.
	cv.polyline([]pt{{L.left, L.top}, {L.left, L.bottom}, {L.right, L.bottom}}, colorMuted, 1, false)
	// The legend.
	for r, row := range L.legend {
		y := L.legendTop + float64(r)*(fontLegend+6) + fontLegend - 1
		for _, it := range row {
			l := it.layer
			switch l.Kind {
			case Area, HBand:
				cv.rect(it.x, y-9, 18, 10, l.Color, l.opacity()+0.15)
			case Points:
				cv.circle(it.x+9, y-4, 3.5, l.Color, "#FFFFFF")
			case Mark:
				cv.circle(it.x+9, y-4, 4, l.Color, "#FFFFFF")
			default:
				cv.polyline([]pt{{it.x, y - 4}, {it.x + 18, y - 4}}, l.Color, l.width(), l.Dash)
			}
			cv.text(it.x+22, y, l.Name, fontLegend, 's', false, false, ColorInk)
		}
	}
}

func (c *Chart) drawLayer(cv canvas, L *layout, l *Layer) {
	switch l.Kind {
	case Line:
		var run []pt
		flush := func() {
			if len(run) > 1 {
				cv.polyline(run, l.Color, l.width(), l.Dash)
			}
			run = nil
		}
		for i := range min(len(l.X), len(l.Y)) {
			if math.IsNaN(l.X[i]) || math.IsNaN(l.Y[i]) {
				flush()
				continue
			}
			run = append(run, pt{L.px(l.X[i]), L.py(l.Y[i])})
		}
		flush()
	case Area:
		n := min(len(l.X), len(l.Y))
		// One polygon per run of finite points: the upper edge forward, the
		// lower edge back.
		start := -1
		emit := func(end int) {
			if start < 0 || end-start < 2 {
				start = -1
				return
			}
			poly := make([]pt, 0, 2*(end-start))
			for i := start; i < end; i++ {
				poly = append(poly, pt{L.px(l.X[i]), L.py(l.Y[i])})
			}
			for i := end - 1; i >= start; i-- {
				y0 := 0.0
				if l.Y0 != nil {
					y0 = l.Y0[i]
				}
				poly = append(poly, pt{L.px(l.X[i]), L.py(y0)})
			}
			cv.polygon(poly, l.Color, l.opacity())
			start = -1
		}
		for i := range n {
			bad := math.IsNaN(l.X[i]) || math.IsNaN(l.Y[i]) || (l.Y0 != nil && (i >= len(l.Y0) || math.IsNaN(l.Y0[i])))
			if bad {
				emit(i)
				continue
			}
			if start < 0 {
				start = i
			}
		}
		emit(n)
	case Points:
		for i := range min(len(l.X), len(l.Y)) {
			if math.IsNaN(l.X[i]) || math.IsNaN(l.Y[i]) || math.IsInf(l.X[i], 0) || math.IsInf(l.Y[i], 0) {
				continue
			}
			cv.circle(L.px(l.X[i]), L.py(l.Y[i]), 3.5, l.Color, "#FFFFFF")
		}
	case HBand:
		if len(l.Y) < 2 {
			return
		}
		y1, y2 := L.py(l.Y[1]), L.py(l.Y[0])
		cv.rect(L.left, math.Min(y1, y2), L.right-L.left, math.Abs(y2-y1), l.Color, l.opacity())
	case HRule:
		if len(l.Y) < 1 || l.Y[0] < L.ymin || l.Y[0] > L.ymax {
			return
		}
		y := L.py(l.Y[0])
		cv.polyline([]pt{{L.left, y}, {L.right, y}}, l.Color, l.width(), l.Dash)
		if l.Text != "" {
			cv.text(L.right-4, y-5, l.Text, fontTick, 'e', false, false, l.Color)
		}
	case Mark:
		if len(l.X) < 1 || len(l.Y) < 1 || math.IsInf(l.X[0], 0) || math.IsNaN(l.X[0]) || l.X[0] > L.xmax || l.X[0] < L.xmin {
			return
		}
		x, y := L.px(l.X[0]), L.py(l.Y[0])
		cv.polyline([]pt{{x, y}, {x, L.bottom}}, l.Color, 1, true)
		cv.circle(x, y, 5, l.Color, "#FFFFFF")
		if l.Text != "" {
			anchor, dx := byte('s'), 8.0
			if x > (L.left+L.right)/2 {
				anchor, dx = 'e', -8
			}
			cv.text(x+dx, math.Max(y-8, L.top+fontTick), l.Text, fontTick, anchor, false, true, l.Color)
		}
	}
}

// FileName makes a name safe for a file: letters, digits, '-' and '_'.
func FileName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "chart"
	}
	return b.String()
}

// FileName is the chart's name made safe for a file, without extension.
func (c *Chart) FileName() string { return FileName(c.Name) }

func (c *Chart) String() string { return fmt.Sprintf("chart %q (%d layers)", c.Name, len(c.Layers)) }

// Thousands puts commas between groups of three digits of an integer
// written in decimal ("-1234567" is "-1,234,567"), as the tick labels and
// the report's counts and money have them.
func Thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// SameY gives charts one y axis, from 0 to the round tick at or above the
// greatest y any of them draws, so that the eye can carry a value from one
// to another.
func SameY(cs ...*Chart) {
	hi := 0.0
	for _, c := range cs {
		_, h := c.dataRange(true)
		hi = math.Max(hi, h)
	}
	_, hi, _ = numberTicks(0, hi, 5, false, nil)
	for _, c := range cs {
		c.Y.Min, c.Y.Max = 0, hi
	}
}
