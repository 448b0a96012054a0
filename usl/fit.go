package usl

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// MinPoints is the fewest measurements Fit accepts: three coefficients and
// at least one degree of freedom for their errors. Below FewPoints the fit
// warns that the estimates are rough (the R package usl warns below 6 too).
const (
	MinPoints = 4
	FewPoints = 6
)

// Confidence is the level of the confidence intervals Fit reports.
const Confidence = 0.95

// Estimate is one fitted coefficient with its uncertainty.
type Estimate struct {
	Value  float64
	StdErr float64 // standard error from s²(JᵀJ)⁻¹; NaN when it cannot be had
	// Low and High bound the 95% confidence interval Value ± t·StdErr, cut at
	// the bounds of the fit (λ > 0, 0 ≤ σ ≤ 1, κ ≥ 0, N* ≥ 1).
	Low, High float64
	AtBound   bool // the value sits on a bound of the fit
}

// FitResult is the Universal Scalability Law fitted to measurements.
type FitResult struct {
	Model Model // the estimates of λ, σ and κ

	Lambda, Sigma, Kappa Estimate
	// Peak is N* = sqrt((1 − σ)/κ) with an interval by the delta method
	// (its gradient through the covariance of σ and κ). With κ = 0 it is +Inf
	// and its interval runs from sqrt((1 − σ)/κ_high) to +Inf.
	Peak Estimate

	Points     []Point       // the measurements fitted, in the order given
	DF         int           // degrees of freedom, len(Points) − 3
	SSE        float64       // sum of squared throughput residuals, (jobs/s)²
	ResidualSE float64       // s = sqrt(SSE / DF), jobs per second
	RSquared   float64       // 1 − SSE / Σ(X − mean X)²
	T          float64       // the Student t quantile of the intervals, t(0.975, DF)
	Cov        [3][3]float64 // covariance of (λ, σ, κ): s²(JᵀJ)⁻¹
	Iterations int           // Levenberg–Marquardt iterations of the best start
	Notes      []string      // bounds that bind, in words
	Warnings   []string      // what makes the fit less trustworthy
}

// Residuals are the measured minus the fitted throughputs, in the order of
// Points.
func (r *FitResult) Residuals() []float64 {
	out := make([]float64, len(r.Points))
	for i, p := range r.Points {
		out[i] = p.Throughput - r.Model.Throughput(p.Concurrency)
	}
	return out
}

// The bounds of (λ, σ, κ). λ > 0 is kept by its lower bound 0, which
// positive throughputs never reach.
var (
	lower = [3]float64{0, 0, 0}
	upper = [3]float64{math.Inf(1), 1, math.Inf(1)}
)

const (
	maxIterations = 1000
	gradientTol   = 1e-10 // cosine between the residuals and a free column of J
)

// errNoConvergence is a fit whose iterations ran out.
var errNoConvergence = errors.New("the fit did not converge")

// Fit estimates the Universal Scalability Law's λ, σ and κ from
// measurements of throughput at several concurrencies (see Complete for
// points given as other pairs), by nonlinear least squares on throughput:
//
//	minimize Σ (X_i − λN_i / (1 + σ(N_i − 1) + κN_i(N_i − 1)))²
//	subject to λ > 0, 0 ≤ σ ≤ 1, κ ≥ 0
//
// The minimizer is a projected Levenberg–Marquardt method (Marquardt 1963,
// with his scaling by the diagonal of JᵀJ): a coefficient at a bound whose
// gradient points out of the box is held there (the active set) while the
// others take the damped Gauss–Newton step, and each trial point is
// projected back into the box. It starts from the linearization
// N/X = a + bN + cN² (λ = 1/(a+b+c), κ = cλ, σ = (b+c)λ) and from two fixed
// guesses, and keeps the best.
//
// It needs MinPoints measurements at three or more different concurrencies,
// all positive and finite.
func Fit(points []Point) (*FitResult, error) {
	r, err := fit(points)
	if err != nil {
		return nil, fmt.Errorf("usl: %w", err)
	}
	return r, nil
}

