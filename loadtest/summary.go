package loadtest

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteSummary writes, for a person, what was read from each source: the
// format, the columns and what they meant, the windows and which became
// measurements, and the notes.
func WriteSummary(w io.Writer, sources []*Source) error {
	for _, s := range sources {
		how := "detected"
		if !s.Detected {
			how = "as given"
		}
		used := len(s.Points())
		fmt.Fprintf(w, "read %s: %s (%s), %d rows, %d skipped, %d of %d windows used\n", s.File, s.Format, how, s.Rows, s.Skipped, used, len(s.Windows))
		for _, c := range s.Columns {
			fmt.Fprintf(w, "  column %s: %s\n", c.Name, c.Meaning)
		}
		series := false
		for _, win := range s.Windows {
			series = series || win.Dropped > 0
		}
		if series {
			fmt.Fprintf(w, "  windows of constant concurrency (a tenth of each, at least one step, dropped at each edge for ramp-up and ramp-down):\n")
		}
		for _, win := range s.Windows {
			fmt.Fprintf(w, "  %s\n", win.describe(series))
		}
		for _, n := range s.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}

func (w Window) describe(series bool) string {
	var b strings.Builder
	if w.Used {
		b.WriteString("used ")
	} else {
		b.WriteString("not used ")
	}
	fmt.Fprintf(&b, "N=%s", num(w.Concurrency))
	if series {
		fmt.Fprintf(&b, " %s–%s", clock(w.Start), clock(w.End))
		if w.Dropped > 0 {
			fmt.Fprintf(&b, " (%s kept, %s dropped)", seconds(w.End-w.Start), seconds(w.Dropped))
		}
	}
	if w.Line > 0 {
		fmt.Fprintf(&b, " line %d", w.Line)
	}
	if w.Throughput > 0 {
		fmt.Fprintf(&b, " X=%s/s", num(w.Throughput))
	}
	if w.Latency > 0 {
		fmt.Fprintf(&b, " R=%s", seconds(w.Latency))
	}
	if w.Requests > 0 || w.Failures > 0 {
		fmt.Fprintf(&b, " %d requests", w.Requests)
		if w.Failures > 0 {
			fmt.Fprintf(&b, ", %d failed", w.Failures)
		}
	}
	if w.Why != "" {
		fmt.Fprintf(&b, ": %s", w.Why)
	}
	return b.String()
}

// clock is a Unix time as UTC time of day, or seconds for small times.
func clock(sec float64) string {
	if sec < 1e8 {
		return strconv.FormatFloat(sec, 'f', 1, 64) + "s"
	}
	t := time.Unix(0, int64(sec*1e9)).UTC()
	return t.Format("15:04:05.0")
}

// num is a number in four significant digits.
func num(v float64) string {
	return strconv.FormatFloat(v, 'g', 4, 64)
}
