// Package colname reads the column names of traffic's CSV readers (the
// dated CSV/TSV reader in package traffic and the seconds-CSV trace reader
// in package trace): one normalization and one table of time units, so that
// both readers understand "time_ms" or "requests/min" alike.
package colname

import "strings"

// SecondsPer is seconds per unit of the suffixes of time, latency and rate
// names ("time_ms", "latency_us", "rate_per_min").
var SecondsPer = map[string]float64{
	"ns": 1e-9, "nanos": 1e-9, "nanosecond": 1e-9, "nanoseconds": 1e-9,
	"us": 1e-6, "usec": 1e-6, "micros": 1e-6, "microsecond": 1e-6, "microseconds": 1e-6,
	"ms": 1e-3, "msec": 1e-3, "millis": 1e-3, "millisecond": 1e-3, "milliseconds": 1e-3,
	"s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
	"m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
	"h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
	"d": 86400, "day": 86400, "days": 86400,
}

// Normalize lowercases a name, reads "/" as "per" and turns each run of
// other characters than letters and digits into one "_".
func Normalize(s string) string {
	var b strings.Builder
	sep := false
	for _, c := range strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "/", " per ")) {
		switch {
		case c == 'µ' || c == 'μ':
			c = 'u'
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		default:
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('_')
			sep = false
		}
		b.WriteRune(c)
	}
	return b.String()
}
