package series

import (
	"math"

	"github.com/boxes-project/boxes/sim"
)

// utilizationHistogram is a time-weighted histogram of per-step
// utilization. Bins are 1/1024 wide below 4 and 1% wide above, up to 10⁶;
// a quantile is reported as its bin's midpoint, so it is within 1/2048 of
// the truth below 4 and within 0.5% above. Infinite values (load and no
// ready box) have a bin of their own.
type UtilizationHistogram struct {
	Lin   [linBins]int64
	log   [logBins]int64
	inf   int64
	n     int64
	sum   float64
	max   float64
	clamp int64 // values above the last log bin, counted in it
}

const (
	linBins  = 4096
	LinScale = 1024
	LinTop   = linBins / LinScale // 4
	logBins  = 1300               // 4 × 1.01^1300 ≈ 1.7 × 10⁶
)

var logStep = math.Log(1.01)

// addSlow records a step whose utilization a × invCap is not in the linear
// bins: at least 4, or a step with no ready box (invCap +Inf), which is +Inf
// with jobs and 0 without. The fluid engine
// counts the linear bins itself, in runs; merge adds its totals.
func (h *UtilizationHistogram) AddSlow(a, invCap float64) {
	u := 0.0
	if a > 0 {
		u = a * invCap // +Inf when invCap is: no ready box
	}
	h.Add(u)
}

// add records one step of utilization u, counting it in n.
func (h *UtilizationHistogram) Add(u float64) {
	h.n++
	switch {
	case u < LinTop:
		h.Lin[int(u*LinScale)]++
		h.sum += u
		h.max = max(h.max, u) // math.Max's rules, inline
	case math.IsInf(u, 1):
		h.inf++
		h.max = u
	default:
		h.sum += u
		h.max = max(h.max, u) // math.Max's rules, inline
		i := int(math.Log(u/LinTop) / logStep)
		if i >= logBins {
			i = logBins - 1
			h.clamp++
		}
		h.log[i]++
	}
}

// merge adds the sum and max of the steps counted in the linear bins by the
// caller, out of steps in all (the rest went through addSlow).
func (h *UtilizationHistogram) Merge(sum, max float64, steps int) {
	h.sum += sum
	h.max = math.Max(h.max, max)
	h.n = int64(steps)
}

// quantile is the value below which a fraction q of the time fell.
func (h *UtilizationHistogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(h.n)))
	rank = max(1, min(rank, h.n))
	seen := int64(0)
	for i, c := range h.Lin {
		if seen += c; seen >= rank {
			return math.Min(h.max, (float64(i)+0.5)/LinScale)
		}
	}
	for i, c := range h.log {
		if seen += c; seen >= rank {
			return math.Min(h.max, LinTop*math.Exp((float64(i)+0.5)*logStep))
		}
	}
	return math.Inf(1)
}

func (h *UtilizationHistogram) Distribution() sim.Distribution {
	d := sim.Distribution{P50: h.quantile(0.5), P95: h.quantile(0.95), Max: h.max}
	switch {
	case h.inf > 0:
		d.Mean = math.Inf(1)
	case h.n > 0:
		d.Mean = h.sum / float64(h.n)
	}
	return d
}
