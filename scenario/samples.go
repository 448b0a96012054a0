package scenario

import (
	"fmt"

	"github.com/boxes-project/boxes/workload"
)

// Samples are a scenario's workload read once over its horizon, for
// several runs to replay instead of each sampling it: the policies and
// the oracle of one scenario (Run shares them by itself), or the
// configurations of a sweep that leave the workload alone (WithSamples).
// They carry the Stats that Measure makes of them, so those are computed
// once too. A run on Samples gives the same bytes as a run without: the
// recording is the numbers the engines' own Sampler gives
// (workload.Recorded). Samples are safe for concurrent use.
type Samples struct {
	rec   *workload.Recorded
	stats Stats
}

// MaxSharedSteps is the most steps a scenario's workload is recorded for:
// 8 × 2²⁰ steps of 8 bytes, 64 MiB (97 days at one-second steps). A longer
// run, such as a year at one-second steps (31.5 million), is not recorded
// (holding it would take 240 MiB): each of its runs samples the workload
// itself, for a few nanoseconds a step and no memory.
const MaxSharedSteps = 8 << 20

// Bytes is the memory the samples hold.
func (smp *Samples) Bytes() int64 { return 8 * int64(len(smp.rec.Samples)) }

// steps is the scenario's number of steps.
func (sc *Scenario) steps() int64 { return int64(sc.Setup.Horizon / sc.Setup.Step) }

// sharable reports whether the scenario's runs may replay one recording of
// its workload: it fits MaxSharedSteps, and it is not a Poisson workload
// on the per-job engine, which draws its own arrivals from the Poisson
// curve's mean (a recording holds the counts).
func (sc *Scenario) sharable() bool {
	if n := sc.steps(); sc.unshared || n < 1 || n > MaxSharedSteps {
		return false
	}
	if _, ok := sc.Workload.(workload.Poisson); ok && sc.Engine == EngineEvents {
		return false
	}
	return true
}

// Sample reads the scenario's workload once over its horizon, or returns
// nil when its runs should each sample it (more than MaxSharedSteps steps;
// a Poisson workload on the per-job engine).
func (sc *Scenario) Sample() *Samples {
	if sc.samples != nil {
		return sc.samples
	}
	if !sc.sharable() {
		return nil
	}
	rec := workload.Record(sc.Workload, sc.Setup.Step.Seconds(), int(sc.steps()))
	replay := *sc
	replay.Workload = rec
	return &Samples{rec: rec, stats: replay.Measure()}
}

// WithSamples is a copy of the scenario whose runs replay smp instead of
// sampling the workload, and whose Measure is smp's. smp must be of a
// scenario with the same workload, step and horizon: a sweep's
// configurations that set nothing the workload depends on (its shape,
// seed, start, step, horizon or engine) share their base's. A different
// step or horizon is refused; the workload itself is the caller's to
// keep the same. A nil smp gives the scenario as it is.
func (sc *Scenario) WithSamples(smp *Samples) (*Scenario, error) {
	if smp == nil {
		return sc, nil
	}
	if smp.rec.Step != sc.Setup.Step.Seconds() || int64(len(smp.rec.Samples)) != sc.steps() {
		return nil, fmt.Errorf("scenario: the shared samples are %d steps of %gs, the scenario %d steps of %gs",
			len(smp.rec.Samples), smp.rec.Step, sc.steps(), sc.Setup.Step.Seconds())
	}
	if !sc.sharable() {
		return sc, nil
	}
	c := *sc
	c.Workload, c.samples = smp.rec, smp
	return &c, nil
}

// WithoutSharing is a copy of the scenario whose every run samples the
// workload itself, as runs did before they shared one reading: the output
// is the same, only slower. For measurements and tests.
func (sc *Scenario) WithoutSharing() *Scenario {
	c := *sc
	if sc.samples != nil {
		c.Workload = sc.samples.rec.Curve
	}
	c.samples, c.unshared = nil, true
	return &c
}

// shared is the scenario with its workload read once for its runs when
// that fits (Run's hook): every policy, replication and the oracle then
// replay it.
func (sc *Scenario) shared() *Scenario {
	if sc.samples != nil {
		return sc
	}
	out, err := sc.WithSamples(sc.Sample())
	if err != nil {
		return sc // cannot happen: the samples are the scenario's own
	}
	return out
}

// sharedBytes is what Run holds for the shared samples (Cost's hook).
func (sc *Scenario) sharedBytes() float64 {
	if sc.samples == nil && !sc.sharable() {
		return 0
	}
	return 8 * float64(sc.steps())
}
