package events

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// TestHostileOverflow: issue 11's F5. An exponential from 1/s doubling
// every second, over an hour, overflowed to +Inf jobs: a serverless cost of
// −$709 quadrillion and NaN fractions, exit 0. Every engine now refuses it
// before running, with a *workload.RangeError naming the curve and the
// first step past workload.MaxRate (2^40 jobs/s at 40 s).
func TestHostileOverflow(t *testing.T) {
	s := simtest.RoundSetup(time.Hour)
	w := workload.Exponential{From: 1, Doubling: 1}
	run := policy.Run{Policy: policy.Func(func(*policy.Observation) int { return 10 }), Initial: 10, Period: 60}
	for name, f := range map[string]func() (*sim.Result, error){
		"fluid":  func() (*sim.Result, error) { return engine.Fluid(context.Background(), s, w, run) },
		"events": func() (*sim.Result, error) { return Events(context.Background(), s, w, run, sim.JobsConfig{Seed: 1}) },
		"serverless": func() (*sim.Result, error) {
			return engine.Serverless(context.Background(), s, w, policy.DefaultServerless())
		},
		"oracle": func() (*sim.Result, error) { return engine.Oracle(context.Background(), s, w, 0.8) },
	} {
		t0 := time.Now()
		r, err := f()
		var re *workload.RangeError
		if !errors.As(err, &re) || r != nil || !strings.Contains(err.Error(), "exponential: the rate reaches") || re.Time != 40 {
			t.Errorf("%s: %v, %v; want a *workload.RangeError at 40 s", name, r, err)
		}
		if took := time.Since(t0); took > 2*time.Second {
			t.Errorf("%s: took %v to refuse", name, took)
		}
	}
}
