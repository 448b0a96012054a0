package scaletozero

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
)

// trace is a metric history of one-second buckets, given by a function of
// the bucket's start, and recorded up to now: what an engine with a
// one-second step keeps.
type trace struct {
	at  func(sec int) policy.Metrics
	now float64
}

func (h *trace) Window(from, to float64, m *policy.Metrics) bool {
	lo := max(0, int(math.Round(from)))
	hi := min(int(math.Round(to)), int(math.Round(h.now)))
	if hi <= lo {
		return false
	}
	var s policy.Metrics
	for k := lo; k < hi; k++ {
		x := h.at(k)
		s.JobRate += x.JobRate
		s.Busy += x.Busy
		s.Queued += x.Queued
		s.Demand += x.Demand
		s.Ready += x.Ready
		s.Served += x.Served
	}
	n := float64(hi - lo)
	*m = policy.Metrics{JobRate: s.JobRate / n, Busy: s.Busy / n, Queued: s.Queued / n, Demand: s.Demand / n, Ready: s.Ready / n, Served: s.Served / n}
	return true
}

// drive calls p once a second from 0 to end. ready gives the ready boxes at
// each call from the boxes asked for at the call before (follow: boxes
// are ready at once; or a fixed count). It returns the boxes asked for at
// each second.
func drive(t *testing.T, run policy.Run, h *trace, end int, ready func(asked int) int) []int {
	t.Helper()
	out := make([]int, end+1)
	asked := run.Initial
	for s := 0; s <= end; s++ {
		h.now = float64(s)
		o := policy.Observation{Time: float64(s), Ready: ready(asked), Latency: 1, History: h}
		asked = run.Policy.Desired(&o)
		out[s] = asked
	}
	return out
}

func follow(asked int) int { return asked }
func fixed(n int) func(int) int {
	return func(int) int { return n }
}

// concurrency is a history whose in-flight count is c(sec), all in
// service (Busy), with JobRate = Demand = c for a latency of 1 s.
func concurrency(c func(sec int) float64) *trace {
	return &trace{at: func(sec int) policy.Metrics {
		v := c(sec)
		return policy.Metrics{JobRate: v, Busy: v, Demand: v, Ready: 1}
	}}
}

type row struct {
	t    int
	want int
	why  string
}

func checkRows(t *testing.T, got []int, rows []row) {
	t.Helper()
	for _, r := range rows {
		if got[r.t] != r.want {
			t.Errorf("t=%ds: %d boxes, want %d (%s)", r.t, got[r.t], r.want, r.why)
		}
	}
}

// TestKPAStepAndPanic: a step from 7 to 70 in flight at t=100 on one ready
// pod (target 10 × 0.7 = 7 per pod), then silence from t=110. Expected
// values worked by hand from autoscaler.go Scale (knative/serving; quoted
// in the KPA doc comment): dspc = ceil(stable/7), dppc = ceil(panic/7),
// panic when dppc/1 ≥ 2, ends a stable window after the last crossing.
func TestKPAStepAndPanic(t *testing.T) {
	k := DefaultKPA()
	k.Target = 10
	run, err := k.Start(policy.Env{Latency: 1, Step: 1, InitialRate: 7})
	if err != nil {
		t.Fatal(err)
	}
	if run.Initial != 1 {
		t.Fatalf("initial %d pods, want ceil(7/7) = 1", run.Initial)
	}
	h := concurrency(func(s int) float64 {
		switch {
		case s < 100:
			return 7
		case s < 110:
			return 70
		}
		return 0
	})
	got := drive(t, run, h, 200, fixed(1))
	checkRows(t, got, []row{
		{100, 1, "stable 7 → 1; panic [94,100) = 7 → 1, no panic"},
		{101, 1, "between ticks: the last decision"},
		{102, 4, "panic [96,102) = (4×7 + 2×70)/6 = 28 → 4 ≥ 2 × 1: panic; stable [42,102) = 9.1 → 2; max 4"},
		{104, 7, "panic [98,104) = (2×7 + 4×70)/6 = 49 → 7"},
		{106, 10, "panic [100,106) = 70 → 10"},
		{116, 10, "panic [110,116) = 0, no crossing; still panicking (last crossing at 114)"},
		{174, 10, "114 + 60 = 174 is not before 174: still panicking, no scale-down"},
		{176, 0, "panic ends; stable [116,176) = 0 → 0, maxDown floor(1/2) = 0; retention 0: to zero"},
	})
}

