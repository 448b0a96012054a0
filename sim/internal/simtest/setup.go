package simtest

import (
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/sim"
)

// DefaultSetup is the tests' setup: one day in one-second steps of a 200 ms
// box at $0.10 an hour, booting in 60 s, billed per second. It lives with
// the tests: a scenario's defaults are declared once, in package scenario's
// tags.
func DefaultSetup() sim.Setup {
	return sim.Setup{
		Box:     boxes.Box{Latency: 200 * time.Millisecond, Price: boxes.Price{Amount: 0.10 / 3600, Unit: boxes.PerSecond}},
		Boot:    60 * time.Second,
		Drain:   200 * time.Millisecond,
		Billing: sim.PerSecond(),
		Horizon: 24 * time.Hour,
		Step:    time.Second,
		Start:   time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC), // a Monday
		Points:  1000,
	}
}
