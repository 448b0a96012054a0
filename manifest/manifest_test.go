package manifest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
)

// TestReadKubectlList reads what `kubectl get hpa -o yaml` prints: a List
// with status, managedFields and the last-applied annotation, which the
// real API types accept.
func TestReadKubectlList(t *testing.T) {
	got, err := ReadFile("testdata/kubectl-get-hpa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d policies, want 2", len(got))
	}
	web := got[0]
	if web.Name != "shop/web" || web.Source != "testdata/kubectl-get-hpa.yaml:3" || web.Kind != "autoscaling/v2 HorizontalPodAutoscaler" {
		t.Errorf("web: name %q, source %q, kind %q", web.Name, web.Source, web.Kind)
	}
	h := web.Config.(hpa.HPA)
	if h.MinReplicas != 2 || h.MaxReplicas != 20 || h.Legacy || h.ScaleToZero {
		t.Errorf("web: min %d max %d legacy %v zero %v", h.MinReplicas, h.MaxReplicas, h.Legacy, h.ScaleToZero)
	}
	if len(h.Metrics) != 1 || h.Metrics[0] != (hpa.HPAMetric{Type: hpa.SourceResource, Signal: hpa.MetricCPU, TargetType: hpa.TargetUtilization, Target: 0.65, Name: "cpu"}) {
		t.Errorf("web metrics: %+v", h.Metrics)
	}
	if h.CPURequest != 0.5 || h.CPUPerJob != 30*time.Millisecond {
		t.Errorf("web cpu: request %g, per job %v", h.CPURequest, h.CPUPerJob)
	}
	wantDown := hpa.ScalingRules{Stabilization: 120 * time.Second, Select: hpa.SelectMax, Tolerance: 0.1,
		Policies: []hpa.ScalingPolicy{{Type: hpa.PolicyPods, Value: 2, Period: time.Minute}}}
	if !sameRules(h.ScaleDown, wantDown) {
		t.Errorf("web scaleDown: %+v, want %+v", h.ScaleDown, wantDown)
	}
	if h.ScaleUp.Tolerance != 0.05 || h.ScaleUp.Stabilization != 0 || len(h.ScaleUp.Policies) != 2 {
		t.Errorf("web scaleUp: %+v", h.ScaleUp)
	}
	echo := map[string]string{}
	for _, s := range web.Echo {
		echo[s.Field] = s.Value + " → " + s.Means
	}
	for field, want := range map[string]string{
		"spec.metrics[0]":  "Resource cpu Utilization 65% → cpu at 65% of a 0.5-core request per box",
		"spec.minReplicas": "2 → at least 2 boxes",
		"metadata.annotations.boxes.dev/cpu-per-job": "30ms",
		"spec.behavior.scaleDown":                    "stabilization 2m0s, Max of [2 boxes per 1m0s], tolerance 0.1",
	} {
		if !strings.Contains(echo[field], want) {
			t.Errorf("echo %s = %q, want it to say %q", field, echo[field], want)
		}
	}

	worker := got[1].Config.(hpa.HPA)
	want := []hpa.HPAMetric{
		{Type: hpa.SourcePods, Signal: hpa.MetricJobRate, TargetType: hpa.TargetAverageValue, Target: 12, Name: "http_requests_per_second"},
		{Type: hpa.SourceExternal, Signal: hpa.MetricQueue, TargetType: hpa.TargetValue, Target: 30, Name: "queue_messages_ready"},
	}
	if len(worker.Metrics) != 2 || worker.Metrics[0] != want[0] || worker.Metrics[1] != want[1] {
		t.Errorf("worker metrics: %+v, want %+v", worker.Metrics, want)
	}
	if !worker.Legacy || worker.ScaleDown.Stabilization != hpa.DefaultDownStabilization {
		t.Errorf("worker without behavior: legacy %v, downscale window %v", worker.Legacy, worker.ScaleDown.Stabilization)
	}
	// Every config starts.
	for _, n := range got {
		if _, err := n.Config.Start(policy.Env{Latency: 0.2, Step: 1, InitialRate: 10}); err != nil {
			t.Errorf("%s: %v", n.Name, err)
		}
	}
}

func sameRules(a, b hpa.ScalingRules) bool {
	if a.Stabilization != b.Stabilization || a.Select != b.Select || a.Tolerance != b.Tolerance || len(a.Policies) != len(b.Policies) {
		return false
	}
	for i := range a.Policies {
		if a.Policies[i] != b.Policies[i] {
			return false
		}
	}
	return true
}

