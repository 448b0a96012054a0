// Package fleet is the boxes of one run as the engines keep them: booting,
// ready and leaving, and what they are billed.
package fleet

import (
	"math"

	"github.com/boxes-project/boxes/sim"
)

// fleet is the boxes of one run: the ready ones serve, the booting ones will,
// and every box is billed from its start to its end. Boxes leave newest
// first: a booting box is cancelled before a ready box is drained, and
// since every box boots for the same time, booting boxes are always the
// newest.
type Fleet struct {
	billing sim.Billing
	boot    float64 // seconds
	drain   float64 // seconds billed after removal

	starts   []float64 // start time of every box alive, oldest first
	sumStart float64   // sum of starts, for the time billed so far
	Ready    int
	booting  []batch // boxes booting, by ready time, oldest first from head
	head     int     // booting[head:] are still booting
	NBoot    int

	BootArea  float64 // ∫ booting boxes dt so far (box-seconds)
	LastBoot  float64 // time bootArea was brought up to date
	ended     float64 // seconds billed for boxes that have ended
	endedLife float64 // seconds lived by boxes that have ended
	Started   int
	Peak      int
}

type batch struct {
	readyAt float64
	n       int
}

func NewFleet(s sim.Setup) *Fleet {
	return &Fleet{billing: s.Billing, boot: s.Boot.Seconds(), drain: s.Drain.Seconds()}
}

// warm adds n ready boxes at time t, as if they had been running before.
func (f *Fleet) Warm(t float64, n int) {
	for range n {
		f.starts = append(f.starts, t)
		f.sumStart += t
	}
	f.Ready += n
	f.Peak = max(f.Peak, len(f.starts))
}

// size is ready plus booting boxes: the capacity a policy asked for.
func (f *Fleet) Size() int { return f.Ready + f.NBoot }

// nextReady is the time the oldest booting boxes become ready, or +Inf.
func (f *Fleet) NextReady() float64 {
	if f.head == len(f.booting) {
		return math.Inf(1)
	}
	return f.booting[f.head].readyAt
}

func (f *Fleet) integrateBoot(t float64) {
	f.BootArea += float64(f.NBoot) * (t - f.LastBoot)
	f.LastBoot = t
}

// promote makes the boxes whose boot is over by t ready.
func (f *Fleet) Promote(t float64) {
	for f.head < len(f.booting) && f.booting[f.head].readyAt <= t+1e-9 {
		f.integrateBoot(t)
		b := f.booting[f.head]
		f.head++
		f.NBoot -= b.n
		f.Ready += b.n
	}
	if f.head == len(f.booting) {
		// Reuse the array from its start: the queue never outgrows the
		// most batches booting at once.
		f.booting, f.head = f.booting[:0], 0
	}
}

// resize starts or removes boxes at time t so that size() is n.
func (f *Fleet) Resize(t float64, n int) {
	switch d := n - f.Size(); {
	case d > 0:
		f.Start(t, d)
	case d < 0:
		f.Remove(t, -d)
	}
}

func (f *Fleet) Start(t float64, n int) {
	f.Started += n
	for range n {
		f.starts = append(f.starts, t)
	}
	f.sumStart += float64(n) * t
	f.Peak = max(f.Peak, len(f.starts))
	if f.boot <= 0 {
		f.Ready += n
		return
	}
	f.integrateBoot(t)
	f.NBoot += n
	if k := len(f.booting); k > f.head && f.booting[k-1].readyAt == t+f.boot {
		f.booting[k-1].n += n
		return
	}
	if f.head > 0 && len(f.booting) == cap(f.booting) {
		k := copy(f.booting, f.booting[f.head:])
		f.booting, f.head = f.booting[:k], 0
	}
	f.booting = append(f.booting, batch{readyAt: t + f.boot, n: n})
}

// remove takes n boxes away at time t, newest first: booting boxes are
// cancelled (billed for their boot so far), then ready boxes drain (billed
// for Drain more).
func (f *Fleet) Remove(t float64, n int) { f.RemoveFinishing(t, n, nil) }

// removeFinishing is remove where the i-th ready box to leave holds a job
// that ends at jobEnds[i] (the events engine): it is billed until then if
// that is later than Drain after t.
func (f *Fleet) RemoveFinishing(t float64, n int, jobEnds []float64) {
	n = min(n, len(f.starts))
	readyOut := 0
	for range n {
		last := len(f.starts) - 1
		start := f.starts[last]
		f.starts = f.starts[:last]
		f.sumStart -= start
		end := t
		if f.NBoot > 0 {
			f.integrateBoot(t)
			f.NBoot--
			k := len(f.booting) - 1
			if f.booting[k].n--; f.booting[k].n == 0 {
				f.booting = f.booting[:k]
				if f.head == k {
					f.booting, f.head = f.booting[:0], 0
				}
			}
		} else {
			f.Ready--
			end += f.drain
			if readyOut < len(jobEnds) {
				end = max(end, jobEnds[readyOut])
			}
			readyOut++
		}
		f.ended += f.billing.Charge(end - start)
		f.endedLife += end - start
	}
	if len(f.starts) == 0 {
		f.sumStart = 0 // no float residue once the fleet is empty
	}
}

// billedAt is the box-seconds billed up to time t, counting the boxes still
// alive by the time they have lived so far (no rounding yet).
func (f *Fleet) BilledAt(t float64) float64 {
	return f.ended + float64(len(f.starts))*t - f.sumStart
}

// close ends every box at the horizon h and returns the box-seconds billed
// and lived over the run.
func (f *Fleet) Close(h float64) (billed, lived float64) {
	f.integrateBoot(h)
	billed, lived = f.ended, f.endedLife
	for _, s := range f.starts {
		billed += f.billing.Charge(h - s)
		lived += h - s
	}
	return billed, lived
}
