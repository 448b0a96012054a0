package usl

import (
	"errors"
	"fmt"
	"math"
)

// PointComparison splits the change in throughput between two measurements
// into performance and scalability (the second article), exactly: with Little's
// law X = N/R,
//
//	X2/X1 = (R1/R2) × (N2/N1)
//	      = PerformanceFactor × ScalabilityFactor
//
// or in logarithms ln(X2/X1) = ln(N2/N1) − ln(R2/R1). Performance is the
// response time falling: the response-time curve moved down. Scalability is
// more jobs in parallel: the curve moved right.
type PointComparison struct {
	Before, After     Point
	ThroughputFactor  float64 // X2/X1
	PerformanceFactor float64 // R1/R2: above 1 when latency fell
	ScalabilityFactor float64 // N2/N1: above 1 when parallelism grew
}

// ComparePoints compares two measurements, each completed by Little's law
// (see Complete). The factors are computed from the completed points as
// X2/X1, R1/R2 and N2/N1.
func ComparePoints(before, after Point) (PointComparison, error) {
	a, err := complete(before)
	if err != nil {
		return PointComparison{}, fmt.Errorf("before: %w", err)
	}
	b, err := complete(after)
	if err != nil {
		return PointComparison{}, fmt.Errorf("after: %w", err)
	}
	return PointComparison{
		Before: a, After: b,
		ThroughputFactor:  b.Throughput / a.Throughput,
		PerformanceFactor: a.Latency / b.Latency,
		ScalabilityFactor: b.Concurrency / a.Concurrency,
	}, nil
}

// complete accepts a point that already has all three numbers when they
// keep Little's law to one part in a billion (as Complete's results do), and
// completes one that has two.
func complete(p Point) (Point, error) {
	if p.Concurrency != 0 && p.Throughput != 0 && p.Latency != 0 {
		if _, err := Complete(Point{Throughput: p.Throughput, Latency: p.Latency}); err != nil {
			return Point{}, err
		}
		if !(math.Abs(p.Concurrency-p.Throughput*p.Latency) <= 1e-9*p.Concurrency) {
			return Point{}, fmt.Errorf("usl: concurrency %g is not throughput %g × latency %g (Little's law): give two of the three", p.Concurrency, p.Throughput, p.Latency)
		}
		return p, nil
	}
	return Complete(p)
}

// PerformanceShare is the part of the change in throughput that performance
// made, in logarithms: ln(R1/R2) / ln(X2/X1). The scalability share is one
// minus it. It is NaN when throughput did not change, and falls outside
// [0, 1] when the two pulled in opposite directions.
func (c PointComparison) PerformanceShare() float64 {
	lt := math.Log(c.ThroughputFactor)
	if lt == 0 {
		return math.NaN()
	}
	return math.Log(c.PerformanceFactor) / lt
}

// Verdict says in a few words where the change came from: "all
// performance", "all scalability", "mostly performance (71%)", "both
// equally", "performance and scalability pulled apart" or "nothing changed".
// A factor within one part in a billion of 1 counts as no change.
func (c PointComparison) Verdict() string {
	return verdict(c.PerformanceFactor, c.ScalabilityFactor)
}

func verdict(perf, scal float64) string {
	const eps = 1e-9
	lp, ls := math.Log(perf), math.Log(scal)
	samep, sames := math.Abs(lp) < eps, math.Abs(ls) < eps
	switch {
	case math.IsNaN(lp) || math.IsNaN(ls):
		return "unknown"
	case samep && sames:
		return "nothing changed"
	case sames:
		return "all performance"
	case samep:
		return "all scalability"
	case lp*ls < 0:
		return "performance and scalability pulled apart"
	}
	share := lp / (lp + ls)
	switch {
	case math.Abs(share-0.5) < 0.005:
		return "both equally"
	case share > 0.5:
		return fmt.Sprintf("mostly performance (%.0f%%)", 100*share)
	}
	return fmt.Sprintf("mostly scalability (%.0f%%)", 100*(1-share))
}

// Change is how one estimate moved between two fits.
type Change struct {
	Before, After Estimate
	Factor        float64 // After.Value / Before.Value
	// Outside reports that the change left the confidence intervals: each
	// estimate lies outside the other's 95% interval, so neither fit's
	// noise covers the other's value.
	Outside bool
}

