package loadtest

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/internal/loadtools"
	"github.com/boxes-project/boxes/usl"
)

// The real tools run against a server of known service time and
// parallelism: c slots (a semaphore), each request holding one for L. A
// closed loop of N clients then completes
//
//	X(N) = min(N, c) / L   jobs/s,   R(N) = max(L, N·L/c)
//
// (the boxes model of the articles: c boxes of latency L; usl.Point's
// ThroughputAt). Each test runs its tool at N = 1, 2, 4, 8, 16 for about a
// second each and reads the tool's own output with the reader. It checks
// the reader against the server's own count of what it served (the
// requests of each run, or the rate of each JMeter thread group), then the
// measurements against these closed forms (checkModel says how closely),
// and fits the USL: its peak throughput is c/L, reached at or past c. (A
// hard knee is not a USL curve: on exact data at these N the fit gives
// X(N*) = 1.09 c/L at N* = 8.9, 95% interval [1, 16.8], for c = 4, by
// usl.Fit on min(N, 4)/L.) L is 50ms so that the clients' own few
// milliseconds a request, on a loaded machine, stay small beside it.
const (
	toolL = 50 * time.Millisecond
	toolC = 4
)

var toolNs = []int{1, 2, 4, 8, 16}

// measured is a window read from a tool's file and what the server did
// meanwhile.
type measured struct {
	w      Window
	server loadtools.Served
}

// checkModel checks the measurements against the closed forms and fits
// them. The service time is the server's own mean time a slot was held, L̂
// (time.Sleep(L) runs long on a loaded machine), and below c the clients'
// own time per request lowers X, so:
//
//	N ≥ c: X = c/L̂ within 20% (the server is the bottleneck)
//	N < c: N/L̂ × [0.6, 1.1]   (the clients' overhead only slows them)
//	R ≥ 0.95 L̂                (no response beats the service; N L̂/c
//	                            holds only in steady state, not in a
//	                            1-second run's first round)
//	X × R = N within 15%       (Little's law for a closed loop without think time)
//
// and the fit's peak throughput X(N*) is c/L̂ within 20%, reached at
// N* ≥ c (the hard knee at c; see the comment on toolL).
func checkModel(t *testing.T, ms []measured) {
	t.Helper()
	var ps []usl.Point
	var hold float64
	var count int
	for _, m := range ms {
		w, sv := m.w, m.server
		if sv.N == 0 {
			t.Errorf("N=%g: the server served nothing", w.Concurrency)
			continue
		}
		hold += sv.Hold
		count += sv.N
		l := sv.Hold / float64(sv.N)
		n := w.Concurrency
		want := math.Min(n, toolC) / l
		x := w.Throughput / want
		switch {
		case n >= toolC && math.Abs(x-1) > 0.2:
			t.Errorf("N=%g: X = %.4g/s, want c/L̂ = %.4g/s within 20%% (L̂ = %.4gs)", n, w.Throughput, want, l)
		case n < toolC && (x < 0.6 || x > 1.1):
			t.Errorf("N=%g: X = %.4g/s, want N/L̂ = %.4g/s × [0.6, 1.1] (L̂ = %.4gs)", n, w.Throughput, want, l)
		}
		if floor := 0.95 * l; w.Latency < floor {
			t.Errorf("N=%g: R = %.4gs, below the service time %.4gs", n, w.Latency, floor)
		}
		if lx := w.Throughput * w.Latency; math.Abs(lx/n-1) > 0.15 {
			t.Errorf("N=%g: X × R = %.4g, want N within 15%% (Little's law)", n, lx)
		}
		ps = append(ps, w.Point())
	}
	if len(ps) < usl.MinPoints {
		t.Fatalf("%d measurements", len(ps))
	}
	r, err := usl.Fit(ps)
	if err != nil {
		t.Fatal(err)
	}
	l := hold / float64(count)
	if px := r.Model.PeakThroughput(); math.Abs(px/(toolC/l)-1) > 0.2 {
		t.Errorf("peak throughput X(N*) = %.4g/s, want c/L̂ = %.4g/s within 20%%", px, toolC/l)
	}
	if !(r.Model.PeakConcurrency() >= toolC) {
		t.Errorf("peak concurrency N* = %.3g, want it at or past c = %d", r.Model.PeakConcurrency(), toolC)
	}
	t.Logf("L̂ = %.4gs; fit: λ = %.4g/s [%.4g, %.4g], σ = %.3g, κ = %.3g, N* = %.3g [%.3g, %.3g], X(N*) = %.4g/s",
		l, r.Lambda.Value, r.Lambda.Low, r.Lambda.High, r.Sigma.Value, r.Kappa.Value, r.Peak.Value, r.Peak.Low, r.Peak.High, r.Model.PeakThroughput())
}

