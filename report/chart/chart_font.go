package chart

import (
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Charts are laid out with the Go fonts' metrics (golang.org/x/image's
// embedded Go Regular and Go Bold), which the PNG backend also draws with;
// an SVG names the Go font first and falls back to the reader's sans-serif,
// whose widths are close enough for the layout's gaps.

var chartFonts = sync.OnceValue(func() *fontSet {
	fs := &fontSet{}
	for i, data := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := opentype.Parse(data)
		if err != nil {
			panic("chart: the embedded Go font does not parse: " + err.Error()) // cannot happen: the bytes are fixed
		}
		fs.fonts[i] = f
		fs.widths[i] = map[rune]float64{}
		var buf sfnt.Buffer
		upem := f.UnitsPerEm()
		for _, r := range fontRunes() {
			idx, err := f.GlyphIndex(&buf, r)
			if err != nil || idx == 0 {
				continue
			}
			adv, err := f.GlyphAdvance(&buf, idx, fixed.Int26_6(upem), font.HintingNone)
			if err != nil {
				continue
			}
			fs.widths[i][r] = float64(adv) / float64(upem)
		}
	}
	return fs
})

type fontSet struct {
	fonts  [2]*opentype.Font // regular, bold
	widths [2]map[rune]float64
}

// fontRunes are the characters whose widths are kept: printable ASCII and
// Latin-1, and the symbols the reports use.
func fontRunes() []rune {
	var rs []rune
	for r := rune(0x20); r < 0x7F; r++ {
		rs = append(rs, r)
	}
	for r := rune(0xA0); r <= 0xFF; r++ {
		rs = append(rs, r)
	}
	return append(rs, []rune("×→←↑↓−–—σκλµμ∞≤≥²·•…’‘“”€")...)
}

// textWidth is the width of s in CSS pixels at size, in Go Regular or Go
// Bold; a character the font lacks counts as 0.6 em.
func textWidth(s string, size float64, bold bool) float64 {
	ws := chartFonts().widths[0]
	if bold {
		ws = chartFonts().widths[1]
	}
	w := 0.0
	for _, r := range s {
		if a, ok := ws[r]; ok {
			w += a
		} else {
			w += 0.6
		}
	}
	return w * size
}
