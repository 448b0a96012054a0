package engine

import (
	"fmt"
	"math"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim/internal/series"
)

// history is the metric record a policy reads: running sums after each step,
// in a ring long enough for the policy's lookback, so that the average over
// any window is a difference of two sums.
type history struct {
	dt      float64 // seconds per step
	invDt   float64 // 1 / dt
	latency float64
	mask    int
	ring    []sums // ring[j & mask]: the sums over the first j steps
	n       int    // steps recorded so far

	lastSteps   int     // the length of the last window read, in steps
	lastPerStep float64 // 1 / lastSteps
	// util is the run's utilization histogram, kept here so the hot loop
	// reaches everything it writes through one pointer.
	util *series.UtilizationHistogram
	// queued, on the fluid engine with a buffering proxy (fluidHold), is
	// the running sum of the backlog at the end of each step, in the
	// ring's slots: Metrics.Queued. Nil otherwise, and Queued is 0.
	queued []float64
}

// MaxHistorySteps bounds the steps of history a run keeps for its policy's
// windows: 2²¹, 24 days of one-second steps (48 MiB for the fluid engine,
// 80 MiB for the events engine, allocated only for a policy that looks
// back that far). A policy that looks back over more steps
// than that, and than the run has, is refused before anything is
// allocated (a longer step fits it).
const MaxHistorySteps = 1 << 21

// historySize is the length of a history ring (a power of two) for a
// policy that looks back lookback seconds over n steps of dt: long enough
// for the lookback or the whole run, whichever is shorter.
func HistorySize(lookback, dt float64, n int) (int, error) {
	steps := math.Ceil(lookback / dt)
	need := n
	if steps < float64(n) {
		need = int(steps)
	}
	if need > MaxHistorySteps {
		return 0, fmt.Errorf("sim: the policy looks back %gs, %d steps of %gs; a run keeps at most %d steps of history (use a longer step)", lookback, need, dt, MaxHistorySteps)
	}
	size := 2
	for size < need+2 {
		size *= 2
	}
	return size, nil
}

// newHistory is the history for a ring of size slots (historySize).
func newHistory(dt, latency float64, size int) *history {
	return &history{
		dt: dt, invDt: 1 / dt, latency: latency, mask: size - 1,
		ring: make([]sums, size),
	}
}

// sums are running sums over the first steps of a run: one slot of the ring,
// kept together so the hot loop reaches them through one slice.
type sums struct {
	arrived float64 // jobs arrived
	served  float64 // jobs served
	ready   float64 // ready boxes summed over steps
}

// Window implements policy.History: averages over the steps that fall in
// [from, to), clipped to what was recorded and is still in the ring.
func (h *history) Window(from, to float64, m *policy.Metrics) bool {
	j1 := RoundStep(to * h.invDt)
	if j1 > h.n {
		j1 = h.n
	}
	j0 := RoundStep(from * h.invDt)
	if lo := h.n - h.mask; j0 < lo {
		j0 = lo
	}
	if j1 <= j0 {
		return false
	}
	// A policy reads windows of one length: keep the reciprocal and skip a
	// division, whose latency is most of this function's time.
	if n := j1 - j0; n != h.lastSteps {
		h.lastSteps, h.lastPerStep = n, 1/float64(n)
	}
	perStep := h.lastPerStep
	perSecond := perStep * h.invDt
	a, b := j0&h.mask, j1&h.mask
	x, y := &h.ring[a], &h.ring[b]
	jobRate := (y.arrived - x.arrived) * perSecond
	served := (y.served - x.served) * perSecond
	*m = policy.Metrics{
		JobRate: jobRate,
		Served:  served,
		Ready:   (y.ready - x.ready) * perStep,
		Busy:    served * h.latency,
		Demand:  jobRate * h.latency,
	}
	if h.queued != nil {
		m.Queued = (h.queued[b] - h.queued[a]) * perStep
	}
	return true
}

// roundStep rounds a time in steps to the nearest step, clamping what is
// below zero (cheaper than math.Round on the engine's hot path).
func RoundStep(x float64) int {
	if x <= 0 {
		return 0
	}
	if x >= math.MaxInt32 {
		return math.MaxInt32
	}
	return int(x + 0.5)
}
