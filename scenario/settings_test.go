package scenario

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/workload"
)

// The value tests of every setting are generated from the schema's list of
// settings (Settings), so that a new setting is covered as soon as it is
// declared. For each: its default (a document that leaves it out reads the
// same as one that writes the default), each bound (accepted when
// inclusive, refused when strict; one step past it refused), and one
// invalid value per kind of mistake (wrong unit or form, wrong type, an
// unknown word for closed sets, an unknown field beside it), each refused
// with a *schema.FieldError that names the field and a line. The rows of
// needs and contexts below are the hand-written part: what a setting needs
// around it to be valid at all.

// needs are the settings a node needs to be valid, by the path of the node.
func needs(tracefile string) map[string]map[string]any {
	one := map[string]any{"constant": "1/s"}
	return map[string]map[string]any{
		"workload.constant":                            {"rate": "1/s"},
		"workload.daily":                               {"mean": "1/s"},
		"workload.burst":                               {"start": "12:00", "duration": "1m", "height": "1/s"},
		"workload.linear":                              {"from": "1/s", "to": "2/s", "over": "1h"},
		"workload.exponential":                         {"from": "1/s", "doubling": "1h"},
		"workload.steps.steps[]":                       {"at": "1h", "rate": "1/s"},
		"workload.clamp":                               {"of": one},
		"workload.noise":                               {"of": one},
		"workload.poisson":                             {"of": one},
		"workload.preset":                              {"name": "flat"},
		"workload.trace":                               {"file": tracefile},
		"policies[].target":                            {"utilization": "0.5"},
		"policies[].scheduled.windows[]":               {"capacity": "1"},
		"policies[].serverless.provisioned_schedule[]": {"capacity": "1"},
		// A step or simple scaling policy needs at least one alarm policy.
		"policies[].aws-step-scaling": {"policies": []any{map[string]any{
			"alarm": map[string]any{"threshold": "70", "comparison": "GreaterThanOrEqualToThreshold"},
			"steps": []any{map[string]any{"unbounded": "upper", "adjustment": "2"}}}}},
		"policies[].aws-simple-scaling": {"policies": []any{map[string]any{
			"alarm": map[string]any{"threshold": "70", "comparison": "GreaterThanOrEqualToThreshold"}, "adjustment": "1"}}},
		"policies[].aws-step-scaling.policies[]":        {"steps": []any{map[string]any{"unbounded": "upper", "adjustment": "2"}}},
		"policies[].hpa.behavior.scaleUp.policies[]":    {"type": "Pods", "value": "1", "periodSeconds": "15"},
		"policies[].hpa.behavior.scaleDown.policies[]":  {"type": "Pods", "value": "1", "periodSeconds": "15"},
		"policies[].hpa.metrics[]":                      {"type": "External", "signal": "queue", "target_type": "AverageValue", "target": "1"},
		"policies[].keda.triggers[]":                    {"metric": "jobrate", "target": "1"},
		"policies[].keda.behavior.scaleUp.policies[]":   {"type": "Pods", "value": "2", "periodSeconds": "15"},
		"policies[].keda.behavior.scaleDown.policies[]": {"type": "Pods", "value": "2", "periodSeconds": "15"},
	}
}

