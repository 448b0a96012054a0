package workload

import (
	"fmt"
	"math"
)

// Sum adds curves: a daily cycle plus a lunchtime burst. Its Jobs is exact
// when its parts' are.
type Sum []Curve

// Rate is the sum of the parts' rates.
func (s Sum) Rate(t float64) float64 {
	r := 0.0
	for _, c := range s {
		r += c.Rate(t)
	}
	return r
}

// Jobs is the sum of the parts' jobs.
func (s Sum) Jobs(t0, t1 float64) float64 {
	n := 0.0
	for _, c := range s {
		n += c.Jobs(t0, t1)
	}
	return n
}

// Validate checks every part.
func (s Sum) Validate() error { return validateParts(s) }

// Product multiplies curves: a daily cycle times a growth curve. The first
// part carries the unit (jobs per second); write the others as plain
// factors. Its Jobs integrates the product with Simpson's rule on panels of
// at most a second, since the integral of a product is not the product of
// integrals.
type Product []Curve

// Rate is the product of the parts' rates.
func (p Product) Rate(t float64) float64 {
	r := 1.0
	for _, c := range p {
		r *= c.Rate(t)
	}
	return r
}

// Jobs integrates Rate numerically.
func (p Product) Jobs(t0, t1 float64) float64 { return simpson(p.Rate, t0, t1) }

// Validate checks every part.
func (p Product) Validate() error {
	if len(p) == 0 {
		return fmt.Errorf("needs at least one part")
	}
	return validateParts(p)
}

// Clamp bounds a curve's rate to [Min, Max]; Max 0 means no upper bound. Its
// Jobs integrates numerically, like Product.
type Clamp struct {
	Curve    Curve
	Min, Max float64 // jobs/s
}

// Rate is Curve's rate bounded to [Min, Max].
func (c Clamp) Rate(t float64) float64 {
	r := math.Max(c.Curve.Rate(t), c.Min)
	if c.Max > 0 {
		r = math.Min(r, c.Max)
	}
	return r
}

// Jobs integrates Rate numerically.
func (c Clamp) Jobs(t0, t1 float64) float64 { return simpson(c.Rate, t0, t1) }

// Validate checks the bounds and the curve.
func (c Clamp) Validate() error {
	if c.Curve == nil {
		return fmt.Errorf("has no curve")
	}
	if err := checkRate("min", c.Min); err != nil {
		return err
	}
	if err := checkRate("max", c.Max); err != nil {
		return err
	}
	if c.Max > 0 && c.Max < c.Min {
		return fmt.Errorf("max %g is below min %g", c.Max, c.Min)
	}
	return validate(c.Curve)
}

func validateParts(parts []Curve) error {
	for i, c := range parts {
		if err := validate(c); err != nil {
			return fmt.Errorf("part %d: %w", i+1, err)
		}
	}
	return nil
}