// runTool runs a tool at each concurrency, writing its output to
// dir/name-cN.txt, reads the files back and checks that each counts the
// requests the server served during its run, up to the N in flight when
// the tool stopped.
func runTool(t *testing.T, name string, srv *loadtools.Server, args func(n int) []string) []measured {
	t.Helper()
	bin := loadtools.Need(t, name)
	dir := t.TempDir()
	var ms []measured
	for _, n := range toolNs {
		// A run whose client did not keep N requests in flight (X × R
		// under 0.85 N by Little's law: the tool itself was starved of CPU
		// on a loaded machine) is no closed loop of N: run it again, up to
		// three times in all.
		var m measured
		for try := 1; ; try++ {
			m = runOnce(t, name, bin, dir, srv, n, args(n))
			if lx := m.w.Throughput * m.w.Latency; lx >= 0.85*float64(n) || try == 3 {
				break
			}
			t.Logf("%s -c %d: X × R = %.3g: the client was starved; again", name, n, m.w.Throughput*m.w.Latency)
		}
		ms = append(ms, m)
	}
	return ms
}

// runOnce runs the tool once at concurrency n and reads its output.
func runOnce(t *testing.T, name, bin, dir string, srv *loadtools.Server, n int, args []string) measured {
	t.Helper()
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	sv := srv.Take("/")
	file := filepath.Join(dir, fmt.Sprintf("%s-c%d.txt", name, n))
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := ReadFile(file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != name {
		t.Errorf("%s: detected %s", file, src.Format)
	}
	if len(src.Windows) != 1 || !src.Windows[0].Used {
		t.Fatalf("%s: windows %+v", file, src.Windows)
	}
	w := src.Windows[0]
	if got := int(w.Requests + w.Failures); got > sv.N || got < sv.N-n-1 {
		t.Errorf("%s: %d requests, the server served %d", file, got, sv.N)
	}
	return measured{w, sv}
}

// TestHeyReal runs hey -z 1s -c N; hey does not print N, which comes
// from the file's name (hey-cN.txt).
func TestHeyReal(t *testing.T) {
	srv := loadtools.NewSlot(t, toolL, toolC)
	ms := runTool(t, "hey", srv, func(n int) []string { return []string{"-z", "1s", "-c", fmt.Sprint(n), srv.URL + "/"} })
	checkModel(t, ms)
	for i, m := range ms {
		if m.w.Concurrency != float64(toolNs[i]) {
			t.Errorf("file %d: N = %g, want %d from its name", i, m.w.Concurrency, toolNs[i])
		}
	}
}

// TestHeyUSL runs hey against a server whose service time follows the
// USL with λ = 1/50ms = 20/s, σ = 0.1 and κ = 0.01 (so N* =
// sqrt((1 − σ)/κ) = 9.49), and checks that the fit of hey's files
// recovers each within its 95% interval, as the client sees them
// (loadtools.Seen): with L′, L times the server's measured overrun (its
// held time over its meant time: time.Sleep runs long on a loaded
// machine), and δ the client's own time per request, the tool's R at
// N = 1 less the server's mean hold then (a few ms on a loaded machine,
// 0.3ms on an idle one), λ = 1/(L′ + δ) and σ and κ shrink by L′/(L′ + δ).
func TestHeyUSL(t *testing.T) {
	checkUSL(t, "hey", func(url string, n int) []string { return []string{"-z", uslRun(n) + "s", "-c", fmt.Sprint(n), url} })
}

// TestABUSL is TestHeyUSL with ab -t.
func TestABUSL(t *testing.T) {
	checkUSL(t, "ab", func(url string, n int) []string { return []string{"-q", "-t", uslRun(n), "-c", fmt.Sprint(n), url} })
}

// uslRun is the seconds a run at N lasts: 1, or 2 from N = 8 on, where a
// response takes 110-245ms and the first round, whose requests find fewer
// in the server, would weigh too much in one second.
func uslRun(n int) string {
	if n >= 8 {
		return "2"
	}
	return "1"
}

func checkUSL(t *testing.T, tool string, args func(url string, n int) []string) {
	srv := loadtools.NewUSL(t, toolL, loadtools.Sigma, loadtools.Kappa)
	ms := runTool(t, tool, srv, func(n int) []string { return args(srv.URL+"/", n) })
	var ps []usl.Point
	var hold, nominal float64
	for _, m := range ms {
		ps = append(ps, m.w.Point())
		hold += m.server.Hold
		nominal += m.server.Nominal
	}
	r, err := usl.Fit(ps)
	if err != nil {
		t.Fatal(err)
	}
	one := ms[0] // N = 1
	loadtools.CheckUSL(t, tool, trueUSL(toolL, one, hold, nominal), r.Lambda, r.Sigma, r.Kappa, r.Peak)
}

// TestABReal runs ab -t 1 -c N, which stops after a second or at its
// default 50,000 requests.
func TestABReal(t *testing.T) {
	srv := loadtools.NewSlot(t, toolL, toolC)
	checkModel(t, runTool(t, "ab", srv, func(n int) []string { return []string{"-q", "-t", "1", "-c", fmt.Sprint(n), srv.URL + "/"} }))
}

// TestJMeterReal runs a test plan of thread groups one after the other (a
// warm-up of 3 threads, then 1, 2, 4, 8, 16 threads for about 1.5 s each)
// with jmeter -n (loadtools.JMeter says how on Debian), and reads the JTL:
// the windows of constant allThreads are the thread groups.
func TestJMeterReal(t *testing.T) {
	srv := loadtools.NewSlot(t, toolL, toolC)
	dir := t.TempDir()
	if keep := os.Getenv("BOXES_KEEP"); keep != "" {
		dir = keep // to look at the plan, the JTL and JMeter's log
	}
	var groups []loadtools.Group
	for _, n := range append([]int{3}, toolNs...) {
		// Loops, not a scheduler's duration: JMeter 2.13 counts every
		// group's duration from the test's start. Each thread loops for
		// about 1.5 s: 30 requests at L = 50ms, fewer above c as they wait.
		loops := int(1.5 / (math.Max(1, float64(n)/toolC) * toolL.Seconds()))
		groups = append(groups, loadtools.Group{Threads: n, Loops: loops, Path: fmt.Sprintf("/c%d", n)})
	}
	jtl := loadtools.JMeter(t, dir, srv.URL, groups)
	src, err := ReadFile(jtl, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != "jtl" {
		t.Errorf("detected %s", src.Format)
	}
	// A group's last threads to finish show as short windows at lower N
	// (ramp-down stragglers, real but few requests): each N's measurement
	// is its window with the most requests, the thread group itself.
	best := map[float64]Window{}
	for _, w := range src.Windows {
		if w.Used && w.Concurrency != 3 && w.Requests > best[w.Concurrency].Requests { // 3 is the warm-up
			best[w.Concurrency] = w
		}
	}
	// Each group requests /cN: the server's own rate over the group is
	// what the window's X must be, within 15%.
	var ms []measured
	for _, n := range toolNs {
		w, ok := best[float64(n)]
		sv := srv.Take(fmt.Sprintf("/c%d", n))
		if !ok {
			var b strings.Builder
			WriteSummary(&b, []*Source{src})
			t.Errorf("no window at N = %d:\n%s", n, b.String())
			continue
		}
		if span := sv.Last.Sub(sv.First).Seconds(); sv.N > 1 && span > 0 {
			if x := float64(sv.N-1) / span; math.Abs(w.Throughput/x-1) > 0.15 {
				t.Errorf("N=%d: X = %.4g/s, the server served %.4g/s", n, w.Throughput, x)
			}
		}
		ms = append(ms, measured{w, sv})
	}
	checkModel(t, ms)
}
