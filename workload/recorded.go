package workload

// Recorded is a curve whose steps were read once, for many runs to replay:
// Samples[k] is what NewSampler(Curve, 0, Step) gives for step k, Poisson
// counts and noise included. A Sampler of a Recorded started at time 0 in
// steps of Step copies Samples, so each run of a sweep or of a scenario's
// several policies reads the workload for the cost of a copy instead of
// sampling it again; the values are the very numbers the curve's own
// Sampler gives (a Sampler's values do not depend on the lengths passed to
// Next), so a run on a Recorded gives the same bytes as a run on Curve.
// Started at any other time or step, the Sampler reads Curve; past the
// last recorded step it reads on from Curve's own Sampler, advanced over
// the recorded steps. Rate and Jobs are Curve's.
//
// A Recorded holds 8 bytes a step (a day at one-second steps is 675 KiB, a
// year 240 MiB): callers record only what fits their memory budget.
// It is safe for concurrent use; do not change Samples.
//
// A Recorded of a Poisson curve replays its counts: the per-job engine,
// which draws its own arrivals from a Poisson curve's mean (events.Events
// takes the Poisson curve's Curve), must be given the Poisson curve
// itself, not a recording of it.
type Recorded struct {
	Curve   Curve
	Step    float64   // seconds
	Samples []float64 // jobs in step k, [k·Step, (k+1)·Step)
}

// Record reads steps steps of c from time 0 in steps of step seconds, in
// blocks of RecordBlock steps as the engines read a workload: the numbers
// are theirs to the last bit even where the compiler fuses a multiply-add
// differently in a stepper's block and single-step paths (which the
// Sampler's contract allows, within 1e-15 relative).
func Record(c Curve, step float64, steps int) *Recorded {
	r := &Recorded{Curve: c, Step: step, Samples: make([]float64, max(steps, 0))}
	s := NewSampler(c, 0, step)
	for k := 0; k < len(r.Samples); k += RecordBlock {
		s.Next(r.Samples[k:min(k+RecordBlock, len(r.Samples))])
	}
	return r
}

// RecordBlock is the length of the blocks Record reads: the engines' (sim's
// blockSize) and the scenario's Measure.
const RecordBlock = 4096

// Rate is the curve's rate at t.
func (r *Recorded) Rate(t float64) float64 { return r.Curve.Rate(t) }

// Jobs is the curve's expected jobs in [t0, t1).
func (r *Recorded) Jobs(t0, t1 float64) float64 { return r.Curve.Jobs(t0, t1) }

// replayStepper copies a recording, then reads on from the curve.
type replayStepper struct {
	r    *Recorded
	k    int     // the next step
	rest stepper // past the recording: the curve's own, at step k
	buf  []float64
}

func (s *replayStepper) next(out []float64) {
	if s.k < len(s.r.Samples) {
		n := copy(out, s.r.Samples[s.k:])
		s.k += n
		out = out[n:]
	}
	if len(out) == 0 {
		return
	}
	if s.rest == nil {
		// The curve's own stepper, from time 0, over the recorded steps:
		// its values after them are those of an unbroken run (a Poisson
		// curve's generator has drawn the same numbers).
		s.rest = newStepper(s.r.Curve, 0, s.r.Step)
		skip := make([]float64, min(RecordBlock, len(s.r.Samples)))
		for left := len(s.r.Samples); left > 0; {
			m := min(left, len(skip))
			s.rest.next(skip[:m])
			left -= m
		}
	}
	s.rest.next(out)
	s.k += len(out)
}

func (s *replayStepper) add(out []float64) { addVia(s.next, &s.buf, out) }

// unrecorded is c without a Recorded around it.
func unrecorded(c Curve) Curve {
	if r, ok := c.(*Recorded); ok && r != nil {
		return r.Curve
	}
	return c
}
