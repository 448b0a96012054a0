package scenario

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/boxes-project/boxes/sim"
)

// Outcome is a scenario's runs: the oracle's and one per policy, in the
// scenario's order.
type Outcome struct {
	Scenario *Scenario
	Stats    Stats
	Oracle   *sim.Result
	Runs     []Run
}

// Run is one policy's result.
type Run struct {
	Policy Policy
	Result *sim.Result
}

// Options tune how a scenario runs; the zero value is fine.
type Options struct {
	// Workers bounds the runs done at once; 0 uses every core. The result
	// does not depend on it: runs are independent and deterministic.
	Workers int
	// Progress, when set, is called with the fraction of the work done, from
	// any goroutine, one call at a time.
	Progress func(done float64)
}

// Run simulates every policy of the scenario and the oracle.
func (sc *Scenario) Run(ctx context.Context, opt Options) (*Outcome, error) {
	st := sc.Measure()
	out := &Outcome{Scenario: sc, Stats: st, Runs: make([]Run, len(sc.Policies))}
	jobs := len(sc.Policies) + 1
	done := make([]float64, jobs)
	var mu sync.Mutex
	progress := func(i int) func(d, total float64) {
		if opt.Progress == nil {
			return nil
		}
		return func(d, total float64) {
			mu.Lock()
			defer mu.Unlock()
			done[i] = d / total
			sum := 0.0
			for _, x := range done {
				sum += x
			}
			opt.Progress(sum / float64(jobs))
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, jobs)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			setup := sc.Setup
			setup.Progress = progress(i)
			var r *sim.Result
			var err error
			if i == len(sc.Policies) {
				r, err = sim.Oracle(ctx, setup, sc.Workload, sc.Oracle)
				out.Oracle = r
			} else {
				r, err = sc.runPolicy(ctx, setup, sc.Policies[i], st)
				out.Runs[i] = Run{Policy: sc.Policies[i], Result: r}
			}
			if err != nil {
				errs[i] = err
				cancel()
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			continue
		}
		if i < len(sc.Policies) {
			return nil, fmt.Errorf("scenario: policy %q: %w", sc.Policies[i].Name, err)
		}
		return nil, fmt.Errorf("scenario: oracle: %w", err)
	}
	for _, r := range out.Runs {
		r.Result.OracleCost = out.Oracle.Cost
	}
	return out, nil
}

func (sc *Scenario) runPolicy(ctx context.Context, setup sim.Setup, p Policy, st Stats) (*sim.Result, error) {
	if p.Serverless != nil {
		return sim.Serverless(ctx, setup, sc.Workload, *p.Serverless)
	}
	run, err := p.Config.Start(sc.Env(st))
	if err != nil {
		return nil, err
	}
	return sim.Fluid(ctx, setup, sc.Workload, run)
}
