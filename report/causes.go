package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/boxes-project/boxes/sim"
)

// CausesJSON is what held a box policy back, measured from its decisions
// and its series: the jobs missed (missed, timed out or lost) while each
// cause held, and the dominant one ("" when no job was missed). Causes:
// max (it wanted more boxes than its max allowed), boot (boxes it asked
// for were still booting), reaction (it had not yet asked for enough: its
// metric window, scrape and sync delays), stabilization (its stabilization
// window held a scale-up back), rate (its scale-up rate limits did).
type CausesJSON struct {
	Dominant string           `json:"dominant"`
	Missed   map[string]Float `json:"missed"`
}

// addLimits adds a box policy's time at its bounds and the causes of its
// misses.
func addLimits(j *ResultJSON, l *sim.Limits) {
	if l == nil {
		return
	}
	j.TimeAtMax, j.TimeAtMin = float(l.TimeAtMax), float(l.TimeAtMin)
	if !l.Explained {
		return // fixed or scheduled capacity: nothing held it back but its plan
	}
	c := &CausesJSON{Dominant: l.Dominant, Missed: map[string]Float{}}
	for _, name := range sim.CauseNames {
		c.Missed[name] = Float(l.Missed[name])
	}
	j.Causes = c
}

// causeWords are the causes as a report says them.
var causeWords = map[string]string{
	sim.CauseMax:           "pinned at its max",
	sim.CauseBoot:          "boot delay",
	sim.CauseReaction:      "metric and reaction delay",
	sim.CauseStabilization: "its stabilization window",
	sim.CauseRate:          "its scale-rate limits",
}

// CauseSentence names the dominant cause of a run's misses and what the
// others add, from its measured causes; "" when it has none.
func CauseSentence(r *ResultJSON, boot float64) string {
	c := r.Causes
	if c == nil || c.Dominant == "" {
		return ""
	}
	total := 0.0
	for _, x := range c.Missed {
		total += float64(x)
	}
	share := func(name string) string { return Percent(float64(c.Missed[name]) / total) }
	var b strings.Builder
	switch c.Dominant {
	case sim.CauseMax:
		fmt.Fprintf(&b, "It was pinned at its max: for %s it wanted more boxes than its max allowed, and %s of the missed jobs were missed then.",
			Seconds(float64(deref(r.TimeAtMax))), share(sim.CauseMax))
	case sim.CauseBoot:
		fmt.Fprintf(&b, "Boot delay: %s of the missed jobs arrived while boxes it had asked for were still booting (boxes take %s to boot).",
			share(sim.CauseBoot), Seconds(boot))
	case sim.CauseReaction:
		fmt.Fprintf(&b, "Metric and reaction delay: %s of the missed jobs arrived before it had asked for enough boxes (its metric window, scrape delay and sync period).",
			share(sim.CauseReaction))
	case sim.CauseStabilization:
		fmt.Fprintf(&b, "Its stabilization window: %s of the missed jobs arrived while the window held a scale-up back.", share(sim.CauseStabilization))
	case sim.CauseRate:
		fmt.Fprintf(&b, "Its scale-rate limits: %s of the missed jobs arrived while the limits held a scale-up back.", share(sim.CauseRate))
	}
	var rest []string
	for _, name := range sim.CauseNames {
		if name != c.Dominant && float64(c.Missed[name]) > 0.005*total {
			rest = append(rest, causeWords[name]+" "+share(name))
		}
	}
	if len(rest) > 0 {
		b.WriteString(" The rest: " + strings.Join(rest, ", ") + ".")
	}
	return b.String()
}

func deref(f *Float) Float {
	if f == nil || math.IsNaN(float64(*f)) {
		return 0
	}
	return *f
}