// TestReadMultiDocument: v1 and v2 in one file; minReplicas 0 with an
// External metric is scale to zero.
func TestReadMultiDocument(t *testing.T) {
	got, err := ReadFile("testdata/multi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d, want 2", len(got))
	}
	v1 := got[0].Config.(hpa.HPA)
	if got[0].Source != "testdata/multi.yaml:2" || got[0].Kind != "autoscaling/v1 HorizontalPodAutoscaler" {
		t.Errorf("v1: source %q kind %q", got[0].Source, got[0].Kind)
	}
	if !v1.Legacy || v1.MaxReplicas != 10 || len(v1.Metrics) != 1 || v1.Metrics[0].Target != 0.5 {
		t.Errorf("v1: %+v", v1)
	}
	if got[0].Echo[len(got[0].Echo)-2].Field != "spec.targetCPUUtilizationPercentage" {
		t.Errorf("v1 echo: %+v", got[0].Echo)
	}
	v2 := got[1].Config.(hpa.HPA)
	if got[1].Source != "testdata/multi.yaml:15" || got[1].Name != "jobs/consumer" {
		t.Errorf("v2: source %q name %q", got[1].Source, got[1].Name)
	}
	if !v2.ScaleToZero || v2.MinReplicas != 0 || v2.Metrics[0].Signal != hpa.MetricQueue || v2.Metrics[0].TargetType != hpa.TargetAverageValue {
		t.Errorf("v2: %+v", v2)
	}
}