func fit(points []Point) (*FitResult, error) {
	if len(points) < MinPoints {
		return nil, fmt.Errorf("%d measurements; a fit of λ, σ and κ needs at least %d", len(points), MinPoints)
	}
	pr := newProblem(len(points))
	for i, p := range points {
		if !(p.Concurrency > 0) || math.IsInf(p.Concurrency, 0) || !(p.Throughput > 0) || math.IsInf(p.Throughput, 0) {
			return nil, fmt.Errorf("measurement %d: concurrency %g and throughput %g must be positive and finite", i+1, p.Concurrency, p.Throughput)
		}
		pr.n[i], pr.x[i] = p.Concurrency, p.Throughput
	}
	distinct := slices.Clone(pr.n)
	slices.Sort(distinct)
	if d := len(slices.Compact(distinct)); d < 3 {
		return nil, fmt.Errorf("the measurements have %d different concurrencies; a fit of λ, σ and κ needs at least 3", d)
	}

	best := math.Inf(1)
	var bestP [3]float64
	var bestIters int
	var firstErr error
	for _, start := range pr.starts() {
		p, sse, iters, err := pr.solve(start)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		// Starts that end within rounding of each other are a tie, which
		// the one with more coefficients on their bounds wins: exact data
		// on a bound (κ = 0) can also be met to 1e-30 just inside it.
		tol := 1e-12*best + 1e-24*pr.sumSquares()
		if math.IsInf(best, 1) || sse < best-tol || sse <= best+tol && onBounds(p) > onBounds(bestP) {
			best, bestP, bestIters = sse, p, iters
		}
	}
	if math.IsInf(best, 1) {
		return nil, firstErr
	}
	if c := pr.conditioning(bestP); !(c < maxConditioning) {
		m := Model{Lambda: bestP[0], Sigma: bestP[1], Kappa: bestP[2]}
		return nil, fmt.Errorf("%w: these measurements cannot tell λ, σ and κ apart (they drift together, here to λ = %.3g, σ = %.3g, κ = %.3g); measure from concurrency 1 up to and past the peak",
			errNoConvergence, m.Lambda, m.Sigma, m.Kappa)
	}
	return pr.result(points, bestP, best, bestIters), nil
}

// maxConditioning is the largest condition number of the correlation form of
// JᵀJ at the solution for which λ, σ and κ count as told apart. Published
// data sets give 10² to 10⁵; a fit that drifts off along a valley gives 10¹⁶.
const maxConditioning = 1e10

// conditioning is the 2-norm condition number of JᵀJ scaled to unit
// diagonal, D^-½ JᵀJ D^-½.
func (pr *problem) conditioning(p [3]float64) float64 {
	pr.jacobian(p)
	a, _ := pr.normal(pr.r)
	c := mat.NewSymDense(3, nil)
	for j := range 3 {
		for k := j; k < 3; k++ {
			c.SetSym(j, k, a[j][k]/math.Sqrt(a[j][j]*a[k][k]))
		}
	}
	return mat.Cond(c, 2)
}

// problem holds the data and the work space of one fit.
type problem struct {
	n, x  []float64 // concurrencies and throughputs
	r, rt []float64 // residuals x − f at the current and the trial point
	jac   []float64 // ∂f/∂(λ, σ, κ), len(n) × 3, row-major
}

func newProblem(n int) *problem {
	return &problem{
		n: make([]float64, n), x: make([]float64, n),
		r: make([]float64, n), rt: make([]float64, n),
		jac: make([]float64, 3*n),
	}
}

// residuals writes x − f(p) into r and returns their sum of squares.
func (pr *problem) residuals(p [3]float64, r []float64) float64 {
	m := Model{Lambda: p[0], Sigma: p[1], Kappa: p[2]}
	var sse float64
	for i, n := range pr.n {
		r[i] = pr.x[i] - m.Throughput(n)
		sse += r[i] * r[i]
	}
	if math.IsNaN(sse) {
		return math.Inf(1)
	}
	return sse
}

