package scenario

import (
	"context"
	"fmt"
	"sync"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/aws"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/policy/scaletozero"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/events"
	"github.com/boxes-project/boxes/workload"
)

// Outcome is a scenario's runs: the oracle's and one per policy, in the
// scenario's order, with the normalized scenario document.
type Outcome = sim.Outcome

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
//
// The workload is read once: recorded and replayed by every run when it
// fits (samples.go), and otherwise read by the oracle, whose pass gives
// the statistics (engine.OracleStats). Most policies start from the first step's
// rate alone, and run beside the oracle; when one reads the peak or mean
// rate (a fixed fleet sized from them), the oracle runs first.
func (sc *Scenario) Run(ctx context.Context, opt Options) (*Outcome, error) {
	// The workload read once for every run when it fits (samples.go):
	// then its statistics are known before any run, and every run may
	// start at once.
	sc = sc.shared()
	st, early := sc.initialStats(), !sc.needsRates()
	if sc.samples != nil {
		st, early = sc.samples.stats, true
	}
	doc, err := sc.Document()
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	out := &Outcome{Name: sc.Name, Source: sc.Source, Document: schema.Node{Node: doc},
		Setup: sc.Setup, Seed: sc.Seed, OracleUtilization: sc.Oracle,
		Engine: sc.Engine, Replications: sc.reps(), Jobs: sc.Jobs,
		SLO: sc.SLO, Runs: make([]sim.PolicyResult, len(sc.Policies))}
	if sc.Traffic != nil {
		out.WorkloadSource = sc.Traffic
	}
	// Each policy runs reps times on the events engine (replication r of
	// policy i is job i·reps + r), once otherwise; the oracle is the last.
	reps := sc.reps()
	np := len(sc.Policies)
	jobs := np*reps + 1
	results := make([]*sim.Result, np*reps)
	limits := make([]sim.Limits, np*reps)
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
	oracle := func(ctx context.Context) error {
		setup := sc.Setup
		setup.Progress = progress(jobs - 1)
		var err error
		out.Oracle, out.Stats, err = engine.OracleStats(ctx, setup, sc.Workload, sc.Oracle)
		if err == nil && setup.Progress != nil {
			setup.Progress(1, 1)
		}
		return err
	}
	if !early {
		if err := oracle(ctx); err != nil {
			return nil, fmt.Errorf("scenario: oracle: %w", err)
		}
		st = out.Stats
	}
	// On the fluid engine the first box policy runs with the oracle, in
	// the oracle's pass over the workload (engine.FluidAndOracle).
	paired := -1
	if early && sc.Engine != EngineEvents {
		for i, p := range sc.Policies {
			if p.Serverless() == nil {
				paired = i * reps
				break
			}
		}
	}
	failed, err := sim.RunEach(ctx, jobs, opt.Workers, func(ctx context.Context, i int) error {
		setup := sc.Setup
		setup.Progress = progress(i)
		var err error
		if i == jobs-1 {
			if early && paired < 0 {
				return oracle(ctx)
			}
			return nil
		} else if p := sc.Policies[i/reps]; i == paired {
			os := sc.Setup
			os.Progress = progress(jobs - 1)
			results[i], limits[i], err = sc.runPolicyWithOracle(ctx, setup, p, st, os, out)
			if err == nil && os.Progress != nil {
				os.Progress(1, 1)
			}
		} else if i%reps == 0 || p.Serverless() == nil {
			results[i], limits[i], err = sc.runPolicy(ctx, setup, p, st, i%reps)
		}
		if err == nil && setup.Progress != nil {
			setup.Progress(1, 1) // done, whatever the engine last said (or a skipped slot)
		}
		return err
	})
	switch {
	case err == nil:
	case failed < jobs-1:
		return nil, fmt.Errorf("scenario: policy %q: %w", sc.Policies[failed/reps].Name, err)
	default:
		return nil, fmt.Errorf("scenario: oracle: %w", err)
	}
	for i, p := range sc.Policies {
		rs := results[i*reps : (i+1)*reps]
		if p.Serverless() != nil {
			rs = rs[:1] // the platform's run has no randomness of its own
		}
		r, err := sim.Combine(rs)
		if err != nil {
			return nil, fmt.Errorf("scenario: policy %q: %w", p.Name, err)
		}
		out.Runs[i] = sim.PolicyResult{Name: p.Name, Kind: p.Kind, Result: r}
		if p.Serverless() == nil {
			l := sim.CombineLimits(limits[i*reps : (i+1)*reps])
			out.Runs[i].Limits = &l
		}
	}
	for _, r := range out.Runs {
		r.Result.OracleCost = out.Oracle.Cost
	}
	return out, nil
}

