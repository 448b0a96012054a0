// Package sim holds the engines that run a workload against a policy and
// count what happens: jobs served and missed, boxes booted and billed,
// utilization over time, cost.
//
// The fluid engine (Fluid) is the first article's model stepped through time:
// no queue, jobs are a continuous quantity, and the jobs a step brings that
// its ready boxes cannot serve are missed. Serverless runs the same load on
// a platform that scales for you, billed per request and GB-second. Oracle
// is the cheapest box fleet that misses no job at its utilization: perfect
// foresight, boxes booted just in time.
// Events simulates every job: random arrivals that follow the workload,
// random or fixed latencies, a queue and the three fates of the jobs in it
// (deadlines, decaying value, crashes); Replicate runs it many times with
// independent seeds and gives 95% confidence intervals. All of them share
// the boxes, billing, policies and Result.
//
// The engines are deterministic: time and seeds are inputs, there is no
// wall clock and no global random source, and a run has no goroutine (only
// Replicate runs replications side by side, combined in order); the same
// inputs give the same result. They never print; progress goes through a
// callback.
package sim

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes"
)

// Setup is what every engine needs besides the workload and the policy.
type Setup struct {
	Box  boxes.Box     // latency of one job and price per box-second
	Boot time.Duration // from a box's start to its first job; billed
	// Drain is how long a removed box is still billed while it finishes the
	// job in hand; a scenario's default is the latency.
	Drain   time.Duration
	Billing Billing
	Horizon time.Duration // length of the run
	Step    time.Duration // time step of the fluid engine
	Start   time.Time     // calendar instant of time 0 (for schedules)
	// Points bounds the number of points in a result's time series; the
	// run is averaged into at most this many (0 means 1,000).
	Points int
	// Progress, when set, is called now and then with the simulated seconds
	// done and the total. It must be quick.
	Progress func(done, total float64)
}

// MaxPoints bounds Points: a series holds at most this many points.
const MaxPoints = 100_000

// MaxSteps bounds Horizon / Step for one run: 10 years of seconds.
const MaxSteps = 10 * 366 * 86400

// Validate reports the first setting out of range, naming it.
func (s Setup) Validate() error {
	if err := s.Box.Validate(); err != nil {
		return err
	}
	switch {
	case s.Boot < 0:
		return fmt.Errorf("sim: boot %v must not be negative", s.Boot)
	case s.Drain < 0:
		return fmt.Errorf("sim: drain %v must not be negative", s.Drain)
	case s.Horizon <= 0:
		return fmt.Errorf("sim: horizon %v must be positive", s.Horizon)
	case s.Step <= 0:
		return fmt.Errorf("sim: step %v must be positive", s.Step)
	case s.Horizon%s.Step != 0:
		return fmt.Errorf("sim: horizon %v must be a whole number of steps of %v", s.Horizon, s.Step)
	case s.Points < 0 || s.Points > MaxPoints:
		return fmt.Errorf("sim: points %d must be in [0, %d]", s.Points, MaxPoints)
	}
	if n := s.Horizon / s.Step; n > MaxSteps {
		return fmt.Errorf("sim: horizon %v in steps of %v is %d steps, more than the limit of %d", s.Horizon, s.Step, n, MaxSteps)
	}
	return s.Billing.Validate()
}

// Steps is the number of steps the horizon holds.
func (s Setup) Steps() int { return int(s.Horizon / s.Step) }

// PointCount is the number of points a result's series keeps: Points, or 1000
// when unset.
func (s Setup) PointCount() int {
	if s.Points <= 0 {
		return 1000
	}
	return s.Points
}

// Billing is how a cloud turns the time a box exists into money: each box's
// lifetime, from its start (boot included) to its end (drain included), is
// rounded up to a whole number of Increments and charged at least Minimum.
type Billing struct {
	Increment time.Duration `yaml:"increment" default:"1s" min:"0s" max:"8760h" doc:"each box's life is rounded up to whole increments; 0s bills it exactly"`
	Minimum   time.Duration `yaml:"minimum" default:"0s" min:"0s" max:"8760h" doc:"least time charged per box"`
}

// PerSecond bills each box per started second.
func PerSecond() Billing { return Billing{Increment: time.Second} }

// PerSecondMinimum bills per second with a minimum charge per box, as AWS
// EC2 bills Linux instances (per second, 60 s minimum).
func PerSecondMinimum(min time.Duration) Billing {
	return Billing{Increment: time.Second, Minimum: min}
}

// PerHour bills each box per started hour.
func PerHour() Billing { return Billing{Increment: time.Hour} }

// Validate reports a negative increment or minimum.
func (b Billing) Validate() error {
	if b.Increment < 0 || b.Minimum < 0 {
		return errors.New("sim: billing increment and minimum must not be negative")
	}
	return nil
}

// Charge is the seconds billed for a box that existed for life seconds.
func (b Billing) Charge(life float64) float64 {
	c := life
	if inc := b.Increment.Seconds(); inc > 0 {
		// The tolerance keeps float noise (3600.0000000001 s) from starting
		// a new increment.
		c = math.Ceil(life/inc-1e-9) * inc
	}
	return math.Max(c, b.Minimum.Seconds())
}
