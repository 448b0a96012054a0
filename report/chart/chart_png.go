package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// PNG draws the chart as a PNG image, scale device pixels per CSS pixel (2
// for sharp pictures on today's screens; 0 means 1). Lines are stroked with
// round joins and caps and filled with x/image/vector's anti-aliasing; text
// is Go Regular and Go Bold. The encoding is deterministic.
func (c *Chart) PNG(scale float64) ([]byte, error) {
	if !(scale > 0) {
		scale = 1
	}
	w, h := c.size()
	W, H := int(math.Ceil(w*scale)), int(math.Ceil(h*scale))
	p := &pngCanvas{
		img:   image.NewRGBA(image.Rect(0, 0, W, H)),
		z:     vector.NewRasterizer(W, H),
		scale: scale,
		faces: map[[2]int]font.Face{},
	}
	defer p.close()
	c.draw(p)
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&b, p.img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WritePNG writes the chart's PNG at the given scale to w.
func (c *Chart) WritePNG(w io.Writer, scale float64) error {
	b, err := c.PNG(scale)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

type pngCanvas struct {
	img   *image.RGBA
	z     *vector.Rasterizer
	scale float64
	faces map[[2]int]font.Face // by size in device pixels × 4, and bold
	// pending are the polygons of the shape being drawn, in device pixels.
	pending [][]pt
}

func (p *pngCanvas) close() {
	for _, f := range p.faces {
		f.Close()
	}
}

// parseColor reads "#rrggbb"; anything else is black.
func parseColor(s string, opacity float64) color.NRGBA {
	c := color.NRGBA{A: uint8(math.Round(255 * math.Max(0, math.Min(1, opacity))))}
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			c.R, c.G, c.B = uint8(v>>16), uint8(v>>8), uint8(v)
		}
	}
	return c
}

// fill paints the pending polygons in col: the rasterizer is sized to
// their bounding box only, which keeps a thin line cheap.
func (p *pngCanvas) fill(col color.NRGBA) {
	if len(p.pending) == 0 {
		return
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, poly := range p.pending {
		for _, q := range poly {
			minX, minY = math.Min(minX, q.x), math.Min(minY, q.y)
			maxX, maxY = math.Max(maxX, q.x), math.Max(maxY, q.y)
		}
	}
	r := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(p.img.Bounds())
	if r.Empty() {
		p.pending = p.pending[:0]
		return
	}
	p.z.Reset(r.Dx(), r.Dy())
	ox, oy := float32(r.Min.X), float32(r.Min.Y)
	for _, poly := range p.pending {
		p.z.MoveTo(float32(poly[0].x)-ox, float32(poly[0].y)-oy)
		for _, q := range poly[1:] {
			p.z.LineTo(float32(q.x)-ox, float32(q.y)-oy)
		}
		p.z.ClosePath()
	}
	p.z.Draw(p.img, r, image.NewUniform(col), image.Point{})
	p.pending = p.pending[:0]
}

// path adds a closed polygon in CSS pixels to the pending ones. Strokes
// are unions of pieces; the rasterizer's coverage is |sum of signed areas|
// clamped to 1, so every piece of one stroke is added with the same
// orientation.
func (p *pngCanvas) path(pts []pt) {
	if len(pts) < 3 {
		return
	}
	poly := make([]pt, len(pts))
	for i, q := range pts {
		poly[i] = pt{q.x * p.scale, q.y * p.scale}
	}
	p.pending = append(p.pending, poly)
}

// disc adds a circle of radius r, clockwise on the screen (negative signed
// area in y-down coordinates), like the stroke quads.
func (p *pngCanvas) disc(x, y, r float64) {
	const n = 16
	pts := make([]pt, n)
	for i := range n {
		a := -2 * math.Pi * float64(i) / n
		pts[i] = pt{x + r*math.Cos(a), y + r*math.Sin(a)}
	}
	p.path(pts)
}

func (p *pngCanvas) rect(x, y, w, h float64, fill string, opacity float64) {
	p.path([]pt{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}})
	p.fill(parseColor(fill, opacity))
}

// stroke adds the outline of a polyline of the given width: a quad per
// segment and a disc at each vertex (round joins and caps).
func (p *pngCanvas) stroke(pts []pt, width float64) {
	hw := width / 2
	for i := range pts {
		if i > 0 {
			a, b := pts[i-1], pts[i]
			dx, dy := b.x-a.x, b.y-a.y
			d := math.Hypot(dx, dy)
			if d > 0 {
				nx, ny := -dy/d*hw, dx/d*hw
				p.path([]pt{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}})
			}
		}
		if width > 1.2 && (i == 0 || i == len(pts)-1 || turns(pts[i-1], pts[i], pts[i+1])) {
			p.disc(pts[i].x, pts[i].y, hw)
		}
	}
}