// jacobian writes the derivatives of f(N) = λN/D, D = 1 + σ(N−1) + κN(N−1):
//
//	∂f/∂λ = N/D,  ∂f/∂σ = −λN(N−1)/D²,  ∂f/∂κ = −λN²(N−1)/D²
func (pr *problem) jacobian(p [3]float64) {
	for i, n := range pr.n {
		d := 1 + p[1]*(n-1) + p[2]*n*(n-1)
		pr.jac[3*i] = n / d
		pr.jac[3*i+1] = -p[0] * n * (n - 1) / (d * d)
		pr.jac[3*i+2] = -p[0] * n * n * (n - 1) / (d * d)
	}
}

// normal returns JᵀJ and Jᵀr for the current Jacobian and residuals.
func (pr *problem) normal(r []float64) (a [3][3]float64, g [3]float64) {
	for i := range pr.n {
		row := pr.jac[3*i : 3*i+3]
		for j := range 3 {
			g[j] += row[j] * r[i]
			for k := j; k < 3; k++ {
				a[j][k] += row[j] * row[k]
			}
		}
	}
	for j := range 3 {
		for k := range j {
			a[j][k] = a[k][j]
		}
	}
	return a, g
}

// starts are the points the minimizer starts from: the linearization
// (when it gives λ > 0), and the R package usl's start, λ = max X/N with
// σ = 0.01, κ = 0.0001, and the same λ with σ = κ = 0.
func (pr *problem) starts() [][3]float64 {
	var out [][3]float64
	if p, ok := pr.linearized(); ok {
		out = append(out, p)
	}
	lambda := 0.0
	for i, n := range pr.n {
		lambda = math.Max(lambda, pr.x[i]/n)
	}
	return append(out, [3]float64{lambda, 0.01, 0.0001}, [3]float64{lambda, 0, 0})
}

// linearized fits N/X = a + bN + cN² by linear least squares. The USL makes
// N/X = R(N) = ((1 − σ) + (σ − κ)N + κN²)/λ exactly, so λ = 1/(a + b + c),
// κ = cλ and σ = (b + c)λ; the result is cut into the bounds.
func (pr *problem) linearized() ([3]float64, bool) {
	k := len(pr.n)
	design := mat.NewDense(k, 3, nil)
	y := mat.NewVecDense(k, nil)
	for i, n := range pr.n {
		design.Set(i, 0, 1)
		design.Set(i, 1, n)
		design.Set(i, 2, n*n)
		y.SetVec(i, n/pr.x[i])
	}
	var coef mat.VecDense
	if err := coef.SolveVec(design, y); err != nil {
		return [3]float64{}, false
	}
	a, b, c := coef.AtVec(0), coef.AtVec(1), coef.AtVec(2)
	lambda := 1 / (a + b + c)
	p := clamp([3]float64{lambda, (b + c) * lambda, c * lambda})
	if !(lambda > 0) || math.IsInf(lambda, 0) || math.IsNaN(p[1]+p[2]) {
		return [3]float64{}, false
	}
	return p, true
}

// onBounds counts the coefficients of p on a bound.
func onBounds(p [3]float64) int {
	n := 0
	for j := range 3 {
		if p[j] <= lower[j] || p[j] >= upper[j] {
			n++
		}
	}
	return n
}

// sumSquares is Σ X², the scale of the data's sum of squares.
func (pr *problem) sumSquares() float64 {
	s := 0.0
	for _, x := range pr.x {
		s += x * x
	}
	return s
}

func clamp(p [3]float64) [3]float64 {
	for j := range 3 {
		p[j] = math.Min(math.Max(p[j], lower[j]), upper[j])
	}
	return p
}

// free lists the coefficients not held at a bound: one is held when it sits
// on a bound and the descent direction Jᵀr points out of the box.
func free(p [3]float64, g [3]float64) []int {
	var out []int
	for j := range 3 {
		if p[j] <= lower[j] && g[j] <= 0 || p[j] >= upper[j] && g[j] >= 0 {
			continue
		}
		out = append(out, j)
	}
	return out
}

