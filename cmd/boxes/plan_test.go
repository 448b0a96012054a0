package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"regexp"
	"strings"
	"testing"
)

// runPlanArgs runs `boxes plan args...` in process.
func runPlanArgs(args ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	err = run(context.Background(), append([]string{"plan"}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

func TestPlanText(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // substrings of stdout
	}{
		// The Erlang B table: 8.108 erlangs at 1% loss need 15 boxes.
		{"erlang B", []string{"--rate", "81.08/s", "--latency", "100ms", "--max-miss", "1%"},
			[]string{"M/D/c/c", "boxes         15", "Met: P(miss) ≤ 1% with 15 boxes."}},
		{"priced", []string{"--rate", "800/s", "--latency", "100ms", "--max-wait-prob", "0.05", "--price", "$0.10/h"},
			[]string{"M/D/c", "P(wait)", "cost", "/h"}},
		// M/M/2 at offered load 1 waits with probability 1/3.
		{"evaluate", []string{"--rate", "1/s", "--latency", "1s", "--boxes", "2", "--queue", "unbounded", "--service", "exponential"},
			[]string{"M/M/c", "P(wait)", "33.3%", "mean wait"}},
		{"deadline", []string{"--rate", "40/s", "--latency", "200ms", "--boxes", "10", "--deadline", "100ms", "--max-wait-over", "0.01", "--service", "exponential"},
			[]string{"P(wait > 100ms)", "MISSED", "P(timeout)", "NOT MET"}},
		{"unstable", []string{"--rate", "40/s", "--latency", "200ms", "--boxes", "7", "--queue", "unbounded"},
			[]string{"unstable"}},
		{"headroom", []string{"--rates", "10..100k", "--latency", "100ms", "--max-wait-prob", "0.01"},
			[]string{"job rate", "headroom", "100k/s", "Headroom shrinks as the fleet grows"}},
		{"headroom list", []string{"--rates", "10/s,1k/s", "--latency", "1s", "--max-miss", "0.001"},
			[]string{"10/s", "1000/s", "P(miss)"}},
	}
	for _, tc := range tests {
		out, _, err := runPlanArgs(tc.args...)
		// A fleet that misses its target is exit code 1 with the whole
		// output written; anything else is an error.
		if err != nil && (exitCode(err) != exitUnmet || !strings.Contains(out, "NOT MET")) {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", tc.name, w, out)
			}
		}
	}
}

func TestPlanJSON(t *testing.T) {
	out, _, err := runPlanArgs("--rate", "1/s", "--latency", "1s", "--boxes", "2", "--queue", "unbounded",
		"--service", "exponential", "--deadline", "1s", "--max-wait-over", "0.5", "--price", "$0.10/h", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// M/M/2 at a = 1: P(wait) 1/3, mean wait 1/3 s, P(W > 1 s) = e^{−1}/3.
	want := map[string]float64{
		"boxes": 2, "offered_load": 1, "utilization": 0.5, "p_miss": 0,
		"p_wait": 1.0 / 3, "mean_wait": 1.0 / 3, "p_wait_over": math.Exp(-1) / 3, "cost_per_hour": 0.2,
	}
	for k, v := range want {
		f, ok := got[k].(float64)
		if !ok || math.Abs(f-v) > 1e-12 {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if _, ok := got["p_timeout"]; !ok {
		t.Error("no p_timeout for exponential latency with a deadline")
	}
	// Its wait percentiles: P(W > t) = e^{−t}/3, so the median is 0 (two
	// thirds never wait), p95 = ln(20/3) s and p99 = ln(100/3) s; the
	// target's own percentile, 100(1 − 0.5) = p50, is among them.
	waits, _ := got["waits"].(map[string]any)
	for k, v := range map[string]float64{"p50": 0, "p95": math.Log(20.0 / 3), "p99": math.Log(100.0 / 3)} {
		if f, ok := waits[k].(float64); !ok || math.Abs(f-v) > 1e-12 {
			t.Errorf("waits.%s = %v, want %v", k, waits[k], v)
		}
	}
	// An unstable queue's mean wait is null (issue 11, F5: never the string
	// "+Inf"), and the optional fields are absent.
	out, _, err = runPlanArgs("--rate", "10/s", "--latency", "1s", "--boxes", "5", "--queue", "unbounded", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if v, ok := got["mean_wait"]; !ok || v != nil {
		t.Errorf("mean_wait = %v, want null", v)
	}
	for _, k := range []string{"p_wait_over", "cost_per_hour", "p_timeout"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s present without its input", k)
		}
	}
}

func TestPlanHeadroomJSON(t *testing.T) {
	out, _, err := runPlanArgs("--rates", "10,100,1000,10000", "--latency", "100ms", "--max-wait-prob", "0.01", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Headroom []struct {
			Boxes       int     `json:"boxes"`
			Utilization float64 `json:"utilization"`
			PWait       float64 `json:"p_wait"`
		} `json:"headroom"`
		Shrinks bool `json:"headroom_shrinks"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Headroom) != 4 || !got.Shrinks {
		t.Fatalf("got %+v", got)
	}
	for i, r := range got.Headroom {
		if r.PWait > 0.01 {
			t.Errorf("row %d: P(wait) %g over the target", i, r.PWait)
		}
		if i > 0 && r.Utilization <= got.Headroom[i-1].Utilization {
			t.Errorf("row %d: utilization %g not above %g", i, r.Utilization, got.Headroom[i-1].Utilization)
		}
	}
}

func TestPlanBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string // in the error
	}{
		{[]string{"--rate", "10/s"}, "--latency"},
		{[]string{"--latency", "1s", "--max-miss", "0.01"}, "--rate"},
		{[]string{"--rate", "10/s", "--latency", "1s"}, "--boxes or a target"},
		{[]string{"--rate", "10/s", "--latency", "0s", "--max-miss", "0.01"}, "--latency"},
		{[]string{"--rate", "-3/s", "--latency", "1s", "--max-miss", "0.01"}, `flag -rate: "-3" must not be negative`}, // the flag parser refuses it
		{[]string{"--rate", "fast", "--latency", "1s", "--max-miss", "0.01"}, `invalid value "fast" for flag -rate`},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-miss", "1.5"}, "-max-miss"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-miss", "0"}, "-max-miss"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-wait-prob", "150%"}, "-max-wait-prob"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-utilization", "abc"}, "-max-utilization"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--deadline", "1s"}, "--max-wait-over"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-wait-over", "0.1"}, "--deadline"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-mean-wait", "0s"}, "--max-mean-wait"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--queue", "none", "--max-wait-prob", "0.1"}, "--queue none"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--queue", "unbounded", "--max-miss", "0.1"}, "--queue unbounded"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-miss", "0.1", "--max-wait-prob", "0.1"}, "--queue"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--queue", "lifo", "--max-miss", "0.1"}, "-queue"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--service", "slow", "--max-miss", "0.1"}, "-service"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--boxes", "-2"}, "--boxes"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--boxes", "two"}, "-boxes"},
		{[]string{"--rate", "10/s", "--rates", "1,2", "--latency", "1s", "--max-miss", "0.1"}, "not both"},
		{[]string{"--rates", "1,2", "--boxes", "3", "--latency", "1s"}, "--boxes"},
		{[]string{"--rates", "1,,2", "--latency", "1s", "--max-miss", "0.1"}, "--rates"},
		{[]string{"--rates", "100..10", "--latency", "1s", "--max-miss", "0.1"}, "--rates"},
		{[]string{"--rates", "0..10", "--latency", "1s", "--max-miss", "0.1"}, "--rates"},
		{[]string{"--rates", "1..1e300", "--latency", "1s", "--max-miss", "0.1"}, "more than 100 rates"},
		{[]string{"--rates", "1e13,1e14", "--latency", "1s", "--max-miss", "0.1"}, "the load needs more than"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-miss", "0.1", "--price", "$1/GB-s"}, "--price"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-miss", "0.1", "extra"}, "no arguments"},
		{[]string{"--rate", "10/s", "--latency", "1s", "--max-miss", "0.1", "--format", "xml"}, "-format"},
	}
	for _, tc := range tests {
		out, _, err := runPlanArgs(tc.args...)
		if err == nil {
			t.Errorf("%v: no error", tc.args)
			continue
		}
		if code := exitCode(err); code != 2 {
			t.Errorf("%v: exit code %d, want 2", tc.args, code)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %q does not name %q", tc.args, err, tc.want)
		}
		if out != "" {
			t.Errorf("%v: wrote %q on bad input", tc.args, out)
		}
	}
	// -h prints the usage and is not an error exit.
	_, stderr, err := runPlanArgs("-h")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr, "Usage: boxes plan") {
		t.Errorf("-h: %v, %q", err, stderr)
	}
}

// TestPlanWaitPercentile checks --p99-wait and --wait-percentile with
// --max-wait: the same target as --deadline with --max-wait-over 1% (or
// 1 − P/100), the percentile printed, and exit code 1 for a fleet that
// misses it with the whole answer still printed.
func TestPlanWaitPercentile(t *testing.T) {
	// M/M/2 at a = 1: p99 wait = ln(100/3) s = 3.51 s.
	base := []string{"--rate", "1/s", "--latency", "1s", "--queue", "unbounded", "--service", "exponential", "--boxes", "2"}
	for _, tc := range []struct {
		args []string
		met  bool
	}{
		{[]string{"--p99-wait", "3.6s"}, true},
		{[]string{"--p99-wait", "3.4s"}, false},
		{[]string{"--wait-percentile", "99", "--max-wait", "3.6s"}, true},
		{[]string{"--wait-percentile", "99.9", "--max-wait", "3.6s"}, false}, // p99.9 = ln(1000/3) = 5.81 s
	} {
		out, _, err := runPlanArgs(append(base, tc.args...)...)
		switch {
		case tc.met && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case !tc.met && exitCode(err) != exitUnmet:
			t.Errorf("%v: error %v (exit %d), want exit 1", tc.args, err, exitCode(err))
		case !strings.Contains(out, "p99 wait") || strings.Contains(out, "NOT MET") == tc.met:
			t.Errorf("%v: output\n%s", tc.args, out)
		}
	}
	// Without --boxes, the smallest fleet for p99 ≤ 3.6 s is 2 boxes (1 box
	// at a = 1 is unstable).
	out, _, err := runPlanArgs("--rate", "1/s", "--latency", "1s", "--service", "exponential", "--p99-wait", "3.6s")
	if err != nil || !regexp.MustCompile(`(?m)^boxes +2 `).MatchString(out) {
		t.Errorf("smallest fleet: %v\n%s", err, out)
	}
	for _, bad := range [][]string{
		{"--p99-wait", "1s", "--max-wait", "1s", "--wait-percentile", "99"},
		{"--max-wait", "1s"},
		{"--wait-percentile", "100", "--max-wait", "1s"},
		{"--p99-wait", "1s", "--deadline", "1s", "--max-wait-over", "0.01"},
	} {
		if _, _, err := runPlanArgs(append([]string{"--rate", "1/s", "--latency", "1s"}, bad...)...); exitCode(err) != exitBadInput {
			t.Errorf("%v: error %v, want bad input", bad, err)
		}
	}
}
