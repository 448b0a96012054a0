package schema

import (
	"cmp"
	"encoding"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/boxes-project/boxes"
)

var (
	durationType = reflect.TypeFor[time.Duration]()
	rateType     = reflect.TypeFor[boxes.Rate]()
	priceType    = reflect.TypeFor[boxes.Price]()
)

// isScalarType reports whether values of t are written as one scalar.
func isScalarType(t reflect.Type) bool {
	if t == priceType || t == durationType || t == rateType {
		return true
	}
	if reflect.PointerTo(t).Implements(textType) {
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int64, reflect.Uint64, reflect.Float64, reflect.String:
		return true
	}
	return false
}

// parseScalar reads s as a value of type t.
func parseScalar(t reflect.Type, unit, s string) (reflect.Value, error) {
	s = strings.TrimSpace(s)
	v := reflect.New(t).Elem()
	switch {
	case t == durationType && unit != "clock":
		d, err := boxes.ParseDuration(s)
		if err != nil {
			return v, err
		}
		v.SetInt(int64(d))
	case t == rateType:
		r, err := boxes.ParseRate(s)
		if err != nil {
			return v, err
		}
		if math.IsInf(float64(r), 0) || math.IsNaN(float64(r)) {
			return v, errors.New("not finite")
		}
		v.SetFloat(float64(r))
	case t == priceType:
		p, err := boxes.ParsePrice(s)
		if err != nil {
			return v, err
		}
		v.Set(reflect.ValueOf(p))
	case reflect.PointerTo(t).Implements(textType):
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return v, err
		}
	case t == durationType && unit == "clock":
		d, err := ParseClock(s, 24*time.Hour)
		if err != nil {
			return v, err
		}
		v.SetInt(int64(d))
	case t.Kind() == reflect.Float64 && unit == "memory":
		gb, err := boxes.ParseMemory(s)
		if err != nil {
			return v, err
		}
		v.SetFloat(gb)
	case t.Kind() == reflect.Float64:
		x, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return v, fmt.Errorf("%s is not a finite number", Quote(s))
		}
		if strings.HasSuffix(s, "%") {
			x /= 100
		}
		v.SetFloat(x)
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		x, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return v, fmt.Errorf("%s is not a whole number", Quote(s))
		}
		v.SetInt(x)
	case t.Kind() == reflect.Uint64:
		x, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return v, fmt.Errorf("%s is not a whole number ≥ 0", Quote(s))
		}
		v.SetUint(x)
	case t.Kind() == reflect.Bool:
		switch strings.ToLower(s) {
		case "true", "yes", "on":
			v.SetBool(true)
		case "false", "no", "off":
		default:
			return v, fmt.Errorf("%s is not true or false", Quote(s))
		}
	case t.Kind() == reflect.String:
		v.SetString(s)
	default:
		return v, fmt.Errorf("schema: no scalar form for %s", t)
	}
	return v, nil
}

// FormatScalar writes v as a user writes it, text parseScalar reads back to
// the same value; number reports whether it is a JSON number.
func formatScalar(v reflect.Value, unit string) (s string, tag string, err error) {
	t := v.Type()
	switch {
	case t == durationType && unit == "clock":
		return FormatClock(time.Duration(v.Int())), "!!str", nil
	case t == durationType:
		return FormatDuration(time.Duration(v.Int())), "!!str", nil
	case t == rateType:
		return boxes.Rate(v.Float()).String(), "!!str", nil
	case t == priceType:
		return v.Interface().(boxes.Price).String(), "!!str", nil
	case t.Implements(reflect.TypeFor[encoding.TextMarshaler]()):
		b, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		return string(b), "!!str", err
	case t.Kind() == reflect.Float64 && unit == "memory":
		return FormatMemory(v.Float()), "!!str", nil
	case t.Kind() == reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64), "!!float", nil
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), "!!int", nil
	case t.Kind() == reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), "!!int", nil
	case t.Kind() == reflect.Bool:
		return strconv.FormatBool(v.Bool()), "!!bool", nil
	case t.Kind() == reflect.String:
		return v.String(), "!!str", nil
	}
	return "", "", fmt.Errorf("schema: no scalar form for %s", t)
}

// FormatDuration writes d in its largest whole unit ("90s", "15m", "24h",
// "200ms"), which boxes.ParseDuration reads back exactly.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}, {time.Microsecond, "us"}} {
		if d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(d), 10) + "ns"
}

// FormatMemory writes a size in GB as MB when that is a whole number of MB
// ("1769MB"), otherwise in GB.
func FormatMemory(gb float64) string {
	mb := gb * 1024
	if mb == math.Trunc(mb) && mb/1024 == gb && math.Abs(mb) < 1e15 {
		return strconv.FormatFloat(mb, 'f', -1, 64) + "MB"
	}
	return strconv.FormatFloat(gb, 'g', -1, 64) + "GB"
}

