package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// Search finds the cheapest configuration that meets the objective
// without running the whole grid, for a sweep of one or two settings of
// one policy along which the objective is monotone (misses fall as min
// replicas rise; they rise as the target utilization does). Along the
// last axis it bisects for the value where the objective starts (or stops)
// being met; along a first axis, it does that for each value. It then
// checks the assumption on evenly spread probes of every bisected line:
// a probe on the wrong side of its boundary means the objective is not
// monotone there, which the output says, and the whole grid runs instead,
// so that no answer rests on an assumption that failed.
func (s *Sweep) Search(ctx context.Context, opt Options, meets Judge) (*OutputJSON, error) {
	if len(s.Axes) > 2 {
		return nil, fmt.Errorf("sweep: a search takes one or two settings, not %d; run the grid", len(s.Axes))
	}
	policy := ""
	for i, a := range s.Axes {
		p, ok := policyOf(a.Path)
		if !ok || (i > 0 && p != policy) {
			return nil, fmt.Errorf("sweep: a search takes settings of one policy (policies[NAME].SETTING); %s is not", a.Path)
		}
		policy = p
	}
	e := &evaluator{s: s, opt: opt, meets: meets, policy: policy, done: map[int]Entry{}}
	rows, cols := 1, len(s.Axes[len(s.Axes)-1].Values)
	if len(s.Axes) == 2 {
		rows = len(s.Axes[0].Values)
	}
	monotone, note := true, ""
	for r := 0; r < rows && monotone; r++ {
		line := func(j int) int { return r*cols + j }
		ok, why, err := e.bisectLine(ctx, line, cols)
		if err != nil {
			return nil, err
		}
		if !ok {
			monotone, note = false, why
		}
	}
	search := &SearchJSON{Policy: policy, Of: len(s.Configurations), Monotone: monotone}
	if !monotone {
		search.Note = note + "; the whole grid was run instead"
		for k := range s.Configurations {
			if _, err := e.at(ctx, k); err != nil {
				return nil, err
			}
		}
	}
	search.Evaluated = len(e.done)
	var entries []Entry
	for _, en := range e.done {
		entries = append(entries, en)
	}
	slices.SortFunc(entries, func(a, b Entry) int { return a.Index - b.Index })
	out, err := assemble(s.Header(), entries, meets)
	if err != nil {
		return nil, err
	}
	out.Search = search
	return out, nil
}

type evaluator struct {
	s      *Sweep
	opt    Options
	meets  Judge
	policy string
	done   map[int]Entry
}

// at runs configuration k (once) and says whether the searched policy
// meets the objective there.
func (e *evaluator) at(ctx context.Context, k int) (bool, error) {
	en, ok := e.done[k]
	if !ok {
		one := &Sweep{File: e.s.File, Digest: e.s.Digest, Base: e.s.Base, Axes: e.s.Axes,
			Configurations: []Configuration{e.s.Configurations[k]}, samples: e.s.samples}
		opt := e.opt
		opt.Progress = nil
		es, err := one.Run(ctx, All, opt)
		if err != nil {
			return false, err
		}
		en = es[0]
		e.done[k] = en
	}
	var c ConfigurationJSON
	if err := json.Unmarshal(en.Output, &c); err != nil {
		return false, err
	}
	for i := range c.Results {
		if c.Results[i].Policy == e.policy {
			return e.meets(&c.Results[i]), nil
		}
	}
	return false, fmt.Errorf("sweep: the scenario has no policy %q", e.policy)
}

// bisectLine finds where the objective flips along one line of n
// configurations (line(j) is the index of the j-th), running O(log n) of
// them, then checks it on the two neighbours of the flip and on evenly
// spread probes. ok is false, with the reason, when a probe contradicts a
// monotone objective.
func (e *evaluator) bisectLine(ctx context.Context, line func(int) int, n int) (ok bool, why string, err error) {
	first, err := e.at(ctx, line(0))
	if err != nil {
		return false, "", err
	}
	last, err := e.at(ctx, line(n-1))
	if err != nil {
		return false, "", err
	}
	// flip is the first j whose verdict is last's (n when the line is flat
	// ... nothing to find: every probe must then agree with first).
	lo, hi := 0, n-1
	flip := n
	if first != last {
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			m, err := e.at(ctx, line(mid))
			if err != nil {
				return false, "", err
			}
			if m == first {
				lo = mid
			} else {
				hi = mid
			}
		}
		flip = hi
	}
	want := func(j int) bool {
		if j < flip {
			return first
		}
		return last
	}
	// The flip's neighbours and the quartiles.
	probes := []int{flip - 1, flip, n / 4, n / 2, 3 * n / 4}
	for _, j := range probes {
		if j < 0 || j >= n {
			continue
		}
		m, err := e.at(ctx, line(j))
		if err != nil {
			return false, "", err
		}
		if m != want(j) {
			c := e.s.Configurations[line(j)]
			return false, fmt.Sprintf("the objective is not monotone along %s: at %s it is %s, against its neighbours' trend",
				c.Settings[len(c.Settings)-1].Path, c.Settings[len(c.Settings)-1].Value, metWord(m)), nil
		}
	}
	return true, "", nil
}

func metWord(m bool) string {
	if m {
		return "met"
	}
	return "not met"
}
