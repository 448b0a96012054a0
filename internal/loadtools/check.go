package loadtools

import (
	"fmt"
	"math"
	"testing"

	"github.com/boxes-project/boxes/usl"
)

// USL is what a fit of a real tool's runs against NewUSL should recover.
type USL struct {
	Lambda, Sigma, Kappa float64
}

// Seen is the USL of the server with service time l (NewUSL, σ = Sigma,
// κ = Kappa) as a closed-loop client sees it when it spends delta seconds
// of its own on each request, outside the server (building the request,
// parsing the response, its event loop): the client's response time at N
// is l(1 + σ(N − 1) + κN(N − 1)) + δ, so
//
//	X(N) = N / R(N) = λ′N / (1 + σ′(N − 1) + κ′N(N − 1))
//	λ′ = 1/(l + δ),   σ′ = σ·l/(l + δ),   κ′ = κ·l/(l + δ)
//
// l is the service time as the server held it at N = 1 (time.Sleep runs
// long on a loaded machine), δ the tool's mean response time at N = 1
// less l: 0.3ms for hey on an idle machine, a few ms for any tool on a
// loaded one, 5-20ms for Locust (one Python process). (A client away for
// δ also leaves slightly fewer than N requests in the server, about
// N·R/(R + δ): 2% fewer at N = 16 with δ = 10ms and L = 100ms, which this
// neglects.)
func Seen(l, delta float64) USL {
	delta = math.Max(0, delta) // a tool that timed less than the server held
	f := l / (l + delta)
	return USL{Lambda: 1 / (l + delta), Sigma: Sigma * f, Kappa: Kappa * f}
}

// Peak is N* = sqrt((1 − σ)/κ), the concurrency of peak throughput.
func (u USL) Peak() float64 { return math.Sqrt((1 - u.Sigma) / u.Kappa) }

// CheckUSL checks that each of the fitted λ, σ, κ and N* holds its true
// value in its 95% interval, and logs them. Each may also be within 5% of
// its true value outside its interval (κ 10%): the true values are those of
// a real server and client on a shared machine, measured at N = 1, and
// they move by a few percent from run to run (λ 2.2% seen in CI; with the
// machine loaded 15 times over, κ 2.8% and N* 1.1% off a JMeter fit whose
// κ interval was ±2.5%), more than the fit's interval of the same data,
// which knows only the residuals. κ moves most, and low: it is read off
// the largest N, where a client short of CPU is away from the server
// longest between requests and leaves fewer than N requests inside (the
// effect Seen neglects, which takes κ down and σ up in the fit); on
// 2026-12-04, with the machine's neighbours busy, one CI run had hey's κ
// 7.2% low (σ 9% high, within its interval) and JMeter's 5.3% low, and
// Locust's came out 6.1% low beside other packages' tests, each with its
// λ and N* within 5%. A fit that read the wrong columns or windows is off
// by far more.
func CheckUSL(t testing.TB, tool string, want USL, lambda, sigma, kappa, peak usl.Estimate) {
	t.Helper()
	for _, c := range []struct {
		name  string
		e     usl.Estimate
		want  float64
		slack float64 // relative, beyond the interval
	}{
		{"λ", lambda, want.Lambda, 0.05},
		{"σ", sigma, want.Sigma, 0.05},
		{"κ", kappa, want.Kappa, 0.10},
		{"N*", peak, want.Peak(), 0.05},
	} {
		in := c.e.Low <= c.want && c.want <= c.e.High
		near := math.Abs(c.e.Value-c.want) <= c.slack*c.want
		if !in && !near {
			t.Errorf("%s: %s = %.4g, 95%% interval [%.4g, %.4g] does not hold %.4g", tool, c.name, c.e.Value, c.e.Low, c.e.High, c.want)
		}
	}
	t.Logf("%s: true λ = %.4g/s, σ = %.3g, κ = %.3g, N* = %.3g; fit: λ = %.4g/s [%.4g, %.4g], σ = %.3g [%.3g, %.3g], κ = %.3g [%.3g, %.3g], N* = %.3g [%.3g, %.3g]",
		tool, want.Lambda, want.Sigma, want.Kappa, want.Peak(),
		lambda.Value, lambda.Low, lambda.High, sigma.Value, sigma.Low, sigma.High, kappa.Value, kappa.Low, kappa.High, peak.Value, peak.Low, peak.High)
}

// R is the response time at concurrency n, N/X(N), in seconds: for Seen,
// the server's l(1 + σ(n − 1) + κn(n − 1)) plus the client's δ.
func (u USL) R(n float64) float64 {
	return (1 + u.Sigma*(n-1) + u.Kappa*n*(n-1)) / u.Lambda
}

// Unsteady says which measurement's response time is not want's within
// 8%, or returns "" when each is. A run on a loaded machine whose load
// changed during it (the server's time.Sleep running longer, the client
// taking longer a request, in some windows and not others) is not one USL
// curve, and no fit of it recovers want: the tests run the tool again, up
// to three times in all, as they do a client starved of CPU, and check
// the last run whatever it is. (On a machine of 2 cores loaded 15 times
// over, a JMeter window at N = 2 was seen 11% slow.)
func Unsteady(want USL, ps []usl.Point) string {
	for _, p := range ps {
		if r := want.R(p.Concurrency); math.Abs(p.Latency/r-1) > 0.08 {
			return fmt.Sprintf("N=%g: R = %.4gs, the server and the client's δ at N = 1 make it %.4gs", p.Concurrency, p.Latency, r)
		}
	}
	return ""
}