func change(a, b Estimate) Change {
	return Change{
		Before: a, After: b,
		Factor:  b.Value / a.Value,
		Outside: (b.Value < a.Low || b.Value > a.High) && (a.Value < b.Low || a.Value > b.High),
	}
}

// FitComparison is what moved between two fits of the Universal
// Scalability Law. λ is performance: R(1) = 1/λ, so a larger λ moves the
// whole response-time curve R(N) = (1 + σ(N − 1) + κN(N − 1))/λ down. σ, κ
// and N* are scalability: smaller σ and κ, and so a larger N*, move the
// curve's knee and its peak right.
//
// The throughput change splits like the points' does, at the peak:
//
//	X(N*)₂ / X(N*)₁ = (λ₂/λ₁) × (C(N*)₂ / C(N*)₁)
//	                = PerformanceFactor × ScalabilityFactor
//
// where C(N) = X(N)/λ is the relative capacity, which depends on σ and κ
// alone. Without a peak (κ = 0) X(N*) is Amdahl's limit λ/σ and C is 1/σ.
type FitComparison struct {
	Before, After *FitResult

	Lambda, Sigma, Kappa, Peak Change

	ThroughputFactor  float64 // peak throughput after / before
	PerformanceFactor float64 // λ after / before
	ScalabilityFactor float64 // peak relative capacity after / before
}

// CompareFits compares two fits.
func CompareFits(before, after *FitResult) FitComparison {
	c := FitComparison{
		Before: before, After: after,
		Lambda: change(before.Lambda, after.Lambda),
		Sigma:  change(before.Sigma, after.Sigma),
		Kappa:  change(before.Kappa, after.Kappa),
		Peak:   change(before.Peak, after.Peak),
	}
	a, b := before.Model, after.Model
	c.ThroughputFactor = b.PeakThroughput() / a.PeakThroughput()
	c.PerformanceFactor = b.Lambda / a.Lambda
	c.ScalabilityFactor = (b.PeakThroughput() / b.Lambda) / (a.PeakThroughput() / a.Lambda)
	return c
}

// PerformanceMoved reports that λ changed by more than the intervals
// explain; ScalabilityMoved, that σ, κ or N* did.
func (c FitComparison) PerformanceMoved() bool { return c.Lambda.Outside }

// ScalabilityMoved reports that σ, κ or N* changed by more than their
// intervals explain.
func (c FitComparison) ScalabilityMoved() bool {
	return c.Sigma.Outside || c.Kappa.Outside || c.Peak.Outside
}

// Verdict says in a few words where the change in peak throughput came
// from, like PointComparison.Verdict, except that a factor within
// FitNoise of 1 counts as no change: two fits of measurements of the same
// system are seldom closer than that (a doubled capacity fits as λ ×0.996
// and peak capacity ×2.05 on exact corner data, which is all scalability).
func (c FitComparison) Verdict() string {
	snap := func(f float64) float64 {
		if math.Abs(math.Log(f)) < math.Log(1+FitNoise) {
			return 1
		}
		return f
	}
	return verdict(snap(c.PerformanceFactor), snap(c.ScalabilityFactor))
}

// FitNoise is how far from 1 a factor between two fits may be and still
// count as no change in FitComparison.Verdict: 5%.
const FitNoise = 0.05

// Side is one side of a comparison as `boxes compare` and the explorer take
// it: a point, or measurements to fit (one of the two is set).
type Side struct {
	Point        *Point
	Measurements *Measurements
}

// Compared is a comparison of two sides: of two points, or of the fits of
// two sets of measurements (Fits holds the fits, before and after).
type Compared struct {
	Points *PointComparison
	Fit    *FitComparison
	Fits   [2]*FitResult
}

// Compare compares two sides of one form: the one path `boxes compare` and
// the explorer's POST /api/compare share.
func Compare(before, after Side) (*Compared, error) {
	switch {
	case before.Point != nil && after.Point != nil:
		c, err := ComparePoints(*before.Point, *after.Point)
		if err != nil {
			return nil, err
		}
		return &Compared{Points: &c}, nil
	case before.Measurements != nil && after.Measurements != nil:
		var out Compared
		for i, m := range []*Measurements{before.Measurements, after.Measurements} {
			r, err := m.Fit()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", [2]string{"before", "after"}[i], err)
			}
			out.Fits[i] = r
		}
		c := CompareFits(out.Fits[0], out.Fits[1])
		out.Fit = &c
		return &out, nil
	}
	return nil, errors.New("usl: compare needs two points or two measurement files, not one of each")
}
