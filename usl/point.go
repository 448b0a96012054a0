package usl

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes"
)

// Point is one measurement of a system: concurrency N, throughput X and
// response time R, tied by Little's law N = X × R. Zero means unknown.
type Point struct {
	Concurrency float64 // N, jobs in the system at once
	Throughput  float64 // X, jobs completed per second
	Latency     float64 // R, mean response time of one job, in seconds
}

// Quantity names one of a Point's three numbers.
type Quantity int

const (
	Concurrency Quantity = iota // N
	Throughput                  // X
	Latency                     // R
)

func (q Quantity) String() string {
	switch q {
	case Concurrency:
		return "concurrency"
	case Throughput:
		return "throughput"
	case Latency:
		return "latency"
	}
	return "Quantity(" + strconv.Itoa(int(q)) + ")"
}

// synonyms are the names a column header or a point's key may give each
// quantity, after lowercasing and turning spaces and dashes into "_".
var synonyms = map[string]Quantity{
	"concurrency": Concurrency, "n": Concurrency, "clients": Concurrency, "users": Concurrency,
	"threads": Concurrency, "workers": Concurrency, "vus": Concurrency, "connections": Concurrency,
	"load": Concurrency, "processors": Concurrency, "cpus": Concurrency, "jobs_in_system": Concurrency,
	"parallelism": Concurrency,

	"throughput": Throughput, "x": Throughput, "rps": Throughput, "qps": Throughput,
	"tps": Throughput, "rate": Throughput, "requests_per_second": Throughput,

	"latency": Latency, "response_time": Latency, "responsetime": Latency, "r": Latency,
	"rt": Latency, "response": Latency, "mean_latency": Latency, "mean_response_time": Latency,
}