// contexts are settings beside a setting (same node) or at the top that its
// values other than the default need: a queue's capacity needs a bounded
// queue. top applies to the default check too.
var contexts = []struct {
	prefix   string
	top, sib map[string]any
}{
	{prefix: "jobs.", top: map[string]any{"engine": "events"}},
	{prefix: "warmup", top: map[string]any{"engine": "events"}},
	{prefix: "replications", top: map[string]any{"engine": "events"}},
	{prefix: "jobs.latency.sigma", sib: map[string]any{"distribution": "lognormal"}},
	{prefix: "jobs.latency.cv", sib: map[string]any{"distribution": "lognormal"}},
	{prefix: "jobs.latency.file", sib: map[string]any{"distribution": "trace"}},
	{prefix: "jobs.queue.capacity", sib: map[string]any{"kind": "bounded"}},
	{prefix: "jobs.queue.deadline", sib: map[string]any{"kind": "unbounded"}},
	{prefix: "jobs.queue.late_after", sib: map[string]any{"kind": "unbounded"}},
	{prefix: "jobs.queue.crash.", top: map[string]any{"engine": "events", "jobs": map[string]any{"queue": map[string]any{"kind": "unbounded"}}}},
	{prefix: "jobs.queue.crash.recovery", sib: map[string]any{"length": "5"}},
	{prefix: "step", top: map[string]any{"horizon": "48h"}},
	{prefix: "jobs.value.horizon", sib: map[string]any{"kind": "linear"}},
	{prefix: "jobs.value.half_life", sib: map[string]any{"kind": "exponential"}},
	{prefix: "jobs.value.deadline", sib: map[string]any{"kind": "step"}},
	{prefix: "workload.exponential.to", sib: map[string]any{"doubling": nil, "over": "1h"}},
	{prefix: "workload.exponential.over", sib: map[string]any{"doubling": nil, "to": "2/s"}},
	{prefix: "jobs.queue.kind", sib: map[string]any{}},
	{prefix: "slo.max_late", sib: map[string]any{"late_after": "1s"}},
	{prefix: "slo.late_after", sib: map[string]any{"max_late": "1%"}},
	// Scale to zero needs minReplicas 0 and an Object or External metric.
	{prefix: "policies[].hpa.scale_to_zero", sib: map[string]any{"min": "0", "metrics": []any{map[string]any{"type": "External", "signal": "queue", "target_type": "AverageValue", "target": "1"}}}},
	// KEDA's idle count must be below its minimum.
	{prefix: "policies[].keda.idle_replica_count", sib: map[string]any{"min_replica_count": "2"}},
}

// skip are checks that do not apply, with the reason.
var skip = map[string]string{
	// 0 is how a scenario that is not lognormal writes sigma; a lognormal
	// needs it positive, a rule of the whole latency (tested by hand).
	"jobs.latency.sigma min": "0 is sigma's 'unset'",
	// A value kind's time must be positive, a rule across kind and time.
	"jobs.value.horizon min": "positive with its kind", "jobs.value.half_life min": "positive with its kind",
	"jobs.value.deadline min": "positive with its kind",
	// A bounded queue's capacity 0 is refused by the rule of the whole queue.
	"jobs.queue.capacity min": "a bounded queue needs one",
	// The latency file must be a job log.
	"jobs.latency.file":   "a file, tested by hand",
	"workload.trace.file": "a file, tested by hand",
	// An HPA on cpu takes whole percents only.
	"policies[].hpa.tolerance max": "",
	// The workload's seed feeds the derived seeds of random nodes only,
	// and the default workload has none.
	"seed effect": "no random node in the document",
	// These need another setting to be valid at all; jobs_test.go checks
	// their effect by hand.
	"jobs.latency.sigma effect": "by hand", "jobs.latency.cv effect": "by hand",
	"jobs.queue.capacity effect": "by hand",
	"jobs.value.kind effect":     "by hand", "workload.trace.layout effect": "the test file is a job log",
	"workload.trace.data effect": "web's TestSimulateTrace",
	// A limit on reading: the test's trace has more than one row, and
	// within the limit the run is the same; internal/hostile's
	// TestF9ValidRows and shape's tests check it.
	"workload.trace.max_rows min": "the test file has several rows", "workload.trace.max_rows effect": "a limit: no effect within it",
	// Provisioned concurrency cannot pass the function's concurrency, a
	// rule across settings (policy's serverless tests).
	"policies[].serverless.provisioned_schedule[].capacity max": "at most the concurrency limit",
	// AWS alarms and steps: rules across settings, tested in policy/aws.
	"policies[].aws-step-scaling.policies[].alarm.datapoints_to_alarm max":     "at most evaluation_periods",
	"policies[].aws-simple-scaling.policies[].alarm.datapoints_to_alarm max":   "at most evaluation_periods",
	"policies[].aws-step-scaling.policies[].min_adjustment_magnitude effect":   "only with PercentChangeInCapacity",
	"policies[].aws-simple-scaling.policies[].min_adjustment_magnitude effect": "only with PercentChangeInCapacity",
	"policies[].aws-step-scaling.policies[].steps[].unbounded":                 "a step's bounds are one rule across lower, upper and unbounded",
	// Package traffic's options do not apply to the test's trace, a job
	// log that workload reads; traffic's own tests and cmd/boxes's scripts
	// cover them.
	"workload.trace.time_column effect": "traffic's", "workload.trace.value_column effect": "traffic's",
	"workload.trace.value effect": "traffic's", "workload.trace.sum effect": "traffic's", "workload.trace.gaps effect": "traffic's",
	"workload.trace.step effect": "traffic's", "workload.trace.dates effect": "traffic's", "workload.trace.zone effect": "traffic's",
	"workload.trace.latency_unit effect": "traffic's", "workload.trace.log_time effect": "traffic's", "workload.trace.format effect": "traffic's",
	// Building a prometheus workload asks a live server: cmd/boxes's
	// script simulate_prometheus_live.txtar runs one.
	"workload.prometheus.url": "live", "workload.prometheus.query": "live", "workload.prometheus.from": "live",
	"workload.prometheus.to": "live", "workload.prometheus.step": "live", "workload.prometheus.sum": "live",
	"workload.prometheus.timeout": "live", "workload.prometheus.interpolation": "live", "workload.prometheus.gaps": "live", "workload.exponential.to effect": "by hand", "workload.exponential.over effect": "by hand",
}

