package loadtools

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// The USL server of the real-tool tests (NewUSL) has σ = 0.1 and κ = 0.01,
// so N* = sqrt((1 − σ)/κ) = 9.49, and a response at N takes
// L(1 + σ(N − 1) + κN(N − 1)): L at N = 1, 4.9 L at N = 16.
const (
	Sigma = 0.1
	Kappa = 0.01
)

// ResponseTime is the USL server's response time at N, in seconds, for
// service time l.
func ResponseTime(l time.Duration, n int) float64 {
	f := float64(n)
	return l.Seconds() * (1 + Sigma*(f-1) + Kappa*f*(f-1))
}

// JMeterL is the USL server's service time for JMeter: 50ms, as for ab
// and hey, so that JMeter's own millisecond or so a request stays small
// beside it.
const JMeterL = 50 * time.Millisecond

// JMeterNs are the thread counts of the JMeter run against the USL
// server: seven, so that the fit of λ, σ and κ has 4 degrees of freedom
// (t = 2.78 for the 95% intervals; 4.30 with 2, from five).
var JMeterNs = []int{1, 2, 4, 6, 8, 12, 16}

// JMeterGroups are JMeter's thread groups against the USL server, one
// per N in JMeterNs, path /cN, each looping for about 3 s, from the
// most threads to the fewest: JMeter's own warm-up (the JIT compiling
// its sampler, in the first requests) then falls in the group of 16,
// whose responses take 245ms, rather than in that of 1, whose 50ms and
// the client's time per request δ measured from it would carry it.
func JMeterGroups() []Group {
	var gs []Group
	for _, n := range slices.Backward(JMeterNs) {
		gs = append(gs, Group{Threads: n, Loops: int(math.Ceil(3 / ResponseTime(JMeterL, n))), Path: fmt.Sprintf("/c%d", n)})
	}
	return gs
}

// LocustL is the USL server's service time for Locust: 100ms, twice the
// other tools', because Locust is one Python process (gevent) whose own
// time per request δ, 5-8ms on a loaded machine, shrinks the σ and κ the
// client sees to σL/(L + δ) and κL/(L + δ): at 100ms that is 5-7%, well
// inside the intervals; at 50ms it would be 9-14%.
const LocustL = 100 * time.Millisecond

// LocustSteps are the users Locust steps through, and for how long:
// seven, like JMeterNs. The reader drops the row interval in which the
// users changed (two when spawning straddles a row), each step's first and
// last second as its edges, and needs 3 seconds left: 7 s a step leaves one
// to spare. At N = 16, where a round takes 0.49 s and completions come in
// bursts of N, a longer step counts more rounds. 50 s in all.
var LocustSteps = []Step{
	{Users: 1, For: 7 * time.Second},
	{Users: 2, For: 7 * time.Second},
	{Users: 4, For: 7 * time.Second},
	{Users: 6, For: 7 * time.Second},
	{Users: 8, For: 7 * time.Second},
	{Users: 12, For: 7 * time.Second},
	{Users: 16, For: 8 * time.Second},
}
