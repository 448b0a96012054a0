package chart

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
)

// svgFonts is the font list of a chart's text: the Go font the layout was
// measured with, then sans-serif fonts of similar widths.
const svgFonts = "Go, 'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', sans-serif"

// SVG draws the chart as a standalone SVG document: a viewBox of the
// chart's size, so that it scales to any width, no script, no external
// reference, and coordinates rounded to a tenth of a pixel.
func (c *Chart) SVG() []byte {
	w, h := c.size()
	s := &svgCanvas{}
	s.b.Grow(16 << 10)
	s.b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	s.num(w)
	s.b.WriteByte(' ')
	s.num(h)
	s.b.WriteString(`" width="`)
	s.num(w)
	s.b.WriteString(`" height="`)
	s.num(h)
	s.b.WriteString(`" role="img" font-family="` + svgFonts + `" class="chart">`)
	if c.Title != "" {
		s.b.WriteString("<title>")
		s.esc(c.Title)
		s.b.WriteString("</title>")
	}
	s.b.WriteByte('\n')
	c.draw(s)
	s.b.WriteString("</svg>\n")
	return s.b.Bytes()
}

// WriteSVG writes the chart's SVG document to w.
func (c *Chart) WriteSVG(w io.Writer) error {
	_, err := w.Write(c.SVG())
	return err
}

type svgCanvas struct{ b bytes.Buffer }

// num writes x rounded to a tenth, in its shortest form ("12", "3.5").
func (s *svgCanvas) num(x float64) {
	x = math.Round(x*10) / 10
	if x == 0 {
		x = 0 // no "-0"
	}
	s.b.Write(strconv.AppendFloat(s.b.AvailableBuffer(), x, 'f', -1, 64))
}

var svgEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func (s *svgCanvas) esc(t string) { svgEscaper.WriteString(&s.b, t) }

func (s *svgCanvas) points(pts []pt) {
	for i, p := range pts {
		if i > 0 {
			s.b.WriteByte(' ')
		}
		s.num(p.x)
		s.b.WriteByte(',')
		s.num(p.y)
	}
}

func (s *svgCanvas) opacity(name string, o float64) {
	if o >= 1 {
		return
	}
	s.b.WriteString(` ` + name + `="`)
	s.b.WriteString(strconv.FormatFloat(math.Round(o*100)/100, 'f', -1, 64))
	s.b.WriteByte('"')
}

func (s *svgCanvas) rect(x, y, w, h float64, fill string, opacity float64) {
	s.b.WriteString(`<rect x="`)
	s.num(x)
	s.b.WriteString(`" y="`)
	s.num(y)
	s.b.WriteString(`" width="`)
	s.num(w)
	s.b.WriteString(`" height="`)
	s.num(h)
	s.b.WriteString(`" fill="` + fill + `"`)
	s.opacity("fill-opacity", opacity)
	s.b.WriteString("/>\n")
}

func (s *svgCanvas) polyline(pts []pt, stroke string, width float64, dash bool) {
	s.b.WriteString(`<polyline fill="none" stroke="` + stroke + `" stroke-width="`)
	s.num(width)
	s.b.WriteString(`" stroke-linejoin="round" stroke-linecap="round"`)
	if dash {
		s.b.WriteString(` stroke-dasharray="6 4"`)
	}
	s.b.WriteString(` points="`)
	s.points(pts)
	s.b.WriteString("\"/>\n")
}

func (s *svgCanvas) polygon(pts []pt, fill string, opacity float64) {
	s.b.WriteString(`<polygon fill="` + fill + `"`)
	s.opacity("fill-opacity", opacity)
	s.b.WriteString(` points="`)
	s.points(pts)
	s.b.WriteString("\"/>\n")
}

func (s *svgCanvas) circle(x, y, r float64, fill, stroke string) {
	s.b.WriteString(`<circle cx="`)
	s.num(x)
	s.b.WriteString(`" cy="`)
	s.num(y)
	s.b.WriteString(`" r="`)
	s.num(r)
	s.b.WriteString(`" fill="` + fill + `" stroke="` + stroke + `" stroke-width="1.5"/>` + "\n")
}

func (s *svgCanvas) text(x, y float64, t string, size float64, anchor byte, vertical, bold bool, color string) {
	s.b.WriteString(`<text x="`)
	s.num(x)
	s.b.WriteString(`" y="`)
	s.num(y)
	s.b.WriteString(`" font-size="`)
	s.num(size)
	s.b.WriteString(`" fill="` + color + `"`)
	switch anchor {
	case 'm':
		s.b.WriteString(` text-anchor="middle"`)
	case 'e':
		s.b.WriteString(` text-anchor="end"`)
	}
	if bold {
		s.b.WriteString(` font-weight="bold"`)
	}
	if vertical {
		s.b.WriteString(` transform="rotate(-90 `)
		s.num(x)
		s.b.WriteByte(' ')
		s.num(y)
		s.b.WriteString(`)"`)
	}
	s.b.WriteByte('>')
	s.esc(t)
	s.b.WriteString("</text>\n")
}
