// Package flagvalue holds the command line's flag values: the root
// package's unit types (a duration, a rate, a price, a memory size, a
// range), a probability, optional numbers that remember whether they were
// given, a choice from a fixed list, and a repeatable list. Each is a
// flag.Value; text that does not parse is refused with the parser's reason
// (the flag package names the flag and quotes the input).
package flagvalue

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/boxes-project/boxes"
)

// valueError is what a flag's Set returns for text that did not parse: the
// parser's reason alone, since the flag package already names the flag and
// quotes the input ("invalid value "x" for flag -rate: ...").
func valueError(err error) error {
	var pe *boxes.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Duration is a flag holding a boxes.ParseDuration value.
type Duration struct {
	D     time.Duration
	Given bool
}

func (f *Duration) String() string {
	if f == nil || !f.Given {
		return ""
	}
	return f.D.String()
}

func (f *Duration) Set(s string) error {
	d, err := boxes.ParseDuration(s)
	if err != nil {
		return valueError(err)
	}
	f.D, f.Given = d, true
	return nil
}

// Rate is a flag holding a boxes.ParseRate value.
type Rate struct {
	R     boxes.Rate
	Given bool
}

func (f *Rate) String() string {
	if f == nil || !f.Given {
		return ""
	}
	return f.R.String()
}

func (f *Rate) Set(s string) error {
	r, err := boxes.ParseRate(s)
	if err != nil {
		return valueError(err)
	}
	f.R, f.Given = r, true
	return nil
}

// Price is a flag holding a boxes.ParsePrice value; a value set before
// parsing is its default, shown by -h.
type Price struct {
	P     boxes.Price
	Given bool
}

func (f *Price) String() string {
	if f == nil || f.P == (boxes.Price{}) && !f.Given {
		return ""
	}
	return f.P.String()
}

func (f *Price) Set(s string) error {
	p, err := boxes.ParsePrice(s)
	if err != nil {
		return valueError(err)
	}
	f.P, f.Given = p, true
	return nil
}

// Choice is a value chosen from a fixed list, like an output format;
// the first is the default.
type Choice struct {
	Value   string
	allowed []string
	what    string // what the value is, for errors ("format")
}

// NewChoice is a Choice of allowed, the first the default.
func NewChoice(allowed ...string) *Choice {
	return &Choice{Value: allowed[0], allowed: allowed, what: "value"}
}

// NewFormat is a Choice of output formats.
func NewFormat(allowed ...string) *Choice {
	return &Choice{Value: allowed[0], allowed: allowed, what: "format"}
}

func (f *Choice) String() string {
	if f == nil {
		return ""
	}
	return f.Value
}

func (f *Choice) Set(s string) error {
	for _, a := range f.allowed {
		if s == a {
			f.Value = s
			return nil
		}
	}
	return fmt.Errorf("unknown %s %q (want %s)", f.what, s, strings.Join(f.allowed, ", "))
}

// Int is an integer flag that remembers whether it was given.
type Int struct {
	V     int
	Given bool
}

func (f *Int) String() string {
	if f == nil || !f.Given {
		return ""
	}
	return strconv.Itoa(f.V)
}

func (f *Int) Set(s string) error {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	f.V, f.Given = v, true
	return nil
}

// Float is a finite number flag that remembers whether it was given.
type Float struct {
	V     float64
	Given bool
}

func (f *Float) String() string {
	if f == nil || !f.Given {
		return ""
	}
	return strconv.FormatFloat(f.V, 'g', -1, 64)
}

func (f *Float) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%q is not a finite number", s)
	}
	f.V, f.Given = v, true
	return nil
}

// Memory is a memory size in GB (boxes.ParseMemory).
type Memory struct{ GB float64 }

func (f *Memory) String() string {
	if f == nil || f.GB == 0 {
		return ""
	}
	return strconv.FormatFloat(f.GB*1024, 'g', -1, 64) + "MB"
}

func (f *Memory) Set(s string) error {
	gb, err := boxes.ParseMemory(s)
	if err != nil {
		return valueError(err)
	}
	f.GB = gb
	return nil
}

// Prob is a probability: a number in (0, 1] or a percentage ("1%").
type Prob struct {
	V     float64
	Given bool
}

func (f *Prob) String() string {
	if f == nil || !f.Given {
		return ""
	}
	return fmt.Sprint(f.V)
}

func (f *Prob) Set(s string) error {
	t := strings.TrimSpace(s)
	scale := 1.0
	if p, ok := strings.CutSuffix(t, "%"); ok {
		t, scale = strings.TrimSpace(p), 0.01
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(n) {
		return fmt.Errorf("%q is not a number", s)
	}
	v := n * scale
	if !(v > 0 && v <= 1) {
		return fmt.Errorf("%q must be in (0, 1] (or a percentage like 1%%)", s)
	}
	f.V, f.Given = v, true
	return nil
}

// Range is a boxes.ParseRange value.
type Range struct {
	R     boxes.Range
	Given bool
}

func (f *Range) String() string {
	if f == nil || !f.Given {
		return ""
	}
	return f.R.String()
}

func (f *Range) Set(s string) error {
	r, err := boxes.ParseRange(s)
	if err != nil {
		return valueError(err)
	}
	f.R, f.Given = r, true
	return nil
}

// List is a flag that may be given several times.
type List []string

func (l *List) String() string { return strings.Join(*l, ",") }
func (l *List) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// Header is the repeatable -H "Name: value" of HTTP headers; a Host
// header replaces any before it.
type Header struct{ H http.Header }

func (l *Header) String() string { return "" }

func (l *Header) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return fmt.Errorf("want \"Name: value\"")
	}
	if l.H == nil {
		l.H = http.Header{}
	}
	value = strings.TrimSpace(value)
	if strings.EqualFold(name, "Host") {
		l.H.Set("Host", value)
		return nil
	}
	l.H.Add(name, value)
	return nil
}
