package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"

	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/sweep"
)

// budgetFlags are the resource model's flags for a command that runs
// scenarios (issue 11): --max-memory and --max-work, with simulate's
// defaults, which let the documented big runs through (a year at 1 s
// steps, a billion jobs) and refuse the absurd before anything is
// allocated for it.
type budgetFlags struct {
	memory flagvalue.Memory
	work   float64
}

// addBudgetFlags adds --max-memory and --max-work to fs.
func addBudgetFlags(fs *flag.FlagSet) *budgetFlags {
	b := &budgetFlags{memory: flagvalue.Memory{GB: 8}}
	fs.Var(&b.memory, "max-memory", "most `memory` the run may hold, as estimated before it starts; a run over it is refused")
	fs.Float64Var(&b.work, "max-work", 1e11, "most work `units`: a step of each run plus a job of the per-job engine (20 million are about a second of a core)")
	return b
}

// check refuses flags that are not a budget.
func (b *budgetFlags) check() error {
	if !(b.memory.GB > 0) || math.IsInf(b.memory.GB, 0) || !(b.work > 0) || math.IsInf(b.work, 0) {
		return usageError{errorf("--max-memory and --max-work must be positive and finite")}
	}
	return nil
}

func (b *budgetFlags) budget() scenario.Budget {
	return scenario.Budget{Memory: int64(min(b.memory.GB*(1<<30), math.MaxInt64/2)), Work: b.work}
}

// budgetFlagOf is the flag that raises a limit of the budget.
func budgetFlagOf(limit string) string {
	return map[string]string{"memory": "--max-memory", "work": "--max-work"}[limit]
}

// refusal is a usage error (exit 2) that names the flag raising the limit
// passed, with what else shrinks the run.
func refusal(err error, shrink string) error {
	var be *scenario.BudgetError
	if errors.As(err, &be) {
		return usageError{hintError{err, "raise it with " + budgetFlagOf(be.Limit) + " if this machine can take it, or " + shrink}}
	}
	return usageError{err}
}

// What a sweep holds and does per configuration besides its runs (the
// configuration's Cost): its built scenario and its result, held until
// the sweep ends (8.8 KB each measured: boxes sweep --workers 1 on 1,000
// and 10,000 configurations of a one-minute HPA scenario peaked at 35 and
// 114 MB), rounded up; and the work of building, checking and reporting it
// (2.4 ms each in the same runs, about 48,000 units at 20 million a second).
const (
	sweepBytesPerConfiguration = 16 << 10
	sweepWorkPerConfiguration  = 50_000
)

// sweepBudget adds up a sweep's cost against a budget: each configuration
// is one scenario run on one core (scenario.Options{Workers: 1}), workers
// of them at once.
type sweepBudget struct {
	b       scenario.Budget
	n       int // configurations
	workers int // at once
	work    float64
	memory  float64 // the largest configuration's
	checked int
}

// BudgetError's Limit words.
const (
	limitMemory = "memory"
	limitWork   = "work"
)

// sweepError is a sweep over its budget.
type sweepError struct {
	limit      string
	need, have float64
	n          int
	what       string
}

func (e *sweepError) Error() string {
	return fmt.Sprintf("sweep: over the %s budget: %d configurations %s, more than the limit of %s", e.limit, e.n, e.what, amount(e.limit, e.have))
}

func amount(limit string, x float64) string {
	if limit == limitMemory {
		return fmt.Sprintf("%.3g GiB", x/(1<<30))
	}
	return fmt.Sprintf("%.3g work units", x)
}

// estimate refuses a sweep whose configurations, each costing about what
// the first one does, cannot fit: before any but the first is built.
func (s *sweepBudget) estimate(first *scenario.Scenario) error {
	c := first.Cost(1)
	n := float64(s.n)
	work := n * (c.Work + sweepWorkPerConfiguration)
	mem := float64(min(s.workers, s.n))*c.Memory + n*sweepBytesPerConfiguration
	return s.over(work, mem, fmt.Sprintf("of about %s work units and %.3g MiB each (the first: %d steps × %d runs + %.3g jobs)",
		fmt.Sprintf("%.3g", c.Work+sweepWorkPerConfiguration), c.Memory/(1<<20), c.Steps, c.Runs, c.Jobs))
}

