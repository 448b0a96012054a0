package engine

import (
	"context"
	"fmt"
	"math"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/workload"
)

// Oracle runs the workload with perfect foresight: at every step exactly
//
//	need = ceil(JobRate × Latency / target)
//
// boxes are ready, each booted just in time (started Boot before it is
// needed, billed while it boots). Between two stretches where a box is
// needed, the oracle keeps it idle when the gap is no longer than Boot +
// Drain, and otherwise lets it go and boots a new one: keeping costs the
// gap, replacing costs a boot and a drain.
//
// With target 1 no job is missed, and under exact or per-second billing
// (without a minimum charge, with boot and drain whole seconds) no policy
// that misses no job costs less: its boxes must cover the same need at
// every step, and for each level of need the keep-or-replace choice above
// is the cheapest way to cover it, gap by gap, with interchangeable boxes.
// (A drain of a fraction of a second, like the default one latency, rounds
// each stop up to the next second; the bound then holds to within a second
// of box time per box started.) Under coarser billing (a minimum charge, or per
// started hour) the same just-in-time schedule is billed that way; a policy
// that holds boxes through time already paid for can then cost less.
//
// The run goes through Fluid with a policy that replays the schedule, so
// its result has the same meaning, field by field, as any other run.
func Oracle(ctx context.Context, s sim.Setup, w workload.Curve, target float64) (*sim.Result, error) {
	r, _, err := OracleStats(ctx, s, w, target)
	return r, err
}

// OracleStats is Oracle, and the workload's statistics from the same pass
// over it: the values a separate pass summing the steps in order gives
// (Jobs is the run's arrivals, summed in step order; Peak the largest
// step's jobs over the step), so a caller need not read the workload
// again for them.
func OracleStats(ctx context.Context, s sim.Setup, w workload.Curve, target float64) (*sim.Result, sim.WorkloadStats, error) {
	if err := s.Validate(); err != nil {
		return nil, sim.WorkloadStats{}, err
	}
	if !(target > 0 && target <= 1) {
		return nil, sim.WorkloadStats{}, fmt.Errorf("sim: oracle utilization %g must be in (0, 1]", target)
	}
	plan := newOracleStream(ctx, s, w, target)
	run := policy.Run{Policy: plan, Initial: plan.at(0)}
	var src stepSampler = workload.NewSampler(w, 0, plan.dt)
	if plan.ring != nil {
		src = plan // the run reads the steps the planner has read
	}
	r, err := fluidRun(ctx, s, src, run, 2)
	if plan.err != nil {
		err = plan.err // the first cause: a bad workload, or cancellation
	}
	if err != nil {
		return nil, sim.WorkloadStats{}, workload.NameCurve(err, w)
	}
	r.Engine = "oracle"
	r.OracleCost = r.Cost
	return r, plan.stats(r, s), nil
}

// stats are the workload's statistics once the oracle's run r is over.
func (o *oracleStream) stats(r *sim.Result, s sim.Setup) sim.WorkloadStats {
	st := sim.WorkloadStats{Peak: o.peak / o.dt, Initial: o.first / o.dt, Jobs: r.Jobs.Arrived}
	st.Mean = st.Jobs / s.Horizon.Seconds()
	return st
}