// compare orders two values of one scalar type.
func compare(a, b reflect.Value) int {
	switch {
	case a.Type() == priceType:
		return cmp.Compare(a.Interface().(boxes.Price).Amount, b.Interface().(boxes.Price).Amount)
	case a.CanInt():
		return cmp.Compare(a.Int(), b.Int())
	case a.CanUint():
		return cmp.Compare(a.Uint(), b.Uint())
	case a.CanFloat():
		return cmp.Compare(a.Float(), b.Float())
	}
	if c, ok := a.Interface().(interface{ Compare(reflect.Value) int }); ok {
		return c.Compare(b)
	}
	return 0
}

// typeName names a setting's type for the reference: duration, rate, price,
// memory, number, integer, boolean, text, or what a TextUnmarshaler's
// SchemaType method says.
func typeName(t reflect.Type, unit string) string {
	switch {
	case t == durationType && unit == "clock":
		return "time of day"
	case t == durationType:
		return "duration"
	case t == rateType:
		return "rate"
	case t == priceType:
		return "price"
	case unit != "":
		return unit
	}
	if n, ok := reflect.New(t).Interface().(interface{ SchemaType() string }); ok {
		return n.SchemaType()
	}
	if t == reflect.TypeFor[time.Time]() {
		return "time"
	}
	switch t.Kind() {
	case reflect.Float64:
		return "number"
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return "integer"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "text"
	case reflect.Slice:
		return "list"
	case reflect.Struct, reflect.Pointer:
		return "mapping"
	}
	return t.String()
}

// example says what a value of t looks like, for errors.
func example(t reflect.Type, unit string) string {
	switch typeName(t, unit) {
	case "duration":
		return "a duration like 90s"
	case "rate":
		return "a rate like 40/s"
	case "price":
		return "a price like $0.10/h"
	case "memory":
		return "a memory size like 1769MB"
	case "number":
		return "a number like 0.8"
	case "integer":
		return "a whole number"
	case "boolean":
		return "true or false"
	case "text":
		return "text"
	case "time":
		return "an RFC 3339 time like 2026-01-05T00:00:00Z"
	case "time of day":
		return `a time of day like "09:00"`
	case "list":
		return "a list"
	case "mapping":
		return "a mapping"
	}
	if n, ok := reflect.New(t).Interface().(interface{ SchemaExample() string }); ok {
		return n.SchemaExample()
	}
	return "a " + typeName(t, unit)
}

// ParseClock reads "HH:MM" or "HH:MM:SS" (seconds may have a fraction) as
// the time since midnight, at most limit.
func ParseClock(s string, limit time.Duration) (time.Duration, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("bad time of day %s (want HH:MM or HH:MM:SS)", Quote(s))
	}
	var total time.Duration
	for i, p := range parts {
		var v time.Duration
		if i < 2 {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || i == 1 && n >= 60 || i == 0 && n > 48 {
				return 0, fmt.Errorf("bad time of day %s (want HH:MM or HH:MM:SS)", Quote(s))
			}
			v = time.Duration(n) * []time.Duration{time.Hour, time.Minute}[i]
		} else {
			x, err := strconv.ParseFloat(p, 64)
			if err != nil || !(x >= 0 && x < 60) {
				return 0, fmt.Errorf("bad time of day %s (want HH:MM or HH:MM:SS)", Quote(s))
			}
			v = time.Duration(math.Round(x * 1e9))
		}
		total += v
	}
	if total > limit {
		return 0, fmt.Errorf("time of day %s is beyond %s", Quote(s), FormatClock(limit))
	}
	return total, nil
}

// FormatClock writes a time since midnight as "HH:MM", or "HH:MM:SS" with
// the seconds' fraction when it has one.
func FormatClock(d time.Duration) string {
	h, m := d/time.Hour, d%time.Hour/time.Minute
	rest := d % time.Minute
	switch {
	case rest == 0:
		return fmt.Sprintf("%02d:%02d", h, m)
	case rest%time.Second == 0:
		return fmt.Sprintf("%02d:%02d:%02d", h, m, rest/time.Second)
	case rest < 10*time.Second:
		return fmt.Sprintf("%02d:%02d:0%s", h, m, strconv.FormatFloat(rest.Seconds(), 'f', -1, 64))
	}
	return fmt.Sprintf("%02d:%02d:%s", h, m, strconv.FormatFloat(rest.Seconds(), 'f', -1, 64))
}