// TestReadBad: each bad input names the file, the line and the field.
func TestReadBad(t *testing.T) {
	tests := []struct {
		file string
		want []string // substrings of the message
	}{
		{"bad-kind.yaml", []string{"bad-kind.yaml:2: kind:", `"apps/v1" "Deployment" is not a kind boxes reads`, "autoscaling/v2 HorizontalPodAutoscaler"}},
		{"bad-no-target.yaml", []string{"bad-no-target.yaml:5: spec.scaleTargetRef: missing"}},
		{"bad-unknown-field.yaml", []string{"bad-unknown-field.yaml:12: stabilisationWindowSeconds: unknown field"}},
		{"bad-memory.yaml", []string{"bad-memory.yaml:19: spec.metrics[1].resource.name:", "no memory use"}},
		{"bad-no-signal.yaml", []string{"bad-no-signal.yaml:14: spec.metrics[0].pods.metric.name:", "boxes.dev/signal.http_requests_per_second: jobrate|concurrency|queue|utilization"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := ReadFile(filepath.Join("testdata", tt.file))
			if err == nil {
				t.Fatal("no error")
			}
			var me *Error
			if !errors.As(err, &me) {
				t.Errorf("%v is not a *manifest.Error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestReadInline: small inputs for the rest of the errors.
func TestReadInline(t *testing.T) {
	hpa := func(spec string) string {
		return "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: a\n  annotations: {ANN}\nspec:\n  scaleTargetRef: {kind: Deployment, name: a}\n" + spec
	}
	tests := []struct {
		name, in, ann string
		want          string // "" for no error
	}{
		{"empty file", "", "", "no object in the file"},
		{"only comments", "# nothing\n---\n", "", "no object in the file"},
		{"not yaml", "a: [", "", "a.yaml:1: not YAML"},
		{"a scalar", "just text\n", "", "expected an object"},
		{"no kind", "apiVersion: v1\n", "", "kind: missing"},
		{"no max", hpa(""), "", "spec.maxReplicas: missing or below 1"},
		{"max below min", hpa("  minReplicas: 4\n  maxReplicas: 2\n"), "", "below minReplicas 4"},
		{"wrong type", hpa("  maxReplicas: many\n"), "", "a.yaml:8: spec.maxReplicas: cannot unmarshal string"},
		{"zero min with cpu", hpa("  minReplicas: 0\n  maxReplicas: 2\n"), "", "needs an Object or External metric"},
		{"signal for all", hpa("  maxReplicas: 9\n  metrics:\n  - type: Pods\n    pods: {metric: {name: inflight}, target: {type: AverageValue, averageValue: 3}}\n"), `"boxes.dev/signal": concurrency`, ""},
		{"bad signal", hpa("  maxReplicas: 9\n  metrics:\n  - type: Pods\n    pods: {metric: {name: x}, target: {type: AverageValue, averageValue: 3}}\n"), `"boxes.dev/signal": latency`, "expected jobrate, concurrency, queue or utilization"},
		{"pods with a Value target", hpa("  maxReplicas: 9\n  metrics:\n  - type: Pods\n    pods: {metric: {name: jobrate}, target: {type: Value, value: 3}}\n"), "", "a Pods target is AverageValue"},
		{"bad request", hpa("  maxReplicas: 9\n"), `"boxes.dev/cpu-request": lots`, "cpu-request: \"lots\" is not a positive cpu quantity"},
		{"bad per job", hpa("  maxReplicas: 9\n"), `"boxes.dev/cpu-per-job": -1s`, "cpu-per-job"},
		{"bad policy", hpa("  maxReplicas: 9\n  behavior:\n    scaleUp:\n      policies:\n      - {type: Pods, value: 0, periodSeconds: 15}\n"), "", "spec.behavior.scaleUp.policies[0].value: 0 must be positive"},
		{"empty policies", hpa("  maxReplicas: 9\n  behavior:\n    scaleUp:\n      policies: []\n"), "", "at least one policy"},
		{"bad select", hpa("  maxReplicas: 9\n  behavior:\n    scaleDown:\n      selectPolicy: Most\n"), "", "expected Max, Min or Disabled"},
		{"default metric", hpa("  maxReplicas: 9\n"), "", ""},
		{"v2beta2", strings.Replace(hpa("  maxReplicas: 9\n  behavior: {scaleUp: {selectPolicy: Min}}\n"), "v2\n", "v2beta2\n", 1), "", ""},
		{"v2beta2 has no tolerance", strings.Replace(hpa("  maxReplicas: 9\n  behavior: {scaleUp: {tolerance: 0.05}}\n"), "v2\n", "v2beta2\n", 1), "", "a.yaml:9: tolerance: unknown field"},
		{"crlf and bom", "\ufeff" + strings.ReplaceAll(hpa("  maxReplicas: 9\n"), "\n", "\r\n"), "", ""},
		{"a typed list", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscalerList\nitems:\n- metadata: {name: a}\n  spec: {scaleTargetRef: {kind: Deployment, name: a}, maxReplicas: 3}\n", "", ""},
		{"unknown field in a list item", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: autoscaling/v2\n  kind: HorizontalPodAutoscaler\n  metadata: {name: a}\n  spec:\n    scaleTargetRef: {kind: Deployment, name: a}\n    maxReplicas: 3\n    minReplica: 1\n", "", "a.yaml:10: minReplica: unknown field"},
		{"duplicate key", hpa("  maxReplicas: 9\n  maxReplicas: 8\n"), "", `a.yaml:9: key "maxReplicas" already set`},
		{"list item of another kind", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n", "", "a.yaml:5: kind:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.ReplaceAll(tt.in, "{ANN}", "{"+tt.ann+"}")
			_, err := Read(strings.NewReader(in), "a.yaml")
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestReadLimits: a line longer than MaxLine is refused with its line.
func TestReadLimits(t *testing.T) {
	long := "a: " + strings.Repeat("x", MaxLine+1) + "\n"
	_, err := Read(strings.NewReader("# first\n"+long), "big.yaml")
	if err == nil || !strings.Contains(err.Error(), "big.yaml:2: line longer than") {
		t.Errorf("got %v", err)
	}
}

// TestReadersTable: every entry has a reader, and the pairs are unique.
func TestReadersTable(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Readers() {
		key := k.APIVersion + " " + k.Kind
		if k.Read == nil || seen[key] {
			t.Errorf("%s: nil reader or listed twice", key)
		}
		seen[key] = true
	}
}

func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("apiVersion: v1\nkind: List\nitems: [1, {kind: x}]\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := Read(strings.NewReader(in), "fuzz.yaml")
		if err != nil {
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("error %v is not a *manifest.Error", err)
			}
			if !strings.HasPrefix(err.Error(), "manifest: fuzz.yaml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, n := range got {
			if err := n.Config.Validate(); err != nil {
				t.Fatalf("%s: a config that does not validate: %v", n.Name, err)
			}
		}
	})
}

// TestWorkedExample is the README's cpu example: 100 jobs/s of 100 ms
// jobs using 80 ms of cpu on 500m requests, at 65%: ceil(8 / 0.325) = 25
// boxes; without the annotations ceil(10 / 0.65) = 16.
func TestWorkedExample(t *testing.T) {
	doc := func(ann string) string {
		return `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  annotations: {` + ann + `}
spec:
  scaleTargetRef: {kind: Deployment, name: web}
  maxReplicas: 100
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 65}}
`
	}
	for _, tt := range []struct {
		ann  string
		want int
	}{
		{`"boxes.dev/cpu-request": 500m, "boxes.dev/cpu-per-job": 80ms`, 25},
		{``, 16},
	} {
		got, err := Read(strings.NewReader(doc(tt.ann)), "web.yaml")
		if err != nil {
			t.Fatal(err)
		}
		run, err := got[0].Config.Start(policy.Env{Latency: 0.1, Step: 1, InitialRate: 100})
		if err != nil {
			t.Fatal(err)
		}
		if run.Initial != tt.want {
			t.Errorf("annotations {%s}: settles on %d boxes, want %d", tt.ann, run.Initial, tt.want)
		}
	}
}

// TestNativeRows: the table's Knative/Cloud Run Service and KEDA
// ScaledObject rows hand the object to package nativecfg, which picks Cloud
// Run for a service gcloud printed (its run.googleapis.com annotations).
func TestNativeRows(t *testing.T) {
	for _, c := range []struct{ file, kind, config string }{
		{"../nativecfg/testdata/knative-service.yaml", "serving.knative.dev/v1 Service", "scaletozero.KPA"},
		{"../nativecfg/testdata/cloudrun-service.yaml", "serving.knative.dev/v1 Service", "scaletozero.CloudRun"},
		{"../nativecfg/testdata/keda-scaledobject.yaml", "keda.sh/v1alpha1 ScaledObject", "scaletozero.KEDA"},
		{"../nativecfg/testdata/keda-scaledjob.yaml", "keda.sh/v1alpha1 ScaledJob", "scaletozero.ScaledJob"},
	} {
		ns, err := ReadFile(c.file)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if len(ns) != 1 || ns[0].Kind != c.kind || ns[0].Name == "" || fmt.Sprintf("%T", ns[0].Config) != c.config {
			t.Errorf("%s: %+v, want one %s read as %s", c.file, ns, c.kind, c.config)
		}
	}
}
