package core

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// TimeReader reads the cells of one time column: ISO 8601 / RFC 3339
// ("2026-01-04T00:00:00Z", "2026-01-04 00:00:00", with or without a zone),
// day-first dates with dots or dashes ("04.01.2026 00:00", "04-01-2026"),
// dates with slashes (day or month first, as Options.Dates says) and epoch
// numbers. An epoch's unit is the column's (unit > 0: seconds per unit),
// or else read from the first number's size and kept for the column:
// below 1e11 seconds (up to the year 5138), below 1e14 milliseconds, below
// 1e17 microseconds, else nanoseconds. Times without a zone are in loc.
type TimeReader struct {
	Loc   *time.Location
	Dates string  // auto, dmy, mdy
	Unit  float64 // seconds per epoch unit; 0 until the first number
}

var errNotTime = errors.New("not a time")

func (tr *TimeReader) Parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty")
	}
	if c := s[0]; c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			return tr.Epoch(v)
		}
	}
	if t, ok := parseISO(s, tr.Loc); ok {
		return t, nil
	}
	return tr.ParseDayMonth(s)
}

func (tr *TimeReader) Epoch(v float64) (time.Time, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return time.Time{}, errors.New("not finite")
	}
	if tr.Unit == 0 {
		switch a := math.Abs(v); {
		case a < 1e11:
			tr.Unit = 1
		case a < 1e14:
			tr.Unit = 1e-3
		case a < 1e17:
			tr.Unit = 1e-6
		default:
			tr.Unit = 1e-9
		}
	}
	secs := v * tr.Unit
	if math.Abs(secs) > 1e11 {
		return time.Time{}, fmt.Errorf("%g is too far from 1970 for an epoch time", v)
	}
	whole := math.Floor(secs)
	return time.Unix(int64(whole), int64(math.Round((secs-whole)*1e9))).In(time.UTC), nil
}

// isoLayouts are the ISO 8601 forms read, with "T" already turned into a
// space; Go's ".999999999" accepts any fraction or none.
var isoLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04Z07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

func parseISO(s string, loc *time.Location) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == 't') {
		s = s[:10] + " " + s[11:]
	}
	for _, l := range isoLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseDayMonth reads "04.01.2026 00:00[:00]", "04-01-2026 ..." (day
// first) and "04/01/2026 ..." (as tr.dates says).
func (tr *TimeReader) ParseDayMonth(s string) (time.Time, error) {
	date, clock, _ := strings.Cut(s, " ")
	if len(date) < 8 {
		return time.Time{}, errNotTime
	}
	var sep byte
	for _, c := range []byte{'.', '-', '/'} {
		if strings.Count(date, string(c)) == 2 {
			sep = c
		}
	}
	if sep == 0 {
		return time.Time{}, errNotTime
	}
	parts := strings.Split(date, string(sep))
	a, err1 := strconv.Atoi(parts[0])
	b, err2 := strconv.Atoi(parts[1])
	y, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || len(parts[2]) != 4 {
		return time.Time{}, errNotTime
	}
	day, month := a, b
	if sep == '/' {
		switch {
		case tr.Dates == "mdy":
			day, month = b, a
		case tr.Dates == "dmy":
		case a > 12 && b <= 12:
		case b > 12 && a <= 12:
			day, month = b, a
		case a == b:
		default:
			return time.Time{}, fmt.Errorf("%q could be day or month first: set dates: dmy or dates: mdy", Clip(s))
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, fmt.Errorf("%q has no month %d or day %d", Clip(s), month, day)
	}
	var h, m, sec, nsec int
	if clock = strings.TrimSpace(clock); clock != "" {
		t, err := time.Parse("15:04:05.999999999", clock)
		if err != nil {
			if t, err = time.Parse("15:04", clock); err != nil {
				return time.Time{}, errNotTime
			}
		}
		h, m, sec, nsec = t.Hour(), t.Minute(), t.Second(), t.Nanosecond()
	}
	t := time.Date(y, time.Month(month), day, h, m, sec, nsec, tr.Loc)
	if t.Day() != day {
		return time.Time{}, fmt.Errorf("%q: month %d has no day %d", Clip(s), month, day)
	}
	return t, nil
}

// LooksLikeTime: a cell that reads as a time (for telling a header from
// data): a date in one of the forms above or an epoch-sized number.
func LooksLikeTime(s string) bool {
	tr := TimeReader{Loc: time.UTC, Dates: "dmy"}
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v >= 0
	}
	_, err := tr.Parse(s)
	return err == nil
}
