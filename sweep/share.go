package sweep

import (
	"strings"
	"sync"

	"github.com/boxes-project/boxes/scenario"
)

// Sample once, run many: a sweep's configurations differ by the settings
// swept, and when none of those touch the workload, every configuration
// reads the same steps. Reading them once and replaying them
// (scenario.Samples, a workload.Recorded) saves each configuration's runs
// the sampling (the default day's noise over a daily cycle and a burst is
// about a fifth of a fluid run) and its Measure pass, and gives the same
// bytes: the recording is the numbers the engines' own Sampler gives.
// Samples hold 8 bytes a step and are kept only up to
// scenario.MaxSharedSteps (64 MiB, 97 days at one-second steps); a longer
// run, such as a year at one-second steps (31.5 million steps, 240 MiB),
// is not held: each configuration samples its workload itself, as it did
// before, which costs a few nanoseconds a step and no memory.

// samplesCache keeps a sweep's samples across the Runs of its search
// steps. It is safe for concurrent use.
type samplesCache struct {
	mu  sync.Mutex
	smp *scenario.Samples
}

// workloadFixed reports whether every configuration reads the same
// workload: each axis sets a top-level setting that the steps read from
// the workload do not depend on. Anything else (workload, seed, start,
// step, horizon, a trace's traffic) may change the steps, and each
// configuration then reads its own. The engine is among the first because
// it does not change the steps read; where it changes how they are read (a
// Poisson workload on the per-job engine, which draws its own arrivals
// from the mean), scenario.WithSamples leaves that configuration to sample
// its own.
func (s *Sweep) workloadFixed() bool {
	for _, a := range s.Axes {
		key, _, _ := strings.Cut(a.Path, ".")
		key, _, _ = strings.Cut(key, "[")
		switch key {
		case "name", "points", "engine", "replications", "warmup", "jobs", "box", "billing", "oracle", "slo", "policies":
		default:
			return false
		}
	}
	return true
}

// shareSamples makes the scenarios replay one reading of their workload
// when the sweep leaves it alone and it fits; otherwise each scenario's
// Run reads its own once for its policies and the oracle.
func (s *Sweep) shareSamples(scs []*scenario.Scenario, unshared bool) error {
	if unshared {
		for i, sc := range scs {
			scs[i] = sc.WithoutSharing()
		}
		return nil
	}
	if len(scs) == 0 || !s.workloadFixed() {
		return nil
	}
	var smp *scenario.Samples
	if c := s.samples; c != nil {
		c.mu.Lock()
		if c.smp == nil {
			c.smp = scs[0].Sample()
		}
		smp = c.smp
		c.mu.Unlock()
	} else {
		smp = scs[0].Sample()
	}
	if smp == nil {
		return nil
	}
	for i, sc := range scs {
		var err error
		if scs[i], err = sc.WithSamples(smp); err != nil {
			return err
		}
	}
	return nil
}
