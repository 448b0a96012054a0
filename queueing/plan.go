package queueing

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Targets are what a fleet must meet. A zero field is no target. All
// probabilities are in (0, 1].
type Targets struct {
	MaxMiss        float64 // P(a job is missed), with no queue (Erlang B)
	MaxWaitProb    float64 // P(a job waits), with an unbounded queue
	MaxMeanWait    float64 // mean wait in seconds, with an unbounded queue
	Deadline       float64 // seconds, ≥ 0: the wait MaxWaitOver is about
	MaxWaitOver    float64 // P(a job waits longer than Deadline), with an unbounded queue
	MaxUtilization float64 // OfferedLoad / Boxes, the articles' utilization, in (0, 1]
}

// Empty reports whether t has no target.
func (t Targets) Empty() bool {
	return t.MaxMiss == 0 && t.MaxWaitProb == 0 && t.MaxMeanWait == 0 && t.MaxWaitOver == 0 && t.MaxUtilization == 0
}

// Validate reports the first target that is out of range or does not apply
// to the queue q.
func (t Targets) Validate(q Queue) error {
	prob := func(name string, v float64) error {
		if v != 0 && !(v > 0 && v <= 1) {
			return fmt.Errorf("queueing: %s %g must be a probability in (0, 1]", name, v)
		}
		return nil
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"max miss", t.MaxMiss}, {"max wait probability", t.MaxWaitProb}, {"max wait-over probability", t.MaxWaitOver}, {"max utilization", t.MaxUtilization}} {
		if err := prob(p.name, p.v); err != nil {
			return err
		}
	}
	switch {
	case t.MaxMeanWait != 0 && !(t.MaxMeanWait > 0 && !math.IsInf(t.MaxMeanWait, 0)):
		return fmt.Errorf("queueing: max mean wait %g must be positive and finite", t.MaxMeanWait)
	case math.IsNaN(t.Deadline) || t.Deadline < 0 || math.IsInf(t.Deadline, 0):
		return fmt.Errorf("queueing: deadline %g must be finite and not negative", t.Deadline)
	case q.Norm() == NoQueue && (t.MaxWaitProb != 0 || t.MaxMeanWait != 0 || t.MaxWaitOver != 0):
		return errors.New("queueing: waiting targets need a queue (no queue: jobs are missed, never wait)")
	case q.Norm() == Unbounded && t.MaxMiss != 0:
		return errors.New("queueing: a miss target needs no queue (with a queue, jobs wait instead of being missed)")
	}
	return nil
}

// Plan is one fleet evaluated against targets.
type Plan struct {
	System
	OfferedLoad float64 // erlangs, JobRate × Latency
	Utilization float64 // OfferedLoad / Boxes, the articles' JobRate / Throughput
	// Busy is the share of box time spent on jobs: the carried load
	// OfferedLoad·(1 − PMiss) over Boxes. It equals Utilization with a
	// stable queue and is below it with no queue, where missed jobs take no
	// box time (so Utilization may pass 1 while Busy stays below it); 1 for
	// an unstable queue.
	Busy        float64
	PMiss       float64 // P(missed)
	PWait       float64 // P(waits at all)
	MeanWait    float64 // seconds; +Inf when unstable
	Deadline    float64 // seconds; the deadline of PWaitOver, when HasDeadline
	HasDeadline bool
	PWaitOver   float64 // P(wait > Deadline) in the plain queue
	// PTimeout is P(timeout) if jobs left the queue at the deadline
	// (M/M/c+D); NaN unless the latency is exponential and a deadline given.
	PTimeout float64
	// Waits are wait percentiles in the plain queue (WaitQuantile): the
	// 50th, 95th and 99th, and the one a target asks for; empty with no
	// queue. A Wait is +Inf when the queue is unstable.
	Waits   []WaitPercentile
	Targets Targets
	Met     bool // every target is met
}

// WaitPercentile is the wait that Percentile percent of the jobs do not
// exceed, in seconds.
type WaitPercentile struct {
	Percentile float64 // in (0, 100)
	Wait       float64 // seconds
}

// ReportedPercentiles are the wait percentiles every plan with a queue
// reports.
var reportedPercentiles = []float64{50, 95, 99}

