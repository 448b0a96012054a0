package workload

import (
	"fmt"
	"math"
)

// Noise multiplies a curve by a random factor that holds for Interval
// seconds at a time: the jitter of real traffic around its trend. The factor
// of interval k is log-normal with mean 1,
//
//	f_k = exp(Sigma z_k − Sigma²/2),  z_k ~ N(0, 1),
//
// drawn from a hash of (Seed, k), so Rate is a pure function of t: the same
// seed gives the same noise whatever order the curve is read in. Jobs is
// exact when the curve's is.
type Noise struct {
	Curve    Curve
	Sigma    float64 // standard deviation of the log of the factor; 0.1 is ±10%
	Interval float64 // seconds each factor holds; at least 0.001
	Seed     uint64
}

// Factor is the multiplier in force at time t.
func (n Noise) Factor(t float64) float64 {
	return n.factor(int64(math.Floor(t / n.Interval)))
}

func (n Noise) factor(k int64) float64 {
	f := n.factors(k &^ 1)
	return f[k&1]
}

// factors are the factors of intervals k and k+1, k even: the two normal
// numbers of one Box–Muller draw serve a pair of intervals.
func (n Noise) factors(k int64) [2]float64 {
	z0, z1 := normals(n.Seed, uint64(k)>>1)
	shift := n.Sigma * n.Sigma / 2
	return [2]float64{math.Exp(n.Sigma*z0 - shift), math.Exp(n.Sigma*z1 - shift)}
}

// Rate is the curve's rate times the factor in force at t.
func (n Noise) Rate(t float64) float64 { return n.Curve.Rate(t) * n.Factor(t) }

// Jobs splits [t0, t1) at the factor's interval boundaries.
func (n Noise) Jobs(t0, t1 float64) float64 {
	if t1 <= t0 {
		return 0
	}
	total := 0.0
	k := int64(math.Floor(t0 / n.Interval))
	for a := t0; a < t1; k++ {
		b := math.Min(t1, float64(k+1)*n.Interval)
		if b <= a { // rounding at a boundary
			continue
		}
		total += n.factor(k) * n.Curve.Jobs(a, b)
		a = b
	}
	return total
}

// Validate checks the noise's parameters and its curve.
func (n Noise) Validate() error {
	if n.Curve == nil {
		return fmt.Errorf("has no curve")
	}
	if !(n.Sigma >= 0) || n.Sigma > 5 {
		return fmt.Errorf("sigma %g must be in [0, 5]", n.Sigma)
	}
	// Jobs visits every interval it spans: a microsecond interval would
	// make each second of a run a million factors.
	if !(n.Interval >= 1e-3) || math.IsInf(n.Interval, 0) {
		return fmt.Errorf("interval %gs must be at least 1ms, and finite", n.Interval)
	}
	return validate(n.Curve)
}

// Poisson makes the number of jobs in each step of a run a Poisson random
// count whose mean is the curve's jobs over the step, as arrivals of
// independent users are. Rate and Jobs stay the curve's expectation; the
// counts are drawn by a Sampler, from a stream seeded by Seed.
type Poisson struct {
	Curve Curve
	Seed  uint64
}

// Rate is the curve's expected rate.
func (p Poisson) Rate(t float64) float64 { return p.Curve.Rate(t) }

// Jobs is the curve's expected number of jobs.
func (p Poisson) Jobs(t0, t1 float64) float64 { return p.Curve.Jobs(t0, t1) }

// Validate checks the curve.
func (p Poisson) Validate() error {
	if p.Curve == nil {
		return fmt.Errorf("has no curve")
	}
	return validate(p.Curve)
}

// splitmix64 is Vigna's SplitMix64 finalizer: a bijective mix of 64 bits.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// uniform is a number in (0, 1) from a hash of (seed, k, lane).
func uniform(seed, k, lane uint64) float64 {
	h := splitmix64(splitmix64(seed^splitmix64(k)) + lane)
	return (float64(h>>11) + 0.5) / (1 << 53)
}

// normals are two independent standard normal numbers from a hash of
// (seed, k), by the Box–Muller transform.
func normals(seed, k uint64) (float64, float64) {
	u1, u2 := uniform(seed, k, 1), uniform(seed, k, 2)
	r := math.Sqrt(-2 * math.Log(u1))
	sn, cs := math.Sincos(2 * math.Pi * u2)
	return r * cs, r * sn
}