// FluidAndOracle is Fluid(ctx, s, w, run) and OracleStats(ctx, os, w,
// target) in one pass over the workload: the oracle's planner reads each
// step once, and both runs take it from the planner, block by block in
// turn, in one goroutine. The results are those of the two calls (the same
// steps, the same operations). The two setups differ at most in price,
// billing and progress; else, or when the oracle's lookahead is too long
// to keep its steps, it makes the two calls.
func FluidAndOracle(ctx context.Context, s sim.Setup, w workload.Curve, run policy.Run, os sim.Setup, target float64) (r, oracle *sim.Result, st sim.WorkloadStats, err error) {
	if s.Horizon != os.Horizon || s.Step != os.Step || s.Start != os.Start || s.Boot != os.Boot {
		return fluidThenOracle(ctx, s, w, run, os, target)
	}
	for _, v := range []sim.Setup{s, os} {
		if err := v.Validate(); err != nil {
			return nil, nil, st, err
		}
	}
	if err := CheckRun(run); err != nil {
		return nil, nil, st, err
	}
	if !(target > 0 && target <= 1) {
		return nil, nil, st, fmt.Errorf("sim: oracle utilization %g must be in (0, 1]", target)
	}
	size, err := HistorySize(run.Lookback, s.Step.Seconds(), s.Steps())
	if err != nil {
		return nil, nil, st, err
	}
	plan := newOracleStream(ctx, os, w, target)
	if plan.ring == nil {
		return fluidThenOracle(ctx, s, w, run, os, target)
	}
	e := newFluid(s, run, size)
	o := newFluid(os, policy.Run{Policy: plan, Initial: plan.at(0)}, 2)
	reader := &planReader{o: plan}
	e.begin(reader)
	o.begin(plan)
	for k0 := 0; k0 < e.n && err == nil; k0 += BlockSize {
		if err = e.block(ctx, reader, k0); err == nil {
			err = o.block(ctx, plan, k0)
		}
	}
	if plan.err != nil {
		err = plan.err // the first cause: a bad workload, or cancellation
	}
	if err != nil {
		return nil, nil, st, workload.NameCurve(err, w)
	}
	e.finish()
	o.finish()
	r, oracle = e.result(), o.result()
	oracle.Engine = "oracle"
	oracle.OracleCost = oracle.Cost
	st = plan.stats(oracle, os)
	return r, oracle, st, nil
}

// fluidThenOracle is FluidAndOracle in two passes.
func fluidThenOracle(ctx context.Context, s sim.Setup, w workload.Curve, run policy.Run, os sim.Setup, target float64) (r, oracle *sim.Result, st sim.WorkloadStats, err error) {
	if r, err = Fluid(ctx, s, w, run); err != nil {
		return nil, nil, st, err
	}
	oracle, st, err = OracleStats(ctx, os, w, target)
	return r, oracle, st, err
}

// planReader reads the steps the planner has read, for a second run: the
// policy's, which FluidAndOracle runs a block ahead of the oracle's.
type planReader struct {
	o    *oracleStream
	next int
}

func (p *planReader) checkedJobs() {}

func (p *planReader) view(k0, m int) []float64 {
	o := p.o
	o.plan(k0 + m)
	if o.k-k0 > len(o.ring) {
		panic("sim: the oracle's planner overran a reader") // the ring is sized for two readers a block apart
	}
	p.next = k0 + m
	return o.ring[k0&o.mask : k0&o.mask+m]
}

func (p *planReader) Next(out []float64) {
	o := p.o
	o.plan(p.next + len(out))
	if o.k-p.next > len(o.ring) {
		panic("sim: the oracle's planner overran a reader") // the ring is sized for two readers a block apart
	}
	for i := range out {
		out[i] = o.ring[(p.next+i)&o.mask]
	}
	p.next += len(out)
}

// oracleStream plans the oracle's capacity while the run replays it, in
// one pass: a planner reads the workload lookahead steps ahead of the run
// and works out, level by level of need, when each box starts and stops
// (the rules in Oracle's comment). A box is booted at most Boot before it
// is needed, and whether an idle box is kept is known Boot + Drain after
// it falls idle, so every start and stop is settled once the planner is
// lookahead = max(Boot, Boot + Drain + one step) steps ahead. Its memory
// is the levels of need (the peak capacity) and the starts and stops
// within the lookahead, not the horizon.
type oracleStream struct {
	ctx      context.Context
	sampler  *workload.Sampler
	latSec   float64 // the box's latency, seconds
	target   float64
	dt       float64
	n        int     // steps in the run
	boot     int     // steps a box boots
	keep     float64 // a box stays through a gap of at most keep steps
	ahead    int     // lookahead, steps
	arr      [BlockSize]float64
	cur      []float64 // the block being planned: arr, or its place in the ring
	ai, am   int       // cur[ai:am] are the planner's next steps
	k        int       // next step the planner reads
	need     int
	lastEnd  []int  // lastEnd[j]: step at which level j+1 stopped being needed; -1 never needed
	released []bool // released[j]: its box's stop at lastEnd[j] is settled
	ends     []levelEnd
	eh       int // ends[eh:] are the levels fell idle, by step, not yet settled
	deltas   deltaHeap
	// lo and hi are the fewest and most jobs of a step seen that need
	// lastWant boxes: capacityOf is monotone, so a step between them needs
	// as many, without a division.
	lo, hi   float64
	lastWant int
	ranges   [][2]float64 // ranges[w]: rangeOf(w), NaN until worked out
	// peak and first are the most jobs of a step and the first step's.
	peak, first float64
	current     int // capacity at the run's step
	err         error
	// ring keeps the jobs of the steps the planner has read and the run
	// has not, ring[k & mask] for step k; nil when the lookahead is too
	// long to keep (the run then samples the workload itself).
	ring []float64
	mask int
	next int // the run's next step
}