// TestKPAScaleDownRateAndRetention: 8 pods with no load halve every tick
// (maxScaleDown = floor(ready/2)), and the last pod stays the retention
// period once the decider says zero.
func TestKPAScaleDownRateAndRetention(t *testing.T) {
	k := DefaultKPA()
	k.Target = 10
	k.InitialScale = 8
	k.ScaleToZeroPodRetention = 30 * time.Second
	run, err := k.Start(policy.Env{Latency: 1, Step: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := drive(t, run, concurrency(func(int) float64 { return 0 }), 60, follow)
	checkRows(t, got, []row{
		{0, 8, "no data yet: no change"},
		{2, 4, "dspc 0, clamped to floor(8/2) = 4"},
		{4, 2, "floor(4/2)"},
		{6, 1, "floor(2/2)"},
		{8, 1, "decider says 0 at t=8; the last pod is retained 30 s"},
		{36, 1, "t=36 < 8 + 30"},
		{38, 0, "t=38 = 8 + 30: to zero"},
	})
}

// TestKPAActivatorPoke: at zero, the first request reaches the decider at
// once, off the 2 s tick.
func TestKPAActivatorPoke(t *testing.T) {
	k := DefaultKPA()
	k.Target = 10
	k.ContainerConcurrency = 10
	run, err := k.Start(policy.Env{Latency: 1, Step: 1})
	if err != nil {
		t.Fatal(err)
	}
	if run.Initial != 0 || run.Hold == nil || run.Hold.ColdOnly || run.Hold.Timeout != 300 {
		t.Fatalf("run %+v, hold %+v: want 0 pods and an activator always in the path, 300 s timeout", run, run.Hold)
	}
	h := &trace{at: func(s int) policy.Metrics {
		if s == 50 {
			return policy.Metrics{JobRate: 1, Queued: 1, Demand: 1}
		}
		return policy.Metrics{}
	}}
	got := drive(t, run, h, 60, fixed(0))
	checkRows(t, got, []row{
		{50, 0, "nothing yet"},
		{51, 10, "the request of [50,51) pokes the decider at t=51 (odd): 1 pod of 10 boxes (containerConcurrency 10)"},
	})
}

// TestKEDAFromZeroAndCooldown: one jobrate trigger of 10/s per replica,
// load 25/s from t=40 to t=200, legacy HPA (no behavior). Worked by hand
// from scale_scaledobjects.go (0→1 at the poll, N→0 after the cooldown
// from the last active poll) and the HPA's AverageValue rule
// ceil(25/10) = 3 within max(2 × 1, 4).
func TestKEDAFromZeroAndCooldown(t *testing.T) {
	k := DefaultKEDA()
	k.Triggers = []Trigger{{Metric: "jobrate", Target: 10}}
	run, err := k.Start(policy.Env{Latency: 1, Step: 1})
	if err != nil {
		t.Fatal(err)
	}
	if run.Initial != 0 || run.Hold != nil {
		t.Fatalf("initial %d, hold %v: want 0 and none", run.Initial, run.Hold)
	}
	h := concurrency(func(s int) float64 {
		if s >= 40 && s < 200 {
			return 25
		}
		return 0
	})
	got := drive(t, run, h, 520, follow)
	checkRows(t, got, []row{
		{59, 0, "polls at 0 and 30 see no load"},
		{60, 1, "poll at 60: active, 0 → max(min, 1) = 1 (the HPA's sync at 60 saw 0)"},
		{74, 1, "HPA's next sync is at 75"},
		{75, 3, "HPA: ceil(25/10) = 3 ≤ max(2×1, 4)"},
		{479, 3, "last active poll at 180 (the poll at 210 sees none); legacy HPA holds the 300 s max"},
		{480, 0, "180 + cooldown 300: straight to 0"},
		{520, 0, "the HPA does nothing at 0"},
	})
}

// TestKEDAActivationInterceptorQueue: an activation threshold above the
// load never activates; the HTTP add-on activates at the next step, not
// the next poll; a queue trigger scales on the backlog.
func TestKEDAActivationInterceptorQueue(t *testing.T) {
	load := concurrency(func(s int) float64 {
		if s >= 40 {
			return 25
		}
		return 0
	})
	k := DefaultKEDA()
	k.Triggers = []Trigger{{Metric: "jobrate", Target: 10, ActivationTarget: 30}}
	run, _ := k.Start(policy.Env{Latency: 1, Step: 1})
	if got := drive(t, run, load, 200, follow); got[200] != 0 {
		t.Errorf("activation 30 against a load of 25: %d replicas, want 0", got[200])
	}

	k.Triggers[0].ActivationTarget = 0
	k.Interceptor = true
	run, _ = k.Start(policy.Env{Latency: 1, Step: 1})
	if run.Hold == nil || !run.Hold.ColdOnly {
		t.Fatalf("interceptor hold %+v, want cold only", run.Hold)
	}
	got := drive(t, run, load, 50, follow)
	checkRows(t, got, []row{{40, 0, "no request yet"}, {41, 1, "the interceptor's push: the request of [40,41) activates at 41"}})

	k = DefaultKEDA()
	k.MinReplicaCount = 1
	k.Triggers = []Trigger{{Metric: "queue", Target: 5}}
	run, _ = k.Start(policy.Env{Latency: 1, Step: 1})
	backlog := &trace{at: func(int) policy.Metrics { return policy.Metrics{Queued: 50, Ready: 1} }}
	got = drive(t, run, backlog, 60, follow)
	checkRows(t, got, []row{
		{0, 1, "no history at t=0"},
		{15, 4, "ceil(50/5) = 10, legacy limit max(2×1, 4) = 4"},
		{30, 8, "limit max(2×4, 4) = 8"},
		{45, 10, "10"},
	})
}

// TestCloudRun: instances of 10 boxes (max_concurrency 10), 30 in flight,
// all busy: cpu ceil(30/10/0.6) = 5 and concurrency ceil(30/(10×0.6)) = 5;
// silence from t=100; a request at t=201 starts an instance on demand.
func TestCloudRun(t *testing.T) {
	c := DefaultCloudRun()
	c.MaxConcurrency = 10
	run, err := c.Start(policy.Env{Latency: 1, Step: 1, InitialRate: 30})
	if err != nil {
		t.Fatal(err)
	}
	if run.Initial != 50 || run.Hold == nil || run.Hold.ColdOnly || run.Hold.Timeout != 300 {
		t.Fatalf("initial %d, hold %+v: want 5 instances of 10 and requests held up to 300 s", run.Initial, run.Hold)
	}
	h := concurrency(func(s int) float64 {
		switch {
		case s < 100, s == 201:
			return 30
		}
		return 0
	})
	got := drive(t, run, h, 210, follow)
	checkRows(t, got, []row{
		{50, 50, "steady: 5 instances"},
		{155, 10, "window [95,155): 5 s of 30 → 2.5 in flight → ceil(2.5/6) = 1 instance"},
		{159, 10, "next evaluation at 160"},
		{160, 0, "window [100,160) empty: to zero"},
		{201, 0, "the request arrives in [201,202)"},
		{202, 30, "on demand at 202: ceil(30/10) = 3 instances for 30 in flight with none running"},
	})
}

var durationType = reflect.TypeOf(time.Duration(0))

// TestDefaultsMatchTags: each DefaultX sets every field to its default
// tag, read as a user writes it.
func TestDefaultsMatchTags(t *testing.T) {
	for _, v := range []any{DefaultKPA(), DefaultKEDA(), DefaultCloudRun(), DefaultCloudRunPrice()} {
		rv := reflect.ValueOf(v)
		for i := range rv.NumField() {
			f := rv.Type().Field(i)
			def, ok := f.Tag.Lookup("default")
			if !ok {
				continue
			}
			fv := rv.Field(i)
			var got, want string
			switch {
			case f.Type == durationType:
				d, err := boxes.ParseDuration(def)
				if err != nil {
					t.Fatalf("%T.%s: default %q: %v", v, f.Name, def, err)
				}
				got, want = time.Duration(fv.Int()).String(), d.String()
			case f.Type.Kind() == reflect.Float64:
				x, _ := strconv.ParseFloat(def, 64)
				got, want = strconv.FormatFloat(fv.Float(), 'g', -1, 64), strconv.FormatFloat(x, 'g', -1, 64)
			case f.Type.Kind() == reflect.Int:
				got, want = strconv.Itoa(int(fv.Int())), def
			case f.Type.Kind() == reflect.Bool:
				got, want = strconv.FormatBool(fv.Bool()), def
			case f.Type.Kind() == reflect.String:
				got, want = fv.String(), def
			}
			if got != want {
				t.Errorf("%T.%s = %s, its default tag says %s", v, f.Name, got, want)
			}
		}
		if c, ok := v.(policy.Config); ok {
			if err := c.Validate(); err != nil {
				t.Errorf("%T defaults: %v", v, err)
			}
		}
	}
}

// TestValidate: one row per rule, each naming the field.
func TestValidate(t *testing.T) {
	kpa := func(f func(*KPA)) policy.Config { k := DefaultKPA(); f(&k); return k }
	keda := func(f func(*KEDA)) policy.Config { k := DefaultKEDA(); f(&k); return k }
	run := func(f func(*CloudRun)) policy.Config { c := DefaultCloudRun(); f(&c); return c }
	for _, c := range []struct {
		cfg  policy.Config
		want string
	}{
		{kpa(func(k *KPA) { k.StableWindow = 5 * time.Second }), `stable_window "5s": want a value in [6s, 1h]`},
		{kpa(func(k *KPA) { k.MaxScaleDownRate = 1 }), `max_scale_down_rate "1": want a value above 1`},
		{kpa(func(k *KPA) { k.Metric = "cpu" }), `metric "cpu": want one of concurrency, rps`},
		{kpa(func(k *KPA) { k.TargetUtilization = math.NaN() }), "target_utilization NaN: want a finite number"},
		{kpa(func(k *KPA) { k.MinScale, k.MaxScale = 3, 2 }), "min_scale 3 is above max_scale 2"},
		{kpa(func(k *KPA) { k.ContainerConcurrency, k.Target = 5, 10 }), "target 10 is above container_concurrency 5"},
		{keda(func(k *KEDA) { k.Triggers = nil }), "at least one trigger"},
		{keda(func(k *KEDA) { k.Triggers[0].Target = 0 }), `triggers[0].target "0": want a value above 0`},
		{keda(func(k *KEDA) { k.Triggers[0].Metric, k.Triggers[0].Target = "cpu", 50 }), "must be a utilization"},
		{keda(func(k *KEDA) { k.IdleReplicaCount, k.MinReplicaCount = 0, 0 }), "idle_replica_count 0 must be below min_replica_count 0"},
		{keda(func(k *KEDA) { k.Behavior.ScaleUp.Policies = []HPAPolicy{{Type: "Pods", Value: 0, PeriodSeconds: 15}} }), `behavior.scaleUp.policies[0].value "0": want a value of at least 1`},
		{run(func(c *CloudRun) { c.CPUTarget, c.ConcurrencyTarget = 0, 0 }), "cannot both be off"},
		{run(func(c *CloudRun) { c.CPUTarget = 0.05 }), "cpu_target 0.05 must be 0 or in [0.1, 0.9]"},
		{run(func(c *CloudRun) { c.MaxConcurrency = 1001 }), `max_concurrency "1001": want a value in [1, 1000]`},
	} {
		err := c.cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: error %v, want one containing %q", c.cfg, err, c.want)
		}
	}
}

// TestCloudRunPrice: a 1 vCPU, 0.5 GiB instance for an hour at the Tier 1
// rates of cloud.google.com/run/pricing (read 2026-12-04).
func TestCloudRunPrice(t *testing.T) {
	p := DefaultCloudRunPrice()
	// Request-based: 3600 × (0.000024 + 0.5 × 0.0000025) + 1e6 × 0.40/1e6.
	if got, want := p.Cost(7200, 3600, 1e6), 3600*(0.000024+0.00000125)+0.40; math.Abs(got-want) > 1e-12 {
		t.Errorf("request-based cost %g, want %g", got, want)
	}
	p.Billing = "instance"
	// Instance-based: the 7200 s of life at 0.000018 + 0.5 × 0.0000025.
	if got, want := p.Cost(7200, 3600, 1e6), 7200*(0.000018+0.00000125); math.Abs(got-want) > 1e-12 {
		t.Errorf("instance-based cost %g, want %g", got, want)
	}
}
