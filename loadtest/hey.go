package loadtest

import (
	"errors"
	"strconv"
	"strings"
)

// hey prints, after a run (its default output; -o csv is per-request
// rows instead),
//
//	Summary:
//	  Total:        1.0336 secs
//	  Slowest:      0.0466 secs
//	  Fastest:      0.0224 secs
//	  Average:      0.0412 secs
//	  Requests/sec: 189.6295
//	…
//	Status code distribution:
//	  [200] 196 responses
//	Error distribution:
//	  [3]   Get …: dial tcp …
//
// (https://github.com/rakyll/hey, its requester/print.go). hey does not
// print its -c, so the concurrency comes from --concurrency, the file's
// name (hey-c8.txt) or Little's law N = X × R.

func detectHey(head []byte) bool {
	s := string(head)
	return strings.Contains(s, "Summary:") && strings.Contains(s, "Requests/sec:")
}

func readHey(in *input, opt Options, src *Source) error {
	var r run
	var okN, errN float64
	seen := map[string]bool{}
	section := ""
	err := in.lines(func(line string) (bool, error) {
		src.Rows++
		t := strings.TrimSpace(line)
		if strings.HasSuffix(t, ":") && !strings.HasPrefix(line, " ") {
			section = strings.TrimSuffix(t, ":")
			return true, nil
		}
		switch section {
		case "Summary":
			key, val, ok := strings.Cut(t, ":")
			if !ok {
				return true, nil
			}
			f := strings.Fields(val)
			if len(f) == 0 {
				return true, nil
			}
			var dst *float64
			switch key {
			case "Total":
				dst = &r.duration
			case "Average":
				dst = &r.r
			case "Requests/sec":
				dst = &r.x
			default:
				return true, nil
			}
			v, err := strconv.ParseFloat(f[0], 64)
			if err != nil || !finite(v) || v < 0 {
				return false, errors.New(key + ": " + quote(f[0]) + " is not a number")
			}
			*dst = v
			seen[key] = true
		case "Status code distribution", "Error distribution":
			// "[200]	196 responses", "[3]	Get …"
			if !strings.HasPrefix(t, "[") {
				return true, nil
			}
			code, rest, _ := strings.Cut(t[1:], "]")
			f := strings.Fields(rest)
			if len(f) == 0 {
				return true, nil
			}
			if section == "Error distribution" {
				code, f = "", []string{code}
			}
			v, err := strconv.ParseFloat(f[0], 64)
			if err != nil || !finite(v) || v < 0 {
				return false, errors.New(section + ": " + quote(f[0]) + " is not a count")
			}
			if strings.HasPrefix(code, "2") || strings.HasPrefix(code, "3") {
				okN += v
			} else {
				errN += v
			}
			seen[section] = true
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, k := range []string{"Total", "Average", "Requests/sec"} {
		if !seen[k] {
			return &Error{File: in.name, Err: errors.New("no " + quote(k) + " in the Summary: want the output of hey")}
		}
	}
	src.column("Summary: Total", "the run's length, s")
	src.column("Summary: Average", "response time R, s")
	if seen["Status code distribution"] && r.duration > 0 {
		r.ok, r.failed = int64(okN), int64(errN)
		r.x = okN / r.duration
		src.column("Status code distribution, Error distribution", "throughput X = 2xx and 3xx responses / Total; other codes and errors are failures")
	} else {
		src.column("Summary: Requests/sec", "throughput X")
	}
	return r.window(in.name, opt, src)
}