// maxSharedAhead is the longest lookahead, in steps, whose steps the
// planner keeps for the run (8 × 2¹⁸ bytes: 2 MiB).
const maxSharedAhead = 1 << 18

type levelEnd struct{ level, step int }

func newOracleStream(ctx context.Context, s sim.Setup, w workload.Curve, target float64) *oracleStream {
	dt := s.Step.Seconds()
	o := &oracleStream{
		ctx: ctx, sampler: workload.NewSampler(w, 0, dt), latSec: s.Box.Latency.Seconds(), target: target,
		dt: dt, n: s.Steps(),
		boot: int(math.Ceil(s.Boot.Seconds()/dt - 1e-9)),
		keep: (s.Boot + s.Drain).Seconds() / dt,
		lo:   math.Inf(1), hi: math.Inf(-1), // an empty range
	}
	o.ahead = max(o.boot, int(min(o.keep, float64(o.n)))+1)
	if o.ahead <= maxSharedAhead {
		// The planner is at most 2·ahead + 2 blocks ahead of the start
		// of the run's block.
		size := 1
		for size < 2*o.ahead+6*BlockSize+8 { // and room for a second reader a block behind (planReader)
			size *= 2
		}
		o.ring, o.mask = make([]float64, size), size-1
	}
	return o
}

// view implements blockViewer for the run: the steps the planner read,
// in place in the ring.
func (o *oracleStream) view(k0, m int) []float64 {
	o.plan(k0 + m)
	o.next = k0 + m
	return o.ring[k0&o.mask : k0&o.mask+m]
}

// Next implements stepSampler for the run: the steps the planner read.
func (o *oracleStream) Next(out []float64) {
	o.plan(o.next + len(out))
	for i := range out {
		out[i] = o.ring[(o.next+i)&o.mask]
	}
	o.next += len(out)
}

// checkedJobs implements checkedSampler: plan checks every step it reads.
func (o *oracleStream) checkedJobs() {}

// plan reads the workload up to step until (at most the horizon), and at
// the horizon settles what is left.
func (o *oracleStream) plan(until int) {
	until = min(until, o.n)
	for o.k < until {
		if o.ai == o.am {
			if err := o.ctx.Err(); err != nil && o.err == nil {
				o.err = err
			}
			o.am, o.ai = min(BlockSize, o.n-o.k), 0
			// The steps go straight into the ring when there is one: a
			// block starts at a multiple of blockSize, and so does the
			// ring's length, so it does not wrap.
			o.cur = o.arr[:o.am]
			if o.ring != nil {
				base := o.k & o.mask
				o.cur = o.ring[base : base+o.am]
			}
			o.sampler.Next(o.cur)
			if err := workload.CheckJobs(o.cur, o.k, o.dt); err != nil {
				if o.err == nil {
					o.err = err
				}
				clear(o.cur) // plan nothing from numbers out of range
			}
		}
		if o.k == 0 {
			o.first = o.cur[o.ai]
		}
		o.run(min(o.am-o.ai, until-o.k))
		if o.k == o.n {
			for j := o.need; j < len(o.lastEnd); j++ {
				if e := o.lastEnd[j]; e >= 0 && !o.released[j] {
					o.deltas.push(e, -1)
				}
			}
		}
	}
}