func put(m map[string]any, path []string, v any) {
	seg := path[0]
	list := strings.HasSuffix(seg, "[]")
	key := strings.TrimSuffix(seg, "[]")
	if len(path) == 1 {
		if v == nil {
			delete(m, key)
		} else {
			m[key] = v
		}
		return
	}
	if list {
		l, _ := m[key].([]any)
		if len(l) == 0 {
			l = []any{map[string]any{}}
		}
		m[key] = l
		put(l[0].(map[string]any), path[1:], v)
		return
	}
	sub, ok := m[key].(map[string]any)
	if !ok {
		sub = map[string]any{}
		m[key] = sub
	}
	put(sub, path[1:], v)
}

func clone(m map[string]any) map[string]any {
	b, _ := yaml.Marshal(m)
	var out map[string]any
	_ = yaml.Unmarshal(b, &out)
	return out
}

// document is a valid document with s set to value (nil: left out); sib
// says whether the setting's context beside it applies.
func document(s schema.Setting, value any, sib bool, tracefile string) string {
	doc := map[string]any{"horizon": "1h", "workload": map[string]any{"constant": "1/s"}, "policies": []any{map[string]any{"serverless": map[string]any{}}}}
	parts := strings.Split(s.Path, ".")
	if parts[0] == "workload" {
		doc["workload"] = map[string]any{parts[1]: map[string]any{}}
	}
	if parts[0] == "policies[]" {
		doc["policies"] = []any{map[string]any{parts[1]: map[string]any{}}}
		if parts[1] == "name" {
			doc["policies"] = []any{map[string]any{"serverless": map[string]any{}}}
		}
	}
	for prefix, fields := range needs(tracefile) {
		if strings.HasPrefix(s.Path, prefix+".") {
			for k, v := range fields {
				put(doc, append(strings.Split(prefix, "."), k), v)
			}
		}
	}
	for _, c := range contexts {
		if !strings.HasPrefix(s.Path, c.prefix) {
			continue
		}
		for k, v := range clone(c.top) {
			doc[k] = v
		}
		if sib {
			for k, v := range c.sib {
				put(doc, append(parts[:len(parts)-1:len(parts)-1], k), v)
			}
		}
	}
	if _, out := value.(absent); out {
		put(doc, parts, nil)
	} else if value != nil {
		put(doc, parts, value)
	}
	b, err := yaml.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// absent leaves a setting out of a document.
type absent struct{}

// beyond is a value one step past bound b, below it (dir −1) or above
// (+1), in the setting's notation; "" when there is none.
func beyond(typ, b string, dir int) string {
	f := float64(dir)
	switch typ {
	case "duration":
		d, _ := boxes.ParseDuration(b)
		return schema.FormatDuration(d + time.Duration(dir))
	case "integer":
		n, _ := strconv.Atoi(b)
		return strconv.Itoa(n + dir)
	case "number":
		x, _ := strconv.ParseFloat(b, 64)
		return strconv.FormatFloat(math.Nextafter(x, f*math.Inf(1)), 'g', -1, 64)
	case "rate":
		r, _ := boxes.ParseRate(b)
		return boxes.Rate(math.Nextafter(float64(r), f*math.Inf(1))).String()
	case "price":
		p, _ := boxes.ParsePrice(b)
		p.Amount = math.Nextafter(p.Amount, f*math.Inf(1))
		return p.String()
	case "memory":
		gb, _ := boxes.ParseMemory(b)
		return strconv.FormatFloat(math.Nextafter(gb, f*math.Inf(1)), 'g', -1, 64) + "GB"
	case "time of day":
		d, _ := schema.ParseClock(b, 24*time.Hour)
		if d+time.Duration(dir)*time.Second < 0 {
			return ""
		}
		return schema.FormatClock(d + time.Duration(dir)*time.Second)
	}
	return ""
}

// wrongForm is a value of the wrong unit or form for a type.
var wrongForm = map[string]string{
	"duration": "5 parsecs", "rate": "40 per fortnight", "price": "$1/parsec", "memory": "5 furlongs",
	"number": "lots", "integer": "1.5", "boolean": "maybe", "time": "monday", "time of day": "25:61",
	"time of day or duration": "noonish", "number or rate": "fast", "days": "monkey",
}

func TestEverySetting(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "jobs.csv")
	if err := os.WriteFile(trace, []byte("time,latency\n0,0.2\n0.5,0.3\n1,0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	parse := func(text string) (*Scenario, error) { return Parse([]byte(text), filepath.Join(dir, "s.yaml")) }
	refused := func(t *testing.T, what, text, last string) {
		t.Helper()
		_, err := parse(text)
		var fe *schema.FieldError
		switch {
		case err == nil:
			t.Errorf("%s: accepted\n%s", what, text)
		case !errors.As(err, &fe):
			t.Errorf("%s: error %v is not a FieldError", what, err)
		case fe.Line == 0 || !strings.Contains(fe.Field, last):
			t.Errorf("%s: error %v does not name a line and the field %s", what, err, last)
		}
	}
	accepted := func(t *testing.T, what, text string) *Scenario {
		t.Helper()
		sc, err := parse(text)
		if err != nil {
			t.Errorf("%s: refused: %v\n%s", what, err, text)
		}
		return sc
	}
	settings := Settings()
	if len(settings) < 100 {
		t.Fatalf("only %d settings listed", len(settings))
	}
	for _, s := range settings {
		if s.Type == "workload" || s.Type == "list of workloads" || skip[s.Path] != "" {
			continue
		}
		t.Run(s.Path, func(t *testing.T) {
			parts := strings.Split(s.Path, ".")
			last := parts[len(parts)-1]
			last = strings.TrimSuffix(last, "[]")
			// The default: leaving the setting out reads as writing it.
			if s.Default != "" && !s.Required {
				absent := accepted(t, "left out", document(s, absent{}, false, trace))
				given := accepted(t, "the default "+s.Default, document(s, s.Default, false, trace))
				if absent != nil && given != nil && !reflect.DeepEqual(absent.Doc, given.Doc) {
					t.Errorf("writing the default %s reads differently from leaving it out", s.Default)
				}
			}
			// The bounds.
			for _, b := range []struct {
				name, value string
				strict      bool
				dir         int
			}{{"min", s.Min, s.ExclusiveMin, -1}, {"max", s.Max, s.ExclusiveMax, +1}} {
				if b.value == "" || skip[s.Path+" "+b.name] != "" {
					continue
				}
				if b.strict {
					refused(t, "the strict "+b.name+" "+b.value, document(s, b.value, true, trace), last)
				} else {
					accepted(t, "the "+b.name+" "+b.value, document(s, b.value, true, trace))
				}
				if v := beyond(s.Type, b.value, b.dir); v != "" {
					refused(t, "past the "+b.name+": "+v, document(s, v, true, trace), last)
				}
			}
			// A value other than the default changes what the engines get:
			// a decoder that drops the setting fails here.
			if vs := otherValues(s); len(vs) > 0 && skip[s.Path+" effect"] == "" {
				var out any = absent{}
				if s.Required {
					out = nil // the needed value stays
				}
				// Two accepted documents that differ in this setting only:
				// left out (or its first accepted value) and another.
				var runs []*Scenario
				var vals []string
				if sc, err := parse(document(s, out, true, trace)); err == nil {
					runs, vals = append(runs, sc), append(vals, "left out")
				}
				for _, v := range vs {
					if sc, err := parse(document(s, v, true, trace)); err == nil && len(runs) < 2 {
						runs, vals = append(runs, sc), append(vals, v)
					}
				}
				switch {
				case len(runs) < 2:
					t.Errorf("fewer than two of %v are accepted", vs)
				case reflect.DeepEqual(effective(runs[0]), effective(runs[1])):
					t.Errorf("%s and %s give the engines the same", vals[0], vals[1])
				}
			}
			// Kinds of mistake.
			if w, ok := wrongForm[s.Type]; ok {
				refused(t, "wrong form "+w, document(s, w, true, trace), last)
			}
			if len(s.Enum) > 0 {
				refused(t, "an unknown word", document(s, "nonsense", true, trace), last)
			}
			if s.Type != "text" {
				refused(t, "a mapping", document(s, map[string]any{"x": "1"}, true, trace), last)
			}
			typo := s.Path[:len(s.Path)-len(parts[len(parts)-1])] + "typo_" + last
			refused(t, "an unknown field", document(schema.Setting{Path: typo}, "1", true, trace), "typo_"+last)
		})
	}
}

// TestSettingsByHand covers what the generated rows cannot: settings whose
// valid values depend on a file or on other settings, and the issue's
// reproductions (issue 11, F13).
func TestSettingsByHand(t *testing.T) {
	const tail = "workload: {constant: 1/s}\n"
	tests := []struct {
		name, yaml string
		want       string // "" accepts; else a substring of the error
	}{
		{"days: weekdays, as the README writes it", tail + `policies: [{scheduled: {windows: [{days: weekdays, from: "09:00", to: "17:00", capacity: 3}]}}]`, ""},
		{"days as a list of full names", tail + `policies: [{scheduled: {windows: [{days: [Monday, fri], capacity: 3}]}}]`, ""},
		{"monkey is not Monday", tail + `policies: [{scheduled: {windows: [{days: [monkey], capacity: 3}]}}]`, "s.yaml:2:43: policies[scheduled].scheduled.windows[0].days[0]"},
		{"a billion boxes", tail + "policies: [{fixed: {capacity: 1000000000}}]", "s.yaml:2:31: policies[fixed].fixed.capacity"},
		{"lognormal without sigma", "engine: events\njobs: {latency: lognormal}\n" + tail + "policies: [{serverless: {}}]", "jobs.latency"},
		{"sigma with a fixed latency", "engine: events\njobs: {latency: {sigma: 1}}\n" + tail + "policies: [{serverless: {}}]", "jobs.latency.sigma"},
		{"hpa: a rate target with the cpu metric", tail + "policies: [{hpa: {target: 40/s}}]", "is a rate"},
		{"hpa: jobrate needs a rate", tail + "policies: [{hpa: {metric: jobrate, target: 0.5}}]", "takes a target rate"},
		{"hpa: jobrate with a rate", tail + "policies: [{hpa: {metric: jobrate, target: 4/s}}]", ""},
		{"hpa: cpu takes whole percents", tail + "policies: [{hpa: {target: 0.705}}]", "whole percent"},
		{"exponential: both forms", "workload: {exponential: {from: 1/s, doubling: 1h, to: 2/s, over: 1h}}\npolicies: [{serverless: {}}]", "either doubling"},
		{"a policy of two kinds", tail + "policies: [{fixed: {}, hpa: {}}]", "one kind"},
		{"a policy named oracle", tail + "policies: [{name: oracle, fixed: {}}]", "used twice"},
		{"a second document", tail + "policies: [{fixed: {}}]\n---\nhorizon: 1h\n", "one document"},
		{"JSON with trailing garbage", `{"workload": {"constant": "1/s"}, "policies": [{"fixed": {}}]} x`, "text after the document"},
		{"JSON with a key twice", `{"workload": {"constant": "1/s"}, "workload": {"constant": "2/s"}, "policies": [{"fixed": {}}]}`, "appears twice"},
		{"JSON with a key in another case", `{"Workload": {"constant": "1/s"}, "policies": [{"fixed": {}}]}`, "unknown field"},
		{"YAML with a key twice", tail + tail + "policies: [{fixed: {}}]", "appears twice"},
		{"valid JSON", `{"workload": {"constant": "1/s"}, "policies": [{"fixed": {}}]}`, ""},
		{"a result without its document", `{"scenario": {}, "results": []}`, "without its scenario"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "s.yaml")
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && err == nil:
				t.Errorf("accepted")
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

// TestAliasBomb: nine aliases a level (issue 11, F3) expand to billions of
// nodes; the document is refused, quickly and in little memory, before any
// of it is expanded.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x,x,x,x,x,x,x,x,x]\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [")
		for j := range 9 {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("*a" + strconv.Itoa(i-1))
		}
		b.WriteString("]\n")
	}
	for _, size := range []int{490, 553} {
		doc := b.String()
		for len(doc) < size {
			doc += "#"
		}
		start := time.Now()
		_, err := Parse([]byte(doc), "bomb.yaml")
		if err == nil || !strings.Contains(err.Error(), "aliases") {
			t.Errorf("%d bytes: error %v, want the node limit", len(doc), err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%d bytes: took %v", len(doc), d)
		}
	}
}

// otherValues are values of s other than its default, likely valid.
func otherValues(s schema.Setting) []string {
	var cands []string
	if s.Max != "" && !s.ExclusiveMax {
		cands = append(cands, s.Max)
	}
	if s.Min != "" && !s.ExclusiveMin {
		cands = append(cands, s.Min)
	}
	if s.Min != "" && s.ExclusiveMin {
		cands = append(cands, beyond(s.Type, s.Min, +1))
	}
	for i := len(s.Enum) - 1; i >= 0; i-- {
		cands = append(cands, s.Enum[i])
	}
	if s.Type == "boolean" {
		cands = append(cands, "true", "false")
	}
	if strings.HasSuffix(s.Path, "_job_cost") {
		cands = append(cands, "$0.37/job")
	}
	if s.Path == "workload.preset.name" {
		cands = append(cands, workload.PresetNames()...)
	}
	// Then a plain value of the type, for settings without bounds.
	plain := map[string][]string{"duration": {"37s", "2h"}, "rate": {"3/s"}, "number": {"0.37"}, "price": {"$0.37/h"},
		"memory": {"512MB"}, "time": {"2026-02-03T04:05:06Z"}, "time of day": {"07:30"}, "time of day or duration": {"07:30", "45m"},
		"text": {"other"}, "number or rate": {"0.37", "3/s"}, "days": {"weekend"}}
	cands = append(cands, plain[s.Type]...)
	if s.Type == "integer" {
		n, _ := strconv.Atoi(s.Default)
		cands = append(cands, strconv.Itoa(n+1), "7")
	}
	var out []string
	for _, c := range cands {
		if c != "" && c != s.Default {
			out = append(out, c)
		}
	}
	return out
}

// effective is what the engines get from a scenario: the setup, the
// workload, the jobs, and each policy's name and config as it starts (an
// HPA spec as the controller's HPA).
func effective(sc *Scenario) any {
	setup := sc.Setup
	setup.Progress = nil
	type named struct {
		Name, Kind string
		Config     any
	}
	var ps []named
	for _, p := range sc.Policies {
		var c any = p.Config
		if h, ok := p.Config.(*hpa.HPASpec); ok {
			c = h.HPA()
		}
		ps = append(ps, named{p.Name, p.Kind, c})
	}
	return []any{sc.Name, setup, sc.Seed, sc.Workload, sc.Oracle, sc.Engine, sc.Replications, sc.Jobs, sc.SLO, ps}
}
