package main

import (
	"errors"
	"flag"
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

// sweepRefusal is a usage error naming the flag that raises the limit.
func sweepRefusal(err error) error {
	var se *sweep.BudgetError
	if errors.As(err, &se) {
		return usageError{hintError{err, "raise it with " + budgetFlagOf(se.Limit) + " if this machine can take it, or sweep fewer values (--shard i/n runs a part), shorten the horizon or lengthen the step"}}
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
	n := sw.ShardSize(sh)
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
	sb := &sweep.Budget{Limit: b.budget(), N: n, Workers: workersOf(workers)}
	if err := sb.Estimate(sc); err != nil {
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
