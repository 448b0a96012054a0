package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"

	"github.com/boxes-project/boxes/report/chart"
)

// The self-contained HTML report: one file with its CSS inline and its
// charts as inline SVG, no script and nothing fetched, readable on a phone
// and in print. The same bytes for the same result.

//go:embed html_report.tmpl
var htmlTemplateText string

//go:embed html_report.css
var htmlCSS string

var htmlTemplate = template.Must(template.New("report").Parse(htmlTemplateText))

// Page is what the page template draws: every HTML report (WritePage).
type Page struct {
	// Verdict, when set, is the page's first line.
	Verdict    string
	Title      string
	Lede       []string
	Setup      []Pair
	TableTitle string
	Table      HTMLTable
	TableNotes []string
	Stories    []PolicyStory
	Paragraphs []string
	Pre        string
	Warnings   []string
	Charts     []ChartSVG
	Source     string
	CSS        template.CSS
}

// Pair is one line of a page's setup: a setting and its value in words.
type Pair struct{ Name, Value string }

// HTMLTable is a table for the report and the explorer: a header, rows
// whose first cell may carry a colour swatch, and which columns are
// numbers (right-aligned).
type HTMLTable struct {
	Head  []string
	Right []bool
	Rows  []HTMLRow
}

// HTMLRow is one row; Color, when set, is the swatch before its first cell.
type HTMLRow struct {
	Color string
	Cells []string
}

// PolicyStory is a policy's paragraph (Story) with its name and colour.
type PolicyStory struct {
	Policy string `json:"policy"`
	Color  string `json:"color"`
	Text   string `json:"text"`
}

// ChartSVG is a chart drawn for a page: its file-safe name, its title and
// its inline SVG.
type ChartSVG struct {
	Name    string        `json:"name"`
	Title   string        `json:"title"`
	Caption string        `json:"caption,omitempty"`
	SVG     template.HTML `json:"svg"`
}

// InlineSVG draws charts for a page. The SVG is made by this package, with
// every text escaped, so it is safe to inline.
func InlineSVG(charts []chart.Chart, captions map[string]string) []ChartSVG {
	out := make([]ChartSVG, len(charts))
	for i := range charts {
		c := &charts[i]
		out[i] = ChartSVG{Name: c.FileName(), Title: c.Title, Caption: captions[c.Name], SVG: template.HTML(c.SVG())}
	}
	return out
}

// SourceName is s, or dflt when s is empty: what a page says it was made
// from.
func SourceName(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

// WritePage writes p as a self-contained HTML page: its CSS inline, its
// charts inline SVG, no script and nothing fetched.
func WritePage(w io.Writer, p Page) error {
	p.CSS = template.CSS(htmlCSS)
	var b bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&b, "page", p); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// HTML renders the table as an HTML fragment (a scrolling div around a
// table), the same as the report's.
func (t HTMLTable) HTML() template.HTML {
	var b bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&b, "table", t); err != nil {
		return template.HTML(template.HTMLEscapeString(err.Error()))
	}
	return template.HTML(b.String())
}