// run plans the next n steps of arr, in a loop with its state in locals:
// most steps need what the last did (their jobs are within [lo, hi]) and
// no idle box is due to go.
func (o *oracleStream) run(n int) {
	arr := o.cur[o.ai : o.ai+n]
	// A step above the peak so far takes the slow way too (hi is at most
	// the peak), which keeps the peak.
	k := o.k
	lo, hi := o.lo, min(o.hi, o.peak)
	due := o.due()
	for _, a := range arr {
		if !(a >= lo && a <= hi) || k >= due {
			o.peak = max(o.peak, a)
			want := o.capacity(a)
			if want != o.need || k >= due {
				o.step(k, want)
			}
			lo, hi, due = o.lo, min(o.hi, o.peak), o.due()
		}
		k++
	}
	o.k = k
	o.ai += n
}

// due is the first step at which the earliest idle box not yet settled
// has been idle longer than keep (k − step > keep, for whole k − step:
// k ≥ step + ⌊keep⌋ + 1), or MaxInt.
func (o *oracleStream) due() int {
	if o.eh >= len(o.ends) || o.keep >= 1<<52 {
		return math.MaxInt
	}
	return o.ends[o.eh].step + int(o.keep) + 1
}

// capacity is capacityOf(a), worked out only when a is outside the range
// of jobs known to need lastWant boxes: the exact range of w boxes
// (rangeOf), or for a fleet too large to keep ranges for, the fewest and
// most jobs seen that need them (capacityOf never decreases as a grows:
// each operation, rounding included, is monotone).
func (o *oracleStream) capacity(a float64) int {
	if a >= o.lo && a <= o.hi {
		return o.lastWant
	}
	w := o.capacityOf(a)
	if lo, hi, ok := o.rangeOf(w); ok {
		o.lastWant, o.lo, o.hi = w, lo, hi
	} else if w == o.lastWant {
		o.lo, o.hi = min(o.lo, a), max(o.hi, a)
	} else {
		o.lastWant, o.lo, o.hi = w, a, a
	}
	return w
}

// maxRanges is the most capacities whose ranges of jobs are kept (16 bytes
// each).
const maxRanges = 1 << 16

// rangeOf is the range [lo, hi] of a step's jobs that need exactly w
// boxes, worked out once per w below maxRanges.
func (o *oracleStream) rangeOf(w int) (lo, hi float64, ok bool) {
	if w < 0 || w >= maxRanges {
		return 0, 0, false
	}
	for len(o.ranges) <= w {
		o.ranges = append(o.ranges, [2]float64{math.NaN(), math.NaN()})
	}
	r := &o.ranges[w]
	if math.IsNaN(r[0]) {
		r[0] = math.Inf(-1)
		if w > 0 {
			r[0] = o.lowest(w)
		}
		r[1] = math.Inf(1)
		if next := o.lowest(w + 1); next < math.Inf(1) {
			r[1] = math.Float64frombits(math.Float64bits(next) - 1)
		}
	}
	return r[0], r[1], r[0] <= r[1]
}

// lowest is the fewest jobs of a step that need at least w ≥ 1 boxes
// (+Inf when none do): a bisection over the bits of non-negative float64s,
// which order as their values, started around the estimate
// (w − 1)/(1 − 1e-9) × target / latency × step.
func (o *oracleStream) lowest(w int) float64 {
	lo, hi := uint64(0), math.Float64bits(math.MaxFloat64) // capacityOf(lo) < w ≤ capacityOf(hi)
	if o.capacityOf(math.MaxFloat64) < w {
		return math.Inf(1)
	}
	if x := float64(w-1) / (1 - 1e-9) * o.target / o.latSec * o.dt; x > 0 && x < math.MaxFloat64/2 {
		if l := x * (1 - 1e-12); o.capacityOf(l) < w {
			lo = math.Float64bits(l)
		}
		if h := x * (1 + 1e-12); o.capacityOf(h) >= w {
			hi = math.Float64bits(h)
		}
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if o.capacityOf(math.Float64frombits(mid)) >= w {
			hi = mid
		} else {
			lo = mid
		}
	}
	return math.Float64frombits(hi)
}

