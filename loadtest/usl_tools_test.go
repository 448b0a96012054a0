package loadtest

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/internal/loadtools"
	"github.com/boxes-project/boxes/usl"
)

// TestJMeterUSL runs JMeter's thread groups of 1, 2, 4, 6, 8, 12 and 16
// threads, one after the other, against the USL server with L = 50ms
// (loadtools.JMeterGroups), reads the JTL and fits the windows of constant
// allThreads: the fit recovers σ, κ, N* and λ within their intervals
// (loadtools.CheckUSL).
func TestJMeterUSL(t *testing.T) {
	ps, want := retryUnsteady(t, "jmeter", runJMeterUSL)
	r, err := usl.Fit(ps)
	if err != nil {
		t.Fatal(err)
	}
	loadtools.CheckUSL(t, "jmeter", want, r.Lambda, r.Sigma, r.Kappa, r.Peak)
}

// retryUnsteady runs a tool up to three times, until its measurements are
// one USL curve (loadtools.Unsteady), and returns the last run's.
func retryUnsteady(t *testing.T, tool string, run func(t *testing.T) ([]usl.Point, loadtools.USL)) ([]usl.Point, loadtools.USL) {
	t.Helper()
	for try := 1; ; try++ {
		ps, want := run(t)
		why := loadtools.Unsteady(want, ps)
		if why == "" || try == 3 {
			return ps, want
		}
		t.Logf("%s: the load of the machine changed during the run (%s); again", tool, why)
	}
}

// runJMeterUSL runs JMeter once against a new USL server and checks its
// JTL against what the server served.
func runJMeterUSL(t *testing.T) ([]usl.Point, loadtools.USL) {
	srv := loadtools.NewUSL(t, loadtools.JMeterL, loadtools.Sigma, loadtools.Kappa)
	dir := t.TempDir()
	if keep := os.Getenv("BOXES_KEEP"); keep != "" {
		dir = keep
	}
	groups := loadtools.JMeterGroups()
	start := time.Now()
	src, err := ReadFile(loadtools.JMeter(t, dir, srv.URL, groups), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("jmeter ran for %s", time.Since(start).Round(time.Millisecond))
	var b strings.Builder
	WriteSummary(&b, []*Source{src})
	t.Logf("%s", b.String())
	if src.Format != "jtl" {
		t.Errorf("detected %s", src.Format)
	}
	// Each N's measurement is its window with the most requests, the
	// thread group itself (as in TestJMeterReal: a group's last threads
	// show as short windows at lower N).
	best := map[float64]Window{}
	for _, w := range src.Windows {
		if w.Used && w.Requests > best[w.Concurrency].Requests {
			best[w.Concurrency] = w
		}
	}
	var ps []usl.Point
	var hold, nominal float64
	var one measured
	for _, n := range loadtools.JMeterNs {
		w, ok := best[float64(n)]
		sv := srv.Take(fmt.Sprintf("/c%d", n))
		if !ok {
			t.Fatalf("no window at N = %d", n)
		}
		// The window's X is the server's own rate over the group within
		// 15%, and its R at least the service time (time.Sleep never
		// returns early; 2% for JMeter's whole milliseconds).
		if span := sv.Last.Sub(sv.First).Seconds(); sv.N > 1 && span > 0 {
			if x := float64(sv.N-1) / span; math.Abs(w.Throughput/x-1) > 0.15 {
				t.Errorf("N=%d: X = %.4g/s, the server served %.4g/s", n, w.Throughput, x)
			}
		}
		if l := loadtools.ResponseTime(loadtools.JMeterL, n); w.Latency < 0.98*l {
			t.Errorf("N=%d: R = %.4gs, below the service time %.4gs", n, w.Latency, l)
		}
		if n == 1 {
			one = measured{w, sv}
		}
		hold += sv.Hold
		nominal += sv.Nominal
		ps = append(ps, w.Point())
	}
	return ps, trueUSL(loadtools.JMeterL, one, hold, nominal)
}

// trueUSL is what a fit should recover (loadtools.Seen) from the server
// with service time l: the service time as the server held it, l times
// its held time over its meant time, and δ, the client's own time per
// request, its R at N = 1 less the server's mean hold then.
func trueUSL(l time.Duration, one measured, hold, nominal float64) loadtools.USL {
	delta := math.Max(0, one.w.Latency-one.server.Hold/float64(one.server.N))
	return loadtools.Seen(l.Seconds()*hold/nominal, delta)
}

// TestLocustUSL runs Locust headless, stepping its users through 1, 2, 4,
// 8 and 16 with a LoadTestShape (loadtools.LocustSteps), against the USL
// server with L = 100ms (loadtools.LocustL says why),
// reads its _stats_history.csv and fits the windows of constant User
// Count: the fit recovers σ, κ, N* and λ within their intervals
// (loadtools.CheckUSL).
func TestLocustUSL(t *testing.T) {
	ps, want := retryUnsteady(t, "locust", runLocustUSL)
	r, err := usl.Fit(ps)
	if err != nil {
		t.Fatal(err)
	}
	loadtools.CheckUSL(t, "locust", want, r.Lambda, r.Sigma, r.Kappa, r.Peak)
}

// runLocustUSL runs Locust once against a new USL server and checks its
// history's windows against the steps and what the server served.
func runLocustUSL(t *testing.T) ([]usl.Point, loadtools.USL) {
	srv := loadtools.NewUSL(t, loadtools.LocustL, loadtools.Sigma, loadtools.Kappa)
	dir := t.TempDir()
	if keep := os.Getenv("BOXES_KEEP"); keep != "" {
		dir = keep
	}
	start := time.Now()
	hist := loadtools.Locust(t, dir, srv.URL, loadtools.LocustSteps)
	t.Logf("locust ran for %s", time.Since(start).Round(time.Millisecond))
	sv := srv.Take("/")
	src, err := ReadFile(hist, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	WriteSummary(&b, []*Source{src})
	t.Logf("%s", b.String())
	if src.Format != "locust" {
		t.Errorf("detected %s", src.Format)
	}
	// One window per step, at its users.
	var ws []Window
	var counted int64
	for _, w := range src.Windows {
		if w.Used {
			ws = append(ws, w)
			counted += w.Requests
		}
	}
	if len(ws) != len(loadtools.LocustSteps) {
		t.Fatalf("%d windows used, want one per step (%d)", len(ws), len(loadtools.LocustSteps))
	}
	for i, w := range ws {
		if w.Concurrency != float64(loadtools.LocustSteps[i].Users) {
			t.Errorf("window %d: N = %g, want %d", i, w.Concurrency, loadtools.LocustSteps[i].Users)
		}
		if want := loadtools.ResponseTime(loadtools.LocustL, loadtools.LocustSteps[i].Users); w.Latency < 0.95*want {
			t.Errorf("N=%g: R = %.4gs, below the service time %.4gs", w.Concurrency, w.Latency, want)
		}
	}
	if counted > int64(sv.N) {
		t.Errorf("the windows count %d requests, the server served %d", counted, sv.N)
	}
	// The server's mean hold at N = 1 is L′, L times its overrun.
	l1 := loadtools.LocustL.Seconds() * sv.Hold / sv.Nominal
	one := measured{ws[0], loadtools.Served{N: 1, Hold: l1}}
	return src.Points(), trueUSL(loadtools.LocustL, one, sv.Hold, sv.Nominal)
}
