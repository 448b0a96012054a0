package engine

import (
	"math"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/sim"
)

// testSetup is a setup with round numbers: jobs take one second, a box costs
// $0.001 a second ($3.60 an hour), billing is exact, there is no boot and
// no drain.
func testSetup(horizon time.Duration) sim.Setup {
	return sim.Setup{
		Box:     boxes.Box{Latency: time.Second, Price: boxes.Price{Amount: 0.001, Unit: boxes.PerSecond}},
		Horizon: horizon,
		Step:    time.Second,
		Start:   time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC),
		Points:  100,
	}
}

// near reports whether got is within a relative tolerance tol of want (or
// within tol absolutely, for values near zero).
func near(got, want, tol float64) bool {
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return got == want || math.IsNaN(got) && math.IsNaN(want)
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func check(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if !near(got, want, tol) {
		t.Errorf("%s = %.12g, want %.12g (tolerance %g)", name, got, want, tol)
	}
}