// add counts one configuration's cost as the sweep builds it.
func (s *sweepBudget) add(_ sweep.Configuration, sc *scenario.Scenario) error {
	c := sc.Cost(1)
	s.checked++
	s.work += c.Work + sweepWorkPerConfiguration
	s.memory = max(s.memory, c.Memory)
	mem := float64(min(s.workers, s.n))*s.memory + float64(s.n)*sweepBytesPerConfiguration
	return s.over(s.work, mem, fmt.Sprintf("(the first %d of them add up to %.3g work units; the largest holds %.3g MiB)", s.checked, s.work, s.memory/(1<<20)))
}

func (s *sweepBudget) over(work, mem float64, what string) error {
	if s.b.Memory > 0 && mem > float64(s.b.Memory) {
		return &sweepError{limit: limitMemory, need: mem, have: float64(s.b.Memory), n: s.n, what: fmt.Sprintf("would hold about %.3g GiB %s", mem/(1<<30), what)}
	}
	if s.b.Work > 0 && work > s.b.Work {
		return &sweepError{limit: limitWork, need: work, have: s.b.Work, n: s.n, what: fmt.Sprintf("are about %.3g work units %s", work, what)}
	}
	return nil
}

// sweepRefusal is a usage error naming the flag that raises the limit.
func sweepRefusal(err error) error {
	var se *sweepError
	if errors.As(err, &se) {
		return usageError{hintError{err, "raise it with " + budgetFlagOf(se.limit) + " if this machine can take it, or sweep fewer values (--shard i/n runs a part), shorten the horizon or lengthen the step"}}
	}
	return refusal(err, "shorten the horizon or lengthen the step")
}

// workersOf is --workers: 0 is one per core.
func workersOf(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// checkSweep refuses, before a configuration but the first is built, a
// sweep whose shard's configurations, each costing about the first's, do
// not fit the budget.
func checkSweep(sw *sweep.Sweep, sh sweep.Shard, engine string, replications, workers int, b *budgetFlags) error {
	n := shardSize(sw, sh)
	if n == 0 {
		return nil
	}
	sc, err := sw.Scenario(sw.Configurations[sh.Index])
	if err == nil && (engine != "" || replications != 0) {
		sc, err = sc.WithEngine(engine, replications)
	}
	if err != nil {
		return usageError{err}
	}
	sb := &sweepBudget{b: b.budget(), n: n, workers: workersOf(workers)}
	if err := sb.estimate(sc); err != nil {
		return sweepRefusal(err)
	}
	return nil
}

// heldPerInputByte is what reading a JSON input (a sweep's part, a result)
// holds per byte of it: the bytes read, the values decoded from them (a
// part's entries are raw JSON: the same bytes again) and the output made
// from them; an estimate, rounded up.
const heldPerInputByte = 3

// checkInputs refuses, before a byte of them is read, input files whose
// sizes add up past the memory budget once held (standard input, FIFOs
// and devices have no size; their readers stop at their own limits).
func checkInputs(cmd string, names []string, b *budgetFlags) error {
	var total int64
	for _, name := range names {
		if name == "-" {
			continue
		}
		if fi, err := os.Stat(name); err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
	}
	held := float64(total) * heldPerInputByte
	if lim := b.budget().Memory; lim > 0 && held > float64(lim) {
		err := errorf("%s: over the memory budget: the input files (%d, %.3g GiB in all) would hold about %.3g GiB, more than the limit of %.3g GiB",
			cmd, len(names), float64(total)/(1<<30), held/(1<<30), float64(lim)/(1<<30))
		return usageError{hintError{err, "raise it with --max-memory if this machine can take it"}}
	}
	return nil
}

// shardSize is the number of configurations shard sh owns: those whose
// index is sh.Index modulo sh.Count.
func shardSize(sw *sweep.Sweep, sh sweep.Shard) int {
	n := len(sw.Configurations)
	if sh.Index >= n {
		return 0
	}
	return (n-sh.Index-1)/sh.Count + 1
}
