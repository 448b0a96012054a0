package sweepreport

import (
	"encoding/json"
	"fmt"
	"github.com/boxes-project/boxes/report"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// JSON is what `boxes sweep --format json` prints, and what `boxes
// merge` prints for the sweep's parts: every configuration with its
// settings and results, the cheapest policy and configuration that meets
// the objective, and the Pareto fronts of cost against misses and against
// the 99th percentile of the wait.
type JSON struct {
	Scenario       string              `json:"scenario"`
	ScenarioSHA256 string              `json:"scenario_sha256"`
	Axes           []AxisJSON          `json:"axes"`
	Configurations []ConfigurationJSON `json:"configurations"`
	// Best is the cheapest row that meets the objective; null when none
	// does (then no row is called best, however cheap). BestByPolicy is
	// each policy's cheapest row that meets it.
	Best         *Choice           `json:"best"`
	BestByPolicy map[string]Choice `json:"best_by_policy"`
	Pareto       ParetoJSON        `json:"pareto"`
	// Search says how a search (rather than the whole grid) went; absent
	// for a grid.
	Search *SearchJSON `json:"search,omitempty"`
}

// AxisJSON is one swept setting and its values.
type AxisJSON struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// A Choice is one policy of one configuration, with the settings that
// bear on it: the swept settings of other policies are left out, and a
// row that differs from an earlier one only by those is not listed again.
type Choice struct {
	Configuration int               `json:"configuration"`
	Settings      map[string]string `json:"settings"`
	Policy        string            `json:"policy"`
	Cost          report.Float      `json:"cost"`
	MissedShare   report.Float      `json:"missed_fraction"`
	P99Wait       *report.Float     `json:"p99_wait,omitempty"`
	Meets         bool              `json:"meets_objective"`
}

// ParetoJSON holds the rows no other row beats on both cost and the
// other measure: cheaper with as few misses (or as short a p99 wait).
// Sorted by cost.
type ParetoJSON struct {
	Missed  []Choice `json:"missed"`
	P99Wait []Choice `json:"p99_wait,omitempty"`
}

// ConfigurationJSON is one configuration's output: its settings and the
// results of `boxes simulate --format json` for its scenario.
type ConfigurationJSON struct {
	Index    int                 `json:"index"`
	Settings map[string]string   `json:"settings"`
	Results  []report.ResultJSON `json:"results"`

	// Meets says, per result, whether it meets the objective, as the
	// sweep judged it (not in the JSON: it is judged again when read).
	Meets []bool `json:"-"`
}

// SearchJSON says how a search went: how many configurations it ran of
// the grid's, and whether the objective was monotone along the axes as
// the search assumes. When it was not, the search says where, and the
// whole grid is run instead.
type SearchJSON struct {
	Policy    string `json:"policy"`
	Evaluated int    `json:"evaluated"`
	Of        int    `json:"of"`
	Monotone  bool   `json:"monotone"`
	Note      string `json:"note,omitempty"`
}

// WriteJSON writes o as indented JSON: the same bytes for a sweep run
// whole and for its parts merged.
func WriteJSON(w io.Writer, o *JSON) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(o)
}

// WriteText writes the verdict first, then the Pareto front of cost
// against misses, then one line per configuration and policy.
func WriteText(w io.Writer, o *JSON) error {
	rows := 0
	for _, c := range o.Configurations {
		rows += len(c.Results)
	}
	fmt.Fprintf(w, "%s: %d configurations of %s.\n", sweepVerdict(o), len(o.Configurations), axesText(o.Axes))
	if s := o.Search; s != nil {
		if s.Monotone {
			fmt.Fprintf(w, "  searched %s: ran %d of the grid's %d configurations, the objective monotone on every probe\n", s.Policy, s.Evaluated, s.Of)
		} else {
			fmt.Fprintf(w, "  search of %s: %s\n", s.Policy, s.Note)
		}
	}
	if len(o.BestByPolicy) > 1 {
		names := make([]string, 0, len(o.BestByPolicy))
		for n := range o.BestByPolicy {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			b := o.BestByPolicy[n]
			fmt.Fprintf(w, "  cheapest %s meeting it: %s with %s\n", n, report.Money(float64(b.Cost)), orNone(SettingsText(b.Settings)))
		}
	}
	if len(o.Pareto.Missed) > 0 {
		fmt.Fprintf(w, "\nCheapest for each share of missed jobs (the Pareto front):\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  cost\tmissed\tpolicy\tsettings\n")
		for _, c := range o.Pareto.Missed {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", report.Money(float64(c.Cost)), report.Percent(float64(c.MissedShare)), c.Policy, SettingsText(c.Settings))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nEvery configuration:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	starred := false
	head := []string{"#"}
	for _, a := range o.Axes {
		head = append(head, a.Path)
	}
	head = append(head, "policy", "cost", "missed", "p99 wait", "objective")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, c := range o.Configurations {
		for i, r := range c.Results {
			cells := []string{fmt.Sprint(c.Index)}
			for _, a := range o.Axes {
				cells = append(cells, c.Settings[a.Path])
			}
			wait := "-"
			if r.Wait != nil {
				wait = report.Seconds(float64(r.Wait.P99))
			}
			word := objectiveWord(o, c, i)
			starred = starred || strings.Contains(word, "*")
			cells = append(cells, r.Policy, report.Money(float64(r.Cost)), report.Percent(float64(r.Jobs.MissedFraction)), wait, word)
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if starred {
		fmt.Fprintln(w, "\nmeets*: on what its engine measures; the fluid engine does not time jobs, so the objective's wait and late clauses are not judged there.")
	}
	return nil
}

func sweepVerdict(o *JSON) string {
	if o.Best == nil {
		return "No configuration meets the objective"
	}
	b := o.Best
	how := "meets the objective"
	for _, c := range o.Configurations {
		for _, r := range c.Results {
			if c.Index == b.Configuration && r.Policy == b.Policy && r.SLO != nil && len(r.SLO.Unmeasured) > 0 {
				how = "meets the objective on what its engine measures (not judged: " + strings.Join(r.SLO.Unmeasured, ", ") + ")"
			}
		}
	}
	return fmt.Sprintf("Best: %s with %s costs %s and %s", b.Policy, orNone(SettingsText(b.Settings)), report.Money(float64(b.Cost)), how)
}

func axesText(axes []AxisJSON) string {
	var parts []string
	for _, a := range axes {
		parts = append(parts, fmt.Sprintf("%s (%d values)", a.Path, len(a.Values)))
	}
	return strings.Join(parts, " × ")
}

// SettingsText lists settings as key=value, sorted by key.
func SettingsText(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, ", ")
}

// objectiveWord says whether row i of c meets the objective.
func objectiveWord(o *JSON, c ConfigurationJSON, i int) string {
	r := c.Results[i]
	switch {
	case r.Kind == "oracle":
		return "lower bound"
	case o.Best != nil && o.Best.Configuration == c.Index && o.Best.Policy == r.Policy:
		if r.SLO != nil && len(r.SLO.Unmeasured) > 0 {
			return "meets*: best"
		}
		return "meets: best"
	case i < len(c.Meets) && c.Meets[i] && r.SLO != nil && len(r.SLO.Unmeasured) > 0:
		return "meets*" // on what its engine measures, as simulate's met*
	case i < len(c.Meets) && c.Meets[i]:
		return "meets"
	}
	return "fails"
}

func orNone(s string) string {
	if s == "" {
		return "its settings as they are"
	}
	return s
}