// solve runs the projected Levenberg–Marquardt iteration from start. It
// stops when the residuals are orthogonal to every free column of J (to
// gradientTol), or when no damped step lowers the sum of squares any more
// (the minimum to working precision).
func (pr *problem) solve(start [3]float64) (p [3]float64, sse float64, iters int, err error) {
	p = clamp(start)
	sse = pr.residuals(p, pr.r)
	if math.IsInf(sse, 1) {
		return p, sse, 0, errNoConvergence
	}
	mu := 1e-3
	for iters = 1; iters <= maxIterations; iters++ {
		pr.jacobian(p)
		a, g := pr.normal(pr.r)
		idx := free(p, g)
		if len(idx) == 0 || sse == 0 {
			return p, sse, iters, nil
		}
		done := true
		for _, j := range idx {
			if math.Abs(g[j]) > gradientTol*math.Sqrt(a[j][j]*sse) {
				done = false
			}
		}
		if done {
			return p, sse, iters, nil
		}
		improved := false
		for ; mu <= 1e20; mu *= 10 {
			delta, ok := pr.step(a, g, idx, mu)
			if !ok {
				continue
			}
			trial := p
			for k, j := range idx {
				trial[j] += delta[k]
			}
			trial = clamp(trial)
			if trial == p {
				break
			}
			if s := pr.residuals(trial, pr.rt); s < sse {
				p, sse = trial, s
				pr.r, pr.rt = pr.rt, pr.r
				mu = math.Max(mu/10, 1e-15)
				improved = true
				break
			}
		}
		if !improved {
			return p, sse, iters, nil
		}
		if math.IsInf(p[0], 0) || math.IsInf(p[2], 0) || p[0] > 1e300 {
			break
		}
	}
	return p, sse, iters, errNoConvergence
}

// step solves (A_ff + μ diag(A_ff)) δ = g_f for the free coefficients f.
func (pr *problem) step(a [3][3]float64, g [3]float64, idx []int, mu float64) ([]float64, bool) {
	k := len(idx)
	sym := mat.NewSymDense(k, nil)
	rhs := mat.NewVecDense(k, nil)
	maxDiag := 0.0
	for _, j := range idx {
		maxDiag = math.Max(maxDiag, a[j][j])
	}
	for r, j := range idx {
		for c := r; c < k; c++ {
			sym.SetSym(r, c, a[j][idx[c]])
		}
		d := math.Max(a[j][j], 1e-15*maxDiag)
		sym.SetSym(r, r, a[j][j]+mu*d)
		rhs.SetVec(r, g[j])
	}
	var chol mat.Cholesky
	if !chol.Factorize(sym) {
		return nil, false
	}
	var delta mat.VecDense
	if err := chol.SolveVecTo(&delta, rhs); err != nil {
		return nil, false
	}
	out := make([]float64, k)
	for r := range k {
		out[r] = delta.AtVec(r)
		if math.IsNaN(out[r]) || math.IsInf(out[r], 0) {
			return nil, false
		}
	}
	return out, true
}

// result computes the statistics of the fit at p.
func (pr *problem) result(points []Point, p [3]float64, sse float64, iters int) *FitResult {
	k := len(points)
	res := &FitResult{
		Model:      Model{Lambda: p[0], Sigma: p[1], Kappa: p[2]},
		Points:     slices.Clone(points),
		DF:         k - 3,
		SSE:        sse,
		Iterations: iters,
	}
	res.ResidualSE = math.Sqrt(sse / float64(res.DF))
	mean := 0.0
	for _, x := range pr.x {
		mean += x
	}
	mean /= float64(k)
	sst := 0.0
	for _, x := range pr.x {
		sst += (x - mean) * (x - mean)
	}
	res.RSquared = 1.0
	if sse > 0 {
		res.RSquared = 1 - sse/sst
	}
	res.T = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(res.DF)}.Quantile(1 - (1-Confidence)/2)

	pr.residuals(p, pr.r)
	pr.jacobian(p)
	a, g := pr.normal(pr.r)
	sym := mat.NewSymDense(3, nil)
	for j := range 3 {
		for c := j; c < 3; c++ {
			sym.SetSym(j, c, a[j][c])
		}
	}
	var chol mat.Cholesky
	var inv mat.SymDense
	ok := chol.Factorize(sym)
	if ok {
		ok = chol.InverseTo(&inv) == nil
	}
	s2 := sse / float64(res.DF)
	for j := range 3 {
		for c := range 3 {
			res.Cov[j][c] = math.NaN()
			if ok {
				res.Cov[j][c] = s2 * inv.At(j, c)
			}
		}
	}
	if !ok {
		res.Warnings = append(res.Warnings, "the measurements cannot tell λ, σ and κ apart: their standard errors are unknown")
	}
	est := func(j int) Estimate {
		e := Estimate{Value: p[j], StdErr: math.Sqrt(res.Cov[j][j]), AtBound: p[j] <= lower[j] || p[j] >= upper[j]}
		e.Low = math.Max(lower[j], p[j]-res.T*e.StdErr)
		e.High = math.Min(upper[j], p[j]+res.T*e.StdErr)
		return e
	}
	res.Lambda, res.Sigma, res.Kappa = est(0), est(1), est(2)
	res.Peak = res.peak()
	res.notes(g)
	return res
}

