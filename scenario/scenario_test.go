package scenario

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/workload"
)

const minimal = `
box: {latency: 200ms, price: $0.10/h}
workload: {constant: 40/s}
policies:
  - serverless: {}
`

func TestParseMinimal(t *testing.T) {
	sc, err := Parse([]byte(minimal), "min.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Setup.Box.Latency != 200*time.Millisecond || sc.Setup.Drain != 200*time.Millisecond {
		t.Errorf("latency %v, drain %v; want 200ms and the latency", sc.Setup.Box.Latency, sc.Setup.Drain)
	}
	if sc.Setup.Horizon != 24*time.Hour || sc.Setup.Step != time.Second || sc.Seed != 1 || sc.Oracle != 1 {
		t.Errorf("defaults: horizon %v step %v seed %d oracle %g", sc.Setup.Horizon, sc.Setup.Step, sc.Seed, sc.Oracle)
	}
	if c, ok := sc.Workload.(workload.Constant); !ok || c != 40 {
		t.Errorf("workload %#v, want Constant(40)", sc.Workload)
	}
	if len(sc.Policies) != 1 || sc.Policies[0].Name != "serverless" || sc.Policies[0].Serverless() == nil {
		t.Errorf("policies %+v", sc.Policies)
	}
}

// TestParseErrors checks that each bad scenario is refused with an error
// naming the file, the line and column, and the field.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"unknown top field", "box: {latency: 1s}\nworkloads: {constant: 1/s}\n", []string{"bad.yaml:2:1", "workloads", "unknown field"}},
		{"unknown box field", "box:\n  latency: 1s\n  latnecy: 2s\n", []string{"bad.yaml:3:3", "box.latnecy", "unknown field"}},
		{"zero latency", "box: {latency: 0s}\nworkload: {constant: 1/s}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:1:", "box.latency", "(0s, 24h]"}},
		{"negative latency", "box: {latency: -1s}\nworkload: {constant: 1/s}\npolicies: [{serverless: {}}]\n", []string{"box.latency", "(0s, 24h]"}},
		{"NaN rate", minimal[:0] + "box: {latency: 1s}\nworkload: {constant: NaN/s}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:2:22", "workload.constant", "a rate like 40/s"}},
		{"rate that does not parse", "workload:\n  daily: {mean: 4o/s}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:2:17", "workload.daily.mean", `"4o/s"`}},
		{"huge horizon", "horizon: 1000y\nworkload: {constant: 1/s}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:1:10", "horizon", "87840h"}},
		{"too many steps", "horizon: 100y\nworkload: {constant: 1/s}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:1:10", "horizon"}},
		{"ratio below 1", "workload:\n  daily: {mean: 4/s, ratio: 0.5}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:2:29", "workload.daily.ratio", "[1, 1000000]"}},
		{"two workload kinds", "workload: {constant: 1/s, daily: {mean: 1/s}}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:1:11", "workload", "exactly one"}},
		{"unknown workload", "workload: {sine: {}}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:1:12", "unknown kind"}},
		{"unknown policy", "workload: {constant: 1/s}\npolicies:\n  - name: x\n    magic: {}\n", []string{"bad.yaml:4:5", "policies[0].magic", "unknown field"}},
		{"duplicate names", "workload: {constant: 1/s}\npolicies:\n  - serverless: {}\n  - serverless: {}\n", []string{"bad.yaml:4:5", "policies[1]", "used twice"}},
		{"no policies", "workload: {constant: 1/s}\n", []string{"policies", "missing"}},
		{"bad serverless memory", "workload: {constant: 1/s}\npolicies:\n  - serverless: {memory: lots}\n", []string{"bad.yaml:3:26", "memory"}},
		{"not yaml", "box: [\n", []string{"bad.yaml", "yaml"}},
		{"empty", "", []string{"bad.yaml", "empty"}},
		{"oracle above 1", "workload: {constant: 1/s}\noracle: {utilization: 1.5}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:2:23", "oracle.utilization"}},
		{"bad billing", "billing: per-fortnight\nworkload: {constant: 1/s}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:1:10", "billing", "per-second"}},
		{"bad start", "start: monday\nworkload: {constant: 1/s}\npolicies: [{serverless: {}}]\n", []string{"bad.yaml:1:8", "start", "RFC 3339"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "bad.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Errorf("error %v is not a *scenario.Error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestClock checks times of day against a start that is not midnight.
func TestClock(t *testing.T) {
	y := `
start: 2026-01-05T06:00:00Z
workload: {burst: {start: "12:00", duration: 1h, height: 10/s}}
policies: [{serverless: {}}]
`
	sc, err := Parse([]byte(y), "clock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := sc.Workload.(workload.Burst)
	if b.Start != 6*3600 {
		t.Errorf("12:00 on a run starting at 06:00 is %g s in, want 21600", b.Start)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add(DefaultYAML())
	f.Add([]byte("workload: {noise: {of: {product: [{constant: 1/s}, {linear: {from: 1/s, to: 2/s, over: 1h}}]}}}\npolicies: [{serverless: {}}]\n"))
	f.Add([]byte("workload: {steps: {initial: 1/s, steps: [{at: '01:00', rate: 2/s}]}}\npolicies: [{serverless: {}}]\n"))
	f.Add([]byte(eventsScenario))
	f.Add([]byte("engine: events\njobs: {latency: exponential, queue: {kind: unbounded, crash: {length: 3}}, value: {kind: step, deadline: 1s}}\nworkload: {constant: 1/s}\npolicies: [{fixed: {capacity: 1}}]\n"))
	// Aliases that multiply (issue 11, F3), deep nesting, JSON.
	f.Add([]byte("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nworkload: {constant: 1/s}\n"))
	f.Add([]byte("workload: " + strings.Repeat("{noise: {of: ", 50) + "{constant: 1/s}" + strings.Repeat("}}", 50) + "\npolicies: [{fixed: {}}]\n"))
	f.Add([]byte(`{"workload": {"constant": "1/s"}, "policies": [{"hpa": {"behavior": {}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse(data, "fuzz.yaml")
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *scenario.Error", err)
			}
			return
		}
		if err := sc.Setup.Validate(); err != nil {
			t.Fatalf("accepted a setup that does not validate: %v", err)
		}
		if err := workload.Validate(sc.Workload); err != nil {
			t.Fatalf("accepted a workload that does not validate: %v", err)
		}
		if _, err := Build(sc.Doc, "fuzz.yaml"); err != nil {
			t.Fatalf("accepted a document that does not build again: %v", err)
		}
	})
}