// capacityOf is boxes.CapacityFor the step's jobs a, at most MaxBoxes,
// with the same operations in the same order (so the same rounding), and
// the latency in seconds worked out once.

// A division by 1 gives its dividend exactly, so the divisions by a step
// of 1 s and a target of 1 (the defaults) are left out.
func (o *oracleStream) capacityOf(a float64) int {
	if o.dt != 1 {
		a /= o.dt
	}
	load := a * o.latSec
	if !(load > 0) {
		return 0
	}
	need := load
	if o.target != 1 {
		need /= o.target
	}
	if need >= MaxBoxes {
		return MaxBoxes
	}
	return min(int(math.Ceil(need*(1-1e-9))), MaxBoxes)
}

// step plans step k, where want boxes are needed.
func (o *oracleStream) step(k, want int) {
	// Levels idle for longer than keep: their boxes stopped when they fell
	// idle.
	for o.eh < len(o.ends) && float64(k-o.ends[o.eh].step) > o.keep {
		le := o.ends[o.eh]
		o.eh++
		if le.level >= o.need && o.lastEnd[le.level] == le.step {
			o.deltas.push(le.step, -1)
			o.released[le.level] = true
		}
	}
	if o.eh > 1024 && 2*o.eh > len(o.ends) {
		o.ends = o.ends[:copy(o.ends, o.ends[o.eh:])]
		o.eh = 0
	}
	for j := o.need; j < want; j++ { // level j+1 becomes needed
		if j == len(o.lastEnd) {
			o.lastEnd = append(o.lastEnd, -1)
			o.released = append(o.released, false)
		}
		switch e := o.lastEnd[j]; {
		case e < 0: // first time: boot just in time (warm at time 0)
			o.deltas.push(max(0, k-o.boot), +1)
		case o.released[j]: // the old box went: boot a new one
			o.deltas.push(max(e, k-o.boot), +1)
			o.released[j] = false
		default: // the box stayed, idle
		}
	}
	for j := want; j < o.need; j++ {
		o.lastEnd[j] = k
		o.ends = append(o.ends, levelEnd{j, k})
	}
	o.need = want
}

// at is the planned capacity at step k; steps are asked in order.
func (o *oracleStream) at(k int) int {
	o.plan(k + o.ahead + 1)
	for len(o.deltas) > 0 && o.deltas[0].step <= k {
		o.current += o.deltas.pop()
	}
	return o.current
}

// Desired implements policy.Policy: the capacity planned for o.Time. It is
// called at step 0 and then at the steps nextChange names, in order.
func (o *oracleStream) Desired(obs *policy.Observation) int {
	return o.at(int(math.Round(obs.Time / o.dt)))
}

// nextChange implements scheduledPolicy: the next step after k at which
// the capacity may change: the first start or stop planned up to a block
// ahead, or the block's end. (Planning a step settles the changes up to
// lookahead steps before it, so the planner reads that much further.)
func (o *oracleStream) nextChange(k int) int {
	m := k + max(o.ahead+1, BlockSize)
	o.plan(m + o.ahead + 1)
	if len(o.deltas) > 0 && o.deltas[0].step <= m {
		return max(o.deltas[0].step, k+1)
	}
	if o.k >= o.n && len(o.deltas) == 0 {
		return math.MaxInt
	}
	return m
}

// deltaHeap is a min-heap of capacity changes by step.
type deltaHeap []delta

type delta struct{ step, change int }

func (h *deltaHeap) push(step, change int) {
	*h = append(*h, delta{step, change})
	d := *h
	for i := len(d) - 1; i > 0; {
		p := (i - 1) / 2
		if d[p].step <= d[i].step {
			break
		}
		d[p], d[i] = d[i], d[p]
		i = p
	}
}

// pop removes the earliest change and returns it.
func (h *deltaHeap) pop() int {
	d := *h
	c := d[0].change
	last := len(d) - 1
	d[0] = d[last]
	d = d[:last]
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(d) {
			break
		}
		if r := l + 1; r < len(d) && d[r].step < d[l].step {
			l = r
		}
		if d[i].step <= d[l].step {
			break
		}
		d[i], d[l] = d[l], d[i]
		i = l
	}
	*h = d
	return c
}