// initialStats are the workload's statistics as far as its first step
// gives them: the rate a warm start sizes for.
func (sc *Scenario) initialStats() Stats {
	dt := sc.Setup.Step.Seconds()
	var first [1]float64
	workload.NewSampler(sc.Workload, 0, dt).Next(first[:])
	return Stats{Initial: first[0] / dt}
}

// needsRates reports whether a policy reads more of the workload than its
// first step before it runs (policy.Env's PeakRate or MeanRate): a fixed
// fleet sized from them, and any kind not known to read InitialRate alone.
func (sc *Scenario) needsRates() bool {
	for _, p := range sc.Policies {
		if p.Serverless() != nil {
			continue
		}
		switch c := p.Config.(type) {
		case *policy.Fixed:
			if c.Capacity == 0 {
				return true
			}
		case *hpa.Target, *hpa.HPASpec, *policy.Scheduled,
			*scaletozero.KPA, *scaletozero.KEDA, *scaletozero.ScaledJob, *scaletozero.CloudRun,
			*aws.TargetTracking, *aws.StepScaling, *aws.SimpleScaling, *aws.Predictive:
		default:
			return true
		}
	}
	return false
}

// reps is the number of runs of each box policy.
func (sc *Scenario) reps() int {
	if sc.Engine != EngineEvents || sc.Replications < 1 {
		return 1
	}
	return sc.Replications
}

// runPolicy runs replication rep of a policy, with what held a box
// policy back.
func (sc *Scenario) runPolicy(ctx context.Context, setup sim.Setup, p Policy, st Stats, rep int) (*sim.Result, sim.Limits, error) {
	return sc.runBox(ctx, setup, p, st, rep, sim.Setup{}, nil)
}

// runPolicyWithOracle runs a box policy on the fluid engine and the oracle
// (on oracleSetup) in one pass over the workload, and sets out's oracle
// and statistics.
func (sc *Scenario) runPolicyWithOracle(ctx context.Context, setup sim.Setup, p Policy, st Stats, oracleSetup sim.Setup, out *Outcome) (*sim.Result, sim.Limits, error) {
	return sc.runBox(ctx, setup, p, st, 0, oracleSetup, out)
}

// runBox is runPolicy, with the oracle's run too when oracle is set.
func (sc *Scenario) runBox(ctx context.Context, setup sim.Setup, p Policy, st Stats, rep int, oracleSetup sim.Setup, oracle *Outcome) (*sim.Result, sim.Limits, error) {
	if p.Serverless() != nil {
		r, err := engine.Serverless(ctx, setup, sc.Workload, *p.Serverless())
		return r, sim.Limits{}, err
	}
	ownBilling(p.Config, &setup)
	run, err := p.Config.Start(sc.Env(st))
	if err != nil {
		return nil, sim.Limits{}, err
	}
	// A policy that says why it chose its counts runs wrapped in a log of
	// its decisions; the others run as they are (nothing held them back).
	log := sim.NewDecisionLog(run.Policy)
	if _, ok := run.Policy.(policy.Explainer); ok {
		run.Policy = log
	}
	var r *sim.Result
	if oracle != nil {
		r, oracle.Oracle, oracle.Stats, err = engine.FluidAndOracle(ctx, setup, sc.Workload, run, oracleSetup, sc.Oracle)
	} else if sc.Engine == EngineEvents {
		cfg := sc.Jobs
		cfg.Seed = sim.ReplicationSeed(sc.Seed, rep)
		r, err = events.Events(ctx, setup, sc.Workload, run, cfg)
	} else {
		r, err = engine.Fluid(ctx, setup, sc.Workload, run)
	}
	if err != nil {
		return nil, sim.Limits{}, err
	}
	billOwn(p.Config, setup, r)
	return r, log.Limits(r, setup.Horizon.Seconds()), nil
}