// turns reports that the line a → b → c bends at b by more than about 3°,
// so that the join needs a round piece to close the gap between the quads.
func turns(a, b, c pt) bool {
	ux, uy, vx, vy := b.x-a.x, b.y-a.y, c.x-b.x, c.y-b.y
	cross, dot := ux*vy-uy*vx, ux*vx+uy*vy
	return dot <= 0 || math.Abs(cross) > 0.05*dot
}

// dashes cuts a polyline into 6-on, 4-off pieces along its length.
func dashes(pts []pt) [][]pt {
	const on, off = 6.0, 4.0
	var out [][]pt
	var cur []pt
	drawing, left := true, on
	cur = append(cur, pts[0])
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		seg := math.Hypot(b.x-a.x, b.y-a.y)
		pos := 0.0
		for seg-pos > left {
			pos += left
			q := pt{a.x + (b.x-a.x)*pos/seg, a.y + (b.y-a.y)*pos/seg}
			if drawing {
				out = append(out, append(cur, q))
				cur = nil
				left = off
			} else {
				cur = []pt{q}
				left = on
			}
			drawing = !drawing
		}
		left -= seg - pos
		if drawing {
			cur = append(cur, b)
		}
	}
	if drawing && len(cur) > 1 {
		out = append(out, cur)
	}
	return out
}

func (p *pngCanvas) polyline(pts []pt, stroke string, width float64, dash bool) {
	if len(pts) < 2 {
		return
	}
	if dash {
		for _, d := range dashes(pts) {
			p.stroke(d, width)
		}
	} else {
		p.stroke(pts, width)
	}
	p.fill(parseColor(stroke, 1))
}

func (p *pngCanvas) polygon(pts []pt, fill string, opacity float64) {
	p.path(pts)
	p.fill(parseColor(fill, opacity))
}

func (p *pngCanvas) circle(x, y, r float64, fill, stroke string) {
	p.disc(x, y, r+0.75)
	p.fill(parseColor(stroke, 1))
	p.disc(x, y, r-0.75)
	p.fill(parseColor(fill, 1))
}

func (p *pngCanvas) face(size float64, bold bool) font.Face {
	key := [2]int{int(math.Round(size * p.scale * 4)), 0}
	if bold {
		key[1] = 1
	}
	if f, ok := p.faces[key]; ok {
		return f
	}
	f, err := opentype.NewFace(chartFonts().fonts[key[1]], &opentype.FaceOptions{
		Size: size * p.scale, DPI: 72, Hinting: font.HintingNone,
	})
	if err != nil {
		return nil
	}
	p.faces[key] = f
	return f
}

func (p *pngCanvas) text(x, y float64, s string, size float64, anchor byte, vertical, bold bool, col string) {
	face := p.face(size, bold)
	if face == nil || s == "" {
		return
	}
	src := image.NewUniform(parseColor(col, 1))
	adv := font.MeasureString(face, s)
	w := float64(adv) / 64
	switch anchor {
	case 'm':
		w /= 2
	case 's':
		w = 0
	}
	X, Y := x*p.scale, y*p.scale
	if !vertical {
		d := font.Drawer{Dst: p.img, Src: src, Face: face, Dot: fixed.P(0, 0)}
		d.Dot = fixed.Point26_6{X: fixed.Int26_6(math.Round((X - w) * 64)), Y: fixed.Int26_6(math.Round(Y * 64))}
		d.DrawString(s)
		return
	}
	// Vertical text: draw it flat on a scratch image, then copy it turned a
	// quarter anticlockwise so that (x, y) stays the anchor.
	m := face.Metrics()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	tw := adv.Ceil() + 2
	tmp := image.NewRGBA(image.Rect(0, 0, tw, asc+desc))
	d := font.Drawer{Dst: tmp, Src: src, Face: face, Dot: fixed.P(1, asc)}
	d.DrawString(s)
	// A point (u, v) of tmp, with the baseline at v = asc and the anchor
	// at u = 1 + w, lands at (X + (v − asc), Y − (u − 1 − w)).
	for v := range asc + desc {
		for u := range tw {
			c := tmp.RGBAAt(u, v)
			if c.A == 0 {
				continue
			}
			dx := int(math.Round(X)) + v - asc
			dy := int(math.Round(Y - float64(u-1) + w))
			if !(image.Point{dx, dy}.In(p.img.Bounds())) {
				continue
			}
			draw.Draw(p.img, image.Rect(dx, dy, dx+1, dy+1), image.NewUniform(c), image.Point{}, draw.Over)
		}
	}
}
