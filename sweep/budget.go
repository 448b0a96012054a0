package sweep

import (
	"fmt"

	"github.com/boxes-project/boxes/scenario"
)

// What a sweep holds and does per configuration besides its runs (the
// configuration's Cost): its built scenario and its result, held until
// the sweep ends (8.8 KB each measured: boxes sweep --workers 1 on 1,000
// and 10,000 configurations of a one-minute HPA scenario peaked at 35 and
// 114 MB), rounded up; and the work of building, checking and reporting it
// (2.4 ms each in the same runs, about 48,000 units at 20 million a second).
const (
	bytesPerConfiguration = 16 << 10
	workPerConfiguration  = 50_000
)

// Budget adds up a sweep's cost against a scenario.Budget: each
// configuration is one scenario run on one core (scenario.Options{Workers:
// 1}), Workers of them at once. Estimate refuses a sweep before its
// configurations are built; Add, as Options.Check, as each is built.
type Budget struct {
	Limit   scenario.Budget
	N       int // configurations
	Workers int // at once

	work    float64
	memory  float64 // the largest configuration's
	checked int
}

// BudgetError's Limit words, as scenario.BudgetError's.
const (
	LimitMemory = "memory"
	LimitWork   = "work"
)

// BudgetError is a sweep over its budget.
type BudgetError struct {
	Limit      string // LimitMemory or LimitWork
	Need, Have float64
	N          int // configurations
	what       string
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("sweep: over the %s budget: %d configurations %s, more than the limit of %s", e.Limit, e.N, e.what, amount(e.Limit, e.Have))
}

func amount(limit string, x float64) string {
	if limit == LimitMemory {
		return fmt.Sprintf("%.3g GiB", x/(1<<30))
	}
	return fmt.Sprintf("%.3g work units", x)
}

// Estimate refuses a sweep whose configurations, each costing about what
// the first one does, cannot fit: before any but the first is built.
func (s *Budget) Estimate(first *scenario.Scenario) error {
	c := first.Cost(1)
	n := float64(s.N)
	work := n * (c.Work + workPerConfiguration)
	mem := float64(min(s.Workers, s.N))*c.Memory + n*bytesPerConfiguration
	return s.over(work, mem, fmt.Sprintf("of about %s work units and %.3g MiB each (the first: %d steps × %d runs + %.3g jobs)",
		fmt.Sprintf("%.3g", c.Work+workPerConfiguration), c.Memory/(1<<20), c.Steps, c.Runs, c.Jobs))
}

// Add counts one configuration's cost as the sweep builds it.
func (s *Budget) Add(_ Configuration, sc *scenario.Scenario) error {
	c := sc.Cost(1)
	s.checked++
	s.work += c.Work + workPerConfiguration
	s.memory = max(s.memory, c.Memory)
	mem := float64(min(s.Workers, s.N))*s.memory + float64(s.N)*bytesPerConfiguration
	return s.over(s.work, mem, fmt.Sprintf("(the first %d of them add up to %.3g work units; the largest holds %.3g MiB)", s.checked, s.work, s.memory/(1<<20)))
}

func (s *Budget) over(work, mem float64, what string) error {
	if s.Limit.Memory > 0 && mem > float64(s.Limit.Memory) {
		return &BudgetError{Limit: LimitMemory, Need: mem, Have: float64(s.Limit.Memory), N: s.N, what: fmt.Sprintf("would hold about %.3g GiB %s", mem/(1<<30), what)}
	}
	if s.Limit.Work > 0 && work > s.Limit.Work {
		return &BudgetError{Limit: LimitWork, Need: work, Have: s.Limit.Work, N: s.N, what: fmt.Sprintf("are about %.3g work units %s", work, what)}
	}
	return nil
}

// ShardSize is the number of configurations shard sh owns: those whose
// index is sh.Index modulo sh.Count.
func (sw *Sweep) ShardSize(sh Shard) int {
	n := len(sw.Configurations)
	if sh.Index >= n {
		return 0
	}
	return (n-sh.Index-1)/sh.Count + 1
}