// Evaluate computes the Plan of s as it is (s.Boxes boxes).
func Evaluate(s System, t Targets) (Plan, error) {
	if err := s.Validate(); err != nil {
		return Plan{}, err
	}
	if err := t.Validate(s.Queue); err != nil {
		return Plan{}, err
	}
	p := Plan{
		System:      s,
		OfferedLoad: s.OfferedLoad(),
		Utilization: s.Utilization(),
		PMiss:       s.MissProbability(),
		PWait:       s.WaitProbability(),
		MeanWait:    s.MeanWait(),
		PWaitOver:   math.NaN(),
		PTimeout:    math.NaN(),
		Targets:     t,
	}
	switch {
	case s.Boxes == 0:
		p.Busy = 0
	case !s.Stable():
		p.Busy = 1
	default:
		p.Busy = p.OfferedLoad * (1 - p.PMiss) / float64(s.Boxes)
	}
	if t.MaxWaitOver != 0 {
		p.Deadline, p.HasDeadline = t.Deadline, true
		var err error
		if p.PWaitOver, err = s.WaitOver(t.Deadline); err != nil {
			return Plan{}, err
		}
		if s.Service.Norm() == Exponential && s.Queue.Norm() == Unbounded {
			p.PTimeout, _ = s.TimeoutProbability(t.Deadline)
		}
	}
	if s.Queue == Unbounded {
		ps := reportedPercentiles
		if t.MaxWaitOver != 0 {
			ps = append(ps[:len(ps):len(ps)], 100*(1-t.MaxWaitOver))
		}
		for _, q := range ps {
			if p.Waits != nil && slicesHasPercentile(p.Waits, q) {
				continue
			}
			w, err := s.WaitQuantile(q / 100)
			if err != nil {
				return Plan{}, err
			}
			p.Waits = append(p.Waits, WaitPercentile{Percentile: q, Wait: w})
		}
		sortPercentiles(p.Waits)
	}
	met, err := meets(s, t)
	if err != nil {
		return Plan{}, err
	}
	p.Met = met
	return p, nil
}

// meets reports whether s meets every target of t. Each criterion falls as
// boxes are added (see Smallest), so meets is monotone in s.Boxes.
func meets(s System, t Targets) (bool, error) { return meetsWith(s, t, false) }

// meetsWith is meets; with guess, the M/D/c tail is mdcTailApprox (the
// pole at τ alone), which costs a quadrature instead of a transform.
func meetsWith(s System, t Targets, guess bool) (bool, error) {
	a, c := s.OfferedLoad(), s.Boxes
	if t.MaxUtilization != 0 && s.Utilization() > t.MaxUtilization*(1+1e-12) {
		return false, nil
	}
	if s.Queue.Norm() == NoQueue {
		return t.MaxMiss == 0 || ErlangB(c, a) <= t.MaxMiss, nil
	}
	if !s.Stable() {
		return false, nil
	}
	var pw float64 = -1
	if t.MaxWaitProb != 0 || t.MaxWaitOver != 0 {
		pw = s.WaitProbability()
		if t.MaxWaitProb != 0 && pw > t.MaxWaitProb {
			return false, nil
		}
	}
	if t.MaxMeanWait != 0 && s.MeanWait() > t.MaxMeanWait {
		return false, nil
	}
	if t.MaxWaitOver != 0 && pw > t.MaxWaitOver {
		// P(W > t) ≤ P(W > 0): decided without the tail.
		if s.Service.Norm() == Exponential {
			return MMcWaitOver(c, a, t.Deadline/s.Latency) <= t.MaxWaitOver, nil
		}
		x := t.Deadline / s.Latency
		if mdcLundberg(c, a, x) <= t.MaxWaitOver {
			return true, nil
		}
		if guess && x > 0 {
			k := math.Floor(x)
			m := int((k + 1) * float64(c))
			return mdcTailApprox(c, a, m, a*(1-(x-k)), mdcTau(c, a)) <= t.MaxWaitOver, nil
		}
		p, err := MDcWaitOver(c, a, x)
		if err != nil {
			return false, err
		}
		return p <= t.MaxWaitOver, nil
	}
	return true, nil
}

// mdcLundberg is Lundberg's bound on the M/D/c tail: with τ the root of
// G(τ) = 1, E[τ^(S_n)] = 1 makes τ^(S_n) a martingale, so
// P(Y ≥ j) ≤ τ^(−j) and
//
//	P(Y + A_θ ≥ m) ≤ E[τ^(A_θ)]·τ^(−m) = exp(θ(τ − 1) − m·ln τ).
//
// It decides most deadlines of large fleets without the transform.
func mdcLundberg(c int, a, x float64) float64 {
	k := math.Floor(x)
	u := x - k
	m := (k + 1) * float64(c)
	tau := mdcTau(c, a)
	return math.Exp(a*(1-u)*(tau-1) - m*math.Log(tau))
}

// maxBoxes bounds the search of Smallest.
const maxBoxes = 1 << 40

