package events

import (
	"math"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim/engine"
)

// A timeHistogram counts durations (seconds) in log-linear bins read off the
// bits of the float64: each power of two from 2⁻³⁰ s (about a nanosecond) to
// 2³³ s (272 years) is cut into 2⁷ = 128 bins of equal width, so a bin
// spans 1/128 of its lower edge and its midpoint is within 1/256 (0.4%) of
// any value in it. Bin 0 holds everything below 2⁻³⁰ s: no wait at all.
// Adding a value is a shift, a subtraction and two clamps, no call: it sits
// in the engine's hot loop.
type timeHistogram struct {
	bins [histBins]int64
}

const (
	histSub    = 7                      // bits of mantissa per octave
	histShift  = 52 - histSub           // float64 bits to drop
	histLow    = (1023 - 30) << histSub // exponent and mantissa bits of 2⁻³⁰, shifted
	histBins   = 63<<histSub + 1        // bin 0, then 63 octaves
	histMaxBin = histBins - 1
	// HistogramError is the largest relative error of a quantile the events
	// engine reports (a bin's midpoint stands for every value in it).
	HistogramError = 1.0 / (2 << histSub)
)

// histBin is the bin of a duration x ≥ 0.
func histBin(x float64) int {
	b := int(math.Float64bits(x)>>histShift) - histLow + 1
	return min(max(b, 0), histMaxBin)
}

func (h *timeHistogram) add(x float64) { h.bins[histBin(x)]++ }

func (h *timeHistogram) merge(o *timeHistogram) {
	for i, c := range o.bins {
		h.bins[i] += c
	}
}

// binMid is the midpoint of bin b ≥ 1.
func binMid(b int) float64 {
	lo := math.Float64frombits(uint64(b-1+histLow) << histShift)
	hi := math.Float64frombits(uint64(b+histLow) << histShift)
	return (lo + hi) / 2
}

// quantile is the value below which a fraction q of the n counted values
// fall (the bin's midpoint; 0 for bin 0).
func (h *timeHistogram) quantile(q float64, n int64) float64 {
	if n <= 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(n)))
	rank = max(1, min(rank, n))
	seen := int64(0)
	for b, c := range h.bins {
		if seen += c; seen >= rank {
			if b == 0 {
				return 0
			}
			return binMid(b)
		}
	}
	return math.Inf(1)
}

// quantilesSince fills out[i] with the quantile qs[i] of the values counted
// in h since mark was a copy of it (h's counts less mark's), in one pass;
// NaN when there are none.
func (h *timeHistogram) quantilesSince(mark *timeHistogram, qs, out []float64) {
	n := int64(0)
	for b, c := range h.bins {
		n += c - mark.bins[b]
	}
	if n <= 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return
	}
	seen, i := int64(0), 0
	rank := func(q float64) int64 { return max(1, min(int64(math.Ceil(q*float64(n))), n)) }
	for b, c := range h.bins {
		seen += c - mark.bins[b]
		for i < len(qs) && seen >= rank(qs[i]) {
			if b == 0 {
				out[i] = 0
			} else {
				out[i] = binMid(b)
			}
			i++
		}
		if i == len(qs) {
			return
		}
	}
}

// count is the number of values counted.
func (h *timeHistogram) count() int64 {
	n := int64(0)
	for _, c := range h.bins {
		n += c
	}
	return n
}

// jobTally is what the events engine counts about jobs, in the arrival
// order it sees them. Counts are whole jobs.
type jobTally struct {
	arrived, served, missed, timedOut, lost, late int64
	sumWait, sumResponse                          float64 // seconds, served jobs
	lostWait                                      float64 // seconds waited by jobs lost in crashes
	value                                         float64
	wait, response                                timeHistogram // response only for random latencies
}

// add adds o's counts and sums to t (not its histograms).
func (t *jobTally) addCounts(o *jobTally) {
	t.arrived += o.arrived
	t.served += o.served
	t.missed += o.missed
	t.timedOut += o.timedOut
	t.lost += o.lost
	t.late += o.late
	t.sumWait += o.sumWait
	t.sumResponse += o.sumResponse
	t.lostWait += o.lostWait
	t.value += o.value
}

// eventSums are the running sums the events engine keeps at the end of each
// step, for the policy's windows and the series: differences of two give
// the averages over the steps between.
type eventSums struct {
	arrived float64 // jobs
	served  float64 // jobs started
	ready   float64 // ready boxes summed over steps (box-steps)
	busy    float64 // box-seconds spent on jobs
	queued  float64 // job-seconds spent waiting
}

// eventHistory is the events engine's policy.History: the sums after each
// step in a ring long enough for the policy's lookback. A step whose busy
// and queued sums were not worked out (a policy that declares its windows
// reads only some steps) holds NaN in them.
type eventHistory struct {
	dt, invDt float64
	latency   float64 // mean latency, for Demand
	mask      int
	ring      []eventSums // ring[j & mask]: the sums over the first j steps
	n         int         // steps recorded so far
	// undeclared is set when a window met a step whose sums were not
	// worked out: the policy read a window it did not declare.
	undeclared bool
}

// newEventHistory is the history for a ring of size slots (historySize).
func newEventHistory(dt, latency float64, size int) *eventHistory {
	return &eventHistory{dt: dt, invDt: 1 / dt, latency: latency, mask: size - 1, ring: make([]eventSums, size)}
}

// steps are the steps a window [from, to) reads when n steps are recorded:
// the sums after j0 and after j1 (none when j1 <= j0).
func (h *eventHistory) steps(from, to float64, n int) (j0, j1 int) {
	return max(engine.RoundStep(from*h.invDt), n-h.mask), min(engine.RoundStep(to*h.invDt), n)
}

// Window implements policy.History: averages over the steps in [from, to),
// clipped to what was recorded and is still in the ring. Busy is the mean
// number of boxes at work, Queued the mean number of jobs waiting, both
// exact time averages.
func (h *eventHistory) Window(from, to float64, m *policy.Metrics) bool {
	j0, j1 := h.steps(from, to, h.n)
	if j1 <= j0 {
		return false
	}
	x, y := &h.ring[j0&h.mask], &h.ring[j1&h.mask]
	if math.IsNaN(x.busy) || math.IsNaN(y.busy) {
		h.undeclared = true
	}
	perStep := 1 / float64(j1-j0)
	perSecond := perStep * h.invDt
	jobRate := (y.arrived - x.arrived) * perSecond
	*m = policy.Metrics{
		JobRate: jobRate,
		Served:  (y.served - x.served) * perSecond,
		Ready:   (y.ready - x.ready) * perStep,
		Busy:    (y.busy - x.busy) * perSecond,
		Queued:  (y.queued - x.queued) * perSecond,
		Demand:  jobRate * h.latency,
	}
	return true
}
