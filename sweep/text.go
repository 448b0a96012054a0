package sweep

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/boxes-project/boxes/report"
)

// WriteJSON writes o as indented JSON: the same bytes for a sweep run
// whole and for its parts merged.
func WriteJSON(w io.Writer, o *OutputJSON) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(o)
}

// WriteText writes the verdict first, then the Pareto front of cost
// against misses, then one line per configuration and policy.
func WriteText(w io.Writer, o *OutputJSON) error {
	rows := 0
	for _, c := range o.Configurations {
		rows += len(c.Results)
	}
	fmt.Fprintf(w, "%s: %d configurations of %s.\n", verdict(o), len(o.Configurations), axesText(o.Axes))
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
			fmt.Fprintf(w, "  cheapest %s meeting it: %s with %s\n", n, report.Money(float64(b.Cost)), orNone(settingsMap(b.Settings)))
		}
	}
	if len(o.Pareto.Missed) > 0 {
		fmt.Fprintf(w, "\nCheapest for each share of missed jobs (the Pareto front):\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  cost\tmissed\tpolicy\tsettings\n")
		for _, c := range o.Pareto.Missed {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", report.Money(float64(c.Cost)), report.Percent(float64(c.MissedShare)), c.Policy, settingsMap(c.Settings))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nEvery configuration:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
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
			cells = append(cells, r.Policy, report.Money(float64(r.Cost)), report.Percent(float64(r.Jobs.MissedFraction)), wait, objectiveWord(o, c, i))
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
	}
	return tw.Flush()
}

func verdict(o *OutputJSON) string {
	if o.Best == nil {
		return "No configuration meets the objective"
	}
	b := o.Best
	return fmt.Sprintf("Best: %s with %s costs %s and meets the objective", b.Policy, settingsMap(b.Settings), report.Money(float64(b.Cost)))
}

func axesText(axes []AxisJSON) string {
	var parts []string
	for _, a := range axes {
		parts = append(parts, fmt.Sprintf("%s (%d values)", a.Path, len(a.Values)))
	}
	return strings.Join(parts, " × ")
}

func settingsMap(m map[string]string) string {
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
func objectiveWord(o *OutputJSON, c ConfigurationJSON, i int) string {
	r := c.Results[i]
	switch {
	case r.Kind == "oracle":
		return "lower bound"
	case o.Best != nil && o.Best.Configuration == c.Index && o.Best.Policy == r.Policy:
		return "meets: best"
	case i < len(c.meets) && c.meets[i]:
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