// peak is N* with its delta-method interval: N* = sqrt((1 − σ)/κ) has the
// gradient (∂/∂σ, ∂/∂κ) = (−1/(2κN*), −N*/(2κ)).
func (r *FitResult) peak() Estimate {
	m := r.Model
	n := m.PeakConcurrency()
	e := Estimate{Value: n, StdErr: math.NaN(), Low: math.NaN(), High: math.NaN(), AtBound: r.Kappa.AtBound}
	switch {
	case math.IsInf(n, 1):
		e.StdErr, e.High = math.Inf(1), math.Inf(1)
		e.Low = math.Inf(1)
		if r.Kappa.High > 0 {
			e.Low = math.Max(1, math.Sqrt((1-m.Sigma)/r.Kappa.High))
		}
	case 1-m.Sigma > m.Kappa: // an interior peak above 1
		gs, gk := -1/(2*m.Kappa*n), -n/(2*m.Kappa)
		v := gs*gs*r.Cov[1][1] + 2*gs*gk*r.Cov[1][2] + gk*gk*r.Cov[2][2]
		e.StdErr = math.Sqrt(v)
		e.Low = math.Max(1, n-r.T*e.StdErr)
		e.High = n + r.T*e.StdErr
	}
	return e
}

// notes puts the bounds that bind, and other cautions, into words. g is Jᵀr
// at the solution: a negative component at a lower bound means the
// unconstrained optimum lies below it.
func (r *FitResult) notes(g [3]float64) {
	m := r.Model
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	switch {
	case r.Sigma.AtBound && m.Sigma >= 1:
		r.Notes = append(r.Notes, "complete contention: σ = 1, all the work is serialized and more concurrency adds no throughput")
	case m.Sigma <= 0 && m.Kappa <= 0:
		r.Notes = append(r.Notes, "no contention and no coherency penalty: σ = 0 and κ = 0, throughput grows linearly, X = λN, with no peak and no limit")
	case m.Sigma <= 0:
		r.Notes = append(r.Notes, "no contention: σ = 0, so no Amdahl limit; coherency alone bends the curve")
	}
	if m.Kappa <= 0 && m.Sigma > 0 {
		r.Notes = append(r.Notes, "no coherency penalty: κ = 0, no peak; throughput rises toward Amdahl's limit λ/σ = "+f(m.LimitThroughput())+"/s")
	}
	if m.Sigma <= 0 && g[1] < 0 {
		r.Warnings = append(r.Warnings, "throughput grows faster than linearly (superlinear): the USL, with σ ≥ 0, cannot follow it")
	}
	if k := len(r.Points); k < FewPoints {
		r.Warnings = append(r.Warnings, fmt.Sprintf("only %d measurements: %d or more give steadier estimates", k, FewPoints))
	}
	maxN := 0.0
	for _, p := range r.Points {
		maxN = math.Max(maxN, p.Concurrency)
	}
	if n := m.PeakConcurrency(); !math.IsInf(n, 1) && n > 2*maxN {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the peak N* = %s lies far beyond the largest concurrency measured (%s): it is an extrapolation", f(n), f(maxN)))
	}
}
