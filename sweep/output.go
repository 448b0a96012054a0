package sweep

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/sweepreport"
)

// The sweep's output types are sweepreport's, which renders them.
type (
	OutputJSON        = sweepreport.JSON
	AxisJSON          = sweepreport.AxisJSON
	Choice            = sweepreport.Choice
	ParetoJSON        = sweepreport.ParetoJSON
	SearchJSON        = sweepreport.SearchJSON
	ConfigurationJSON = sweepreport.ConfigurationJSON
)

// A Judge says whether a result meets the objective.
type Judge func(r *report.ResultJSON) bool

// Assemble puts configurations' outputs (all of them, in index order: from
// Run with All, or from Merge) together with what they answer. It is the
// one path for the unsharded run and the merge, so their bytes agree.
func Assemble(h Header, entries []Entry, meets Judge) (*OutputJSON, error) {
	if len(entries) != h.Configurations {
		return nil, fmt.Errorf("sweep: %d outputs for %d configurations", len(entries), h.Configurations)
	}
	return assemble(h, entries, meets)
}

// assemble is Assemble for entries in index order, all or (for a search)
// some of the configurations.
func assemble(h Header, entries []Entry, meets Judge) (*OutputJSON, error) {
	out := &OutputJSON{Scenario: h.File, ScenarioSHA256: h.Digest, Axes: h.Axes}
	var rows []Choice
	seen := map[string]bool{}
	for n, e := range entries {
		k := e.Index
		var c ConfigurationJSON
		if err := json.Unmarshal(e.Output, &c); err != nil || c.Index != k || (n > 0 && entries[n-1].Index >= k) {
			return nil, fmt.Errorf("sweep: configuration %d's output does not read back (%v)", k, err)
		}
		c.Meets = make([]bool, len(c.Results))
		for i := range c.Results {
			r := &c.Results[i]
			if r.Kind == "oracle" {
				continue // the lower bound, not a policy one can run
			}
			c.Meets[i] = meets(r)
			own := ownSettings(c.Settings, r.Policy)
			if key := r.Policy + "\x00" + fmt.Sprint(own); seen[key] {
				continue
			} else {
				seen[key] = true
			}
			ch := Choice{Configuration: k, Settings: own, Policy: r.Policy, Cost: r.Cost,
				MissedShare: r.Jobs.MissedFraction, Meets: c.Meets[i]}
			if r.Wait != nil {
				p := r.Wait.P99
				ch.P99Wait = &p
			}
			rows = append(rows, ch)
		}
		out.Configurations = append(out.Configurations, c)
	}
	out.BestByPolicy = map[string]Choice{}
	for _, r := range rows {
		if !r.Meets {
			continue
		}
		if out.Best == nil || r.Cost < out.Best.Cost {
			best := r
			out.Best = &best
		}
		if b, ok := out.BestByPolicy[r.Policy]; !ok || r.Cost < b.Cost {
			out.BestByPolicy[r.Policy] = r
		}
	}
	out.Pareto.Missed = front(rows, func(c Choice) (float64, bool) { return float64(c.MissedShare), true })
	out.Pareto.P99Wait = front(rows, func(c Choice) (float64, bool) {
		if c.P99Wait == nil {
			return 0, false
		}
		return float64(*c.P99Wait), true
	})
	return out, nil
}

// front is the Pareto front of rows on cost and measure: sorted by cost
// (then measure, then order), each row kept when its measure is below every
// cheaper row's.
func front(rows []Choice, measure func(Choice) (float64, bool)) []Choice {
	type row struct {
		c Choice
		m float64
		i int
	}
	var rs []row
	for i, c := range rows {
		if m, ok := measure(c); ok && !math.IsNaN(m) {
			rs = append(rs, row{c, m, i})
		}
	}
	slices.SortFunc(rs, func(a, b row) int {
		switch {
		case a.c.Cost != b.c.Cost:
			return cmp.Compare(float64(a.c.Cost), float64(b.c.Cost))
		case a.m != b.m:
			return cmp.Compare(a.m, b.m)
		}
		return a.i - b.i
	})
	var out []Choice
	best := math.Inf(1)
	for _, r := range rs {
		if r.m < best {
			out = append(out, r.c)
			best = r.m
		}
	}
	return out
}

// ownSettings are the settings that bear on policy: all but the swept
// settings of other policies (policies[OTHER]...).
func ownSettings(all map[string]string, policy string) map[string]string {
	own := map[string]string{}
	for k, v := range all {
		if name, ok := policyOf(k); ok && name != policy {
			continue
		}
		own[k] = v
	}
	return own
}

// policyOf is the policy a path names: "hpa" for policies[hpa].target.
func policyOf(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "policies[")
	if !ok {
		return "", false
	}
	name, _, ok := strings.Cut(rest, "]")
	return name, ok
}