// Smallest is the fewest boxes with which s (its Boxes ignored) meets every
// target of t. No load needs 0 boxes.
//
// Every criterion falls as boxes are added, so the fleets that meet t are
// all those from the answer up, and a galloping search (1, 2, 4, … boxes
// above a lower bound, then bisection) finds it with O(log n) evaluations:
//
//   - Utilization a/c falls with c.
//   - Erlang B: B(c) < B(c−1) ⇔ a·(1 − B(c−1)) < c, and the load carried by
//     c − 1 boxes is at most c − 1.
//   - M/D/c: a job waits longer than x·D exactly when, for some n ≥ 1, the
//     jobs arriving in the n·D − x·D before it number at least n·c
//     (Crommelin's representation, see MDcWaitOver); for the same arrivals
//     that event shrinks as c grows, so P(W > x·D) falls for every x, and
//     with it P(wait) and the mean wait ∫ P(W > x) dx.
//   - M/M/c: the number of jobs present is a birth–death chain whose death
//     rate min(n, c)/L grows with c; the standard monotone coupling makes it
//     stochastically smaller with more boxes, so Erlang C = P(N ≥ c) falls,
//     and so do C·exp(−(c−a)t/L) and the mean wait C·L/(c − a).
//
// An unbounded queue needs c > a to be stable, which gives the lower bound
// floor(a) + 1; a utilization target gives ceil(a/U).
func Smallest(s System, t Targets) (int, error) {
	if err := s.Validate(); err != nil {
		return 0, err
	}
	if err := t.Validate(s.Queue); err != nil {
		return 0, err
	}
	if t.Empty() {
		return 0, errors.New("queueing: no target to plan for")
	}
	a := s.OfferedLoad()
	if a == 0 {
		return 0, nil
	}
	lb := 1.0
	if s.Queue.Norm() == Unbounded {
		lb = math.Floor(a) + 1
	}
	if t.MaxUtilization != 0 {
		need := a / t.MaxUtilization
		lb = math.Max(lb, math.Ceil(need-1e-12*need))
	}
	if t.MaxMiss != 0 && t.MaxMiss < 1 {
		// c boxes carry at most c of the load a, so B(c) ≥ 1 − c/a: a miss
		// of at most MaxMiss needs c ≥ a·(1 − MaxMiss). Past maxBoxes that
		// is known at once, without galloping up to it (issue 11: a
		// headroom table up to 1e15/s took 5 s to say so).
		lb = math.Max(lb, math.Floor(a*(1-t.MaxMiss)))
	}
	if lb > maxBoxes {
		return 0, fmt.Errorf("queueing: the load needs more than %d boxes", maxBoxes)
	}
	at := func(c int) (bool, error) {
		s.Boxes = c
		return meets(s, t)
	}
	lo := int(lb)
	if t.MaxWaitOver != 0 && s.Service.Norm() == Fixed {
		// The exact M/D/c tail costs a transform; find where the pole at τ
		// puts the answer first, then settle it exactly from there.
		guess, err := search(lo, func(c int) (bool, error) {
			s.Boxes = c
			return meetsWith(s, t, true)
		})
		if err != nil {
			return 0, err
		}
		return searchFrom(lo, guess, at)
	}
	return search(lo, at)
}

// search is the smallest c ≥ lo with at(c), for a monotone at: a
// galloping search up from lo (steps 1, 2, 4, …), then bisection.
func search(lo int, at func(int) (bool, error)) (int, error) {
	ok, err := at(lo)
	if err != nil || ok {
		return lo, err
	}
	// lo fails; find hi that meets, doubling the step.
	hi, step := lo, 1
	for {
		hi = lo + step
		if hi > maxBoxes {
			return 0, fmt.Errorf("queueing: no fleet up to %d boxes meets the targets", maxBoxes)
		}
		ok, err := at(hi)
		if err != nil {
			return 0, err
		}
		if ok {
			break
		}
		lo, step = hi, step*2
	}
	return bisect(lo, hi, at)
}

// searchFrom is search with a guess of the answer: it gallops down from
// the guess while at holds, or up while it does not, then bisects, so that
// a good guess costs two calls of at.
func searchFrom(lo, guess int, at func(int) (bool, error)) (int, error) {
	if guess <= lo {
		return search(lo, at)
	}
	ok, err := at(guess)
	if err != nil {
		return 0, err
	}
	if !ok {
		return search(guess, at)
	}
	hi, step := guess, 1
	for {
		p := hi - step
		if p <= lo {
			ok, err := at(lo)
			if err != nil || ok {
				return lo, err
			}
			return bisect(lo, hi, at)
		}
		ok, err := at(p)
		if err != nil {
			return 0, err
		}
		if !ok {
			return bisect(p, hi, at)
		}
		hi, step = p, step*2
	}
}

// bisect narrows lo (fails) and hi (holds) to adjacent fleets.
func bisect(lo, hi int, at func(int) (bool, error)) (int, error) {
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ok, err := at(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, nil
}

func slicesHasPercentile(ws []WaitPercentile, q float64) bool {
	for _, w := range ws {
		if math.Abs(w.Percentile-q) < 1e-9 {
			return true
		}
	}
	return false
}

func sortPercentiles(ws []WaitPercentile) {
	slices.SortFunc(ws, func(a, b WaitPercentile) int { return cmp.Compare(a.Percentile, b.Percentile) })
}