// normalizeName lowercases a name and turns runs of spaces, dashes and
// underscores into one "_".
func normalizeName(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == ' ' || r == '-' || r == '_' || r == '\t' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// Complete fills in the unknown one of p's three numbers from the two it
// has, by Little's law N = X × R. Exactly two must be known (non-zero), and
// they must be positive and finite.
func Complete(p Point) (Point, error) {
	known := 0
	for _, v := range []struct {
		q Quantity
		x float64
	}{{Concurrency, p.Concurrency}, {Throughput, p.Throughput}, {Latency, p.Latency}} {
		if v.x == 0 {
			continue
		}
		if !(v.x > 0) || math.IsInf(v.x, 0) {
			return Point{}, fmt.Errorf("usl: %s %g must be positive and finite", v.q, v.x)
		}
		known++
	}
	if known != 2 {
		return Point{}, fmt.Errorf("usl: a point needs two of concurrency, throughput and latency, it has %d (the third follows from Little's law N = X × R)", known)
	}
	switch {
	case p.Concurrency == 0:
		p.Concurrency = p.Throughput * p.Latency
	case p.Throughput == 0:
		p.Throughput = p.Concurrency / p.Latency
	default:
		p.Latency = p.Concurrency / p.Throughput
	}
	if !(p.Concurrency > 0 && p.Throughput > 0 && p.Latency > 0) || math.IsInf(p.Concurrency+p.Throughput+p.Latency, 0) {
		return Point{}, fmt.Errorf("usl: point %+v is out of range", p)
	}
	return p, nil
}

// ParsePoint reads a measurement written as two of concurrency, throughput
// and response time, separated by commas: "N=4,X=100/s", "X=2/s,R=500ms",
// "concurrency=8, latency=1.5s". Keys are the column names the package doc
// lists (N, X, R and their synonyms). Concurrency is a plain number,
// throughput a rate (boxes.ParseRate: "100/s", "2.4k/min", a bare number is
// per second), response time a duration with its unit (boxes.ParseDuration).
// The third number follows from Little's law.
func ParsePoint(s string) (Point, error) {
	var p Point
	var seen [3]bool
	fields := strings.Split(s, ",")
	for i, f := range fields {
		f = strings.TrimSpace(f)
		key, value, ok := strings.Cut(f, "=")
		if !ok {
			return Point{}, &PointError{Input: s, Field: i + 1, Err: fmt.Errorf("%s is not key=value (like N=4, X=100/s or R=250ms)", boxes.Quote(f))}
		}
		q, ok := synonyms[normalizeName(key)]
		if !ok {
			return Point{}, &PointError{Input: s, Field: i + 1, Err: fmt.Errorf("unknown key %s (want N, X or R)", boxes.Quote(strings.TrimSpace(key)))}
		}
		if seen[q] {
			return Point{}, &PointError{Input: s, Field: i + 1, Err: fmt.Errorf("%s given twice", q)}
		}
		seen[q] = true
		v, err := parseValue(q, strings.TrimSpace(value), 0)
		if err != nil {
			return Point{}, &PointError{Input: s, Field: i + 1, Err: err}
		}
		switch q {
		case Concurrency:
			p.Concurrency = v
		case Throughput:
			p.Throughput = v
		case Latency:
			p.Latency = v
		}
	}
	n := 0
	for _, b := range seen {
		if b {
			n++
		}
	}
	if n != 2 {
		return Point{}, &PointError{Input: s, Err: fmt.Errorf("give two of concurrency N, throughput X and response time R, not %d: the third follows from Little's law N = X × R", n)}
	}
	return Complete(p)
}

// PointError is a point that did not parse: Field is the 1-based position of
// the key=value pair at fault, 0 for the point as a whole.
type PointError struct {
	Input string
	Field int
	Err   error
}

func (e *PointError) Error() string {
	if e.Field > 0 {
		return fmt.Sprintf("usl: point %s, field %d: %v", boxes.Quote(e.Input), e.Field, e.Err)
	}
	return fmt.Sprintf("usl: point %s: %v", boxes.Quote(e.Input), e.Err)
}

func (e *PointError) Unwrap() error { return e.Err }

// errNoUnit is a latency written without a unit where none is implied.
var errNoUnit = errors.New("needs a unit")

// parseValue reads one cell or value of quantity q. scale converts a bare
// number to the quantity's unit (jobs per second, seconds); 0 means the
// header gave no unit, which a bare latency needs.
func parseValue(q Quantity, s string, scale float64) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty %s", q)
	}
	v, err := strconv.ParseFloat(s, 64)
	bare := err == nil
	switch {
	case bare && q == Concurrency:
	case bare && q == Throughput:
		if scale != 0 {
			v *= scale
		}
	case bare && q == Latency:
		if scale == 0 {
			return 0, fmt.Errorf("latency %s %w: write it like %sms or %ss, or name the column latency_ms or latency_s", s, errNoUnit, s, s)
		}
		v *= scale
	case q == Concurrency:
		return 0, fmt.Errorf("concurrency %s is not a number", boxes.Quote(s))
	case q == Throughput:
		r, err := boxes.ParseRate(s)
		if err != nil {
			return 0, err
		}
		v = float64(r)
	case q == Latency:
		d, err := boxes.ParseDuration(s)
		if err != nil {
			return 0, err
		}
		v = d.Seconds()
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %s is not a finite number", q, boxes.Quote(s))
	}
	if v <= 0 {
		return 0, fmt.Errorf("%s %s must be positive", q, s)
	}
	return v, nil
}

// ThroughputAt is the simplest curve through p, the boxes model: p.Concurrency
// boxes each taking p.Latency per job. Up to N jobs at once run in parallel;
// more wait their turn, so throughput stops at N/R:
//
//	X(n) = min(n, N) / R,   R(n) = n / X(n) = max(R, nR/N)
//
// Against concurrency, a lower R moves this curve down and a larger N moves
// its knee right: the two graphs of “The Difference Between Scalability and Performance”.
func (p Point) ThroughputAt(n float64) float64 {
	return math.Min(n, p.Concurrency) / p.Latency
}
