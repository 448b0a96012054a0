package queueing_test

import (
	"fmt"

	"github.com/boxes-project/boxes/queueing"
)

// Two boxes at an offered load of one erlang, exponential latency: a job
// waits with probability 1/3. With no queue, a job is missed with
// probability 1/5.
func ExampleErlangC() {
	fmt.Printf("wait %.4f, miss %.4f\n", queueing.ErlangC(2, 1), queueing.ErlangB(2, 1))
	// Output: wait 0.3333, miss 0.2000
}

// The articles' fixed latency waits less than exponential latency: at the
// same load, ten boxes at 80% utilization.
func ExampleMDcMeanWait() {
	fmt.Printf("fixed %.4f, exponential %.4f (latencies)\n", queueing.MDcMeanWait(10, 8), queueing.MMcMeanWait(10, 8))
	// Output: fixed 0.1098, exponential 0.2046 (latencies)
}

// The fewest boxes that keep the probability of waiting under 1% for 1,000
// jobs a second that take 100 ms each, and the utilization they run at.
func ExampleSmallest() {
	s := queueing.System{JobRate: 1000, Latency: 0.1, Queue: queueing.Unbounded}
	c, err := queueing.Smallest(s, queueing.Targets{MaxWaitProb: 0.01})
	if err != nil {
		fmt.Println(err)
		return
	}
	s.Boxes = c
	fmt.Printf("%d boxes at utilization %.2f, P(wait) %.4f\n", c, s.Utilization(), s.WaitProbability())
	// Output: 125 boxes at utilization 0.80, P(wait) 0.0089
}
