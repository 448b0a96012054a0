package nativecfg

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
)

type reader func([]byte, string) (string, policy.Config, error)

func read(t *testing.T, r reader, file string) (string, policy.Config) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	name, cfg, err := r(data, file)
	if err != nil {
		t.Fatal(err)
	}
	return name, cfg
}

// TestReadKnativeService: every annotation of the file lands in its field;
// max-scale-up-rate is a config-map key Knative ignores as an annotation,
// so the default 1000 stays.
func TestReadKnativeService(t *testing.T) {
	name, cfg := read(t, ReadKnativeService, "knative-service.yaml")
	want := scaletozero.DefaultKPA()
	want.Metric = "concurrency"
	want.Target = 10
	want.TargetUtilization = 0.8
	want.StableWindow = 40 * time.Second
	want.PanicWindowPercentage = 20
	want.PanicThresholdPercentage = 150
	want.TargetBurstCapacity = 0
	want.MinScale, want.MaxScale, want.InitialScale = 1, 20, 2
	want.ScaleDownDelay = 15 * time.Minute
	want.ScaleToZeroPodRetention = 65 * time.Second
	want.ContainerConcurrency = 20
	want.RequestTimeout = 120 * time.Second
	if name != "autoscale-go" || !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %q %+v\nwant %+v", name, cfg, want)
	}
	if k := cfg.(scaletozero.KPA); k.TargetValue() != 8 {
		t.Errorf("target value %g, want 10 × 0.8 = 8", k.TargetValue())
	}
}

func TestReadCloudRunService(t *testing.T) {
	name, cfg := read(t, ReadCloudRunService, "cloudrun-service.yaml")
	want := scaletozero.DefaultCloudRun()
	want.MinInstances, want.MaxInstances = 1, 40
	want.MaxConcurrency = 50
	want.StartupCPUBoost = true
	want.Price.Billing = "instance"
	want.Price.VCPU, want.Price.MemoryGiB = 2, 1
	want.RequestTimeout = 240 * time.Second
	if name != "hello" || !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %q %+v\nwant %+v", name, cfg, want)
	}
}

func TestReadScaledObject(t *testing.T) {
	name, cfg := read(t, ReadScaledObject, "keda-scaledobject.yaml")
	want := scaletozero.DefaultKEDA()
	want.PollingInterval = 15 * time.Second
	want.CooldownPeriod = 120 * time.Second
	want.InitialCooldownPeriod = 60 * time.Second
	want.MaxReplicaCount = 50
	want.Fallback = scaletozero.Fallback{FailureThreshold: 3, Replicas: 6}
	want.Behavior = scaletozero.Behavior{
		ScaleUp:   scaletozero.HPARules{StabilizationWindowSeconds: -1},
		ScaleDown: scaletozero.HPARules{StabilizationWindowSeconds: 60, Policies: []scaletozero.HPAPolicy{{Type: "Percent", Value: 50, PeriodSeconds: 30}}},
	}
	want.Triggers = []scaletozero.Trigger{
		{Metric: "queue", Target: 20, ActivationTarget: 2},
		{Metric: "jobrate", Target: 50, ActivationTarget: 1},
		{Metric: "cpu", Target: 0.7},
	}
	if name != "orders-consumer" || !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %q %+v\nwant %+v", name, cfg, want)
	}
	// The HPA KEDA creates: the behavior's scaleDown with the scaleUp
	// defaults of Kubernetes.
	h := cfg.(scaletozero.KEDA).HPA()
	if h.Legacy || h.ScaleDown.Stabilization != time.Minute || h.ScaleUp.Stabilization != 0 || len(h.ScaleUp.Policies) != 2 || h.MinReplicas != 1 || h.MaxReplicas != 50 {
		t.Errorf("HPA %+v", h)
	}
}

// TestReadScaledJob: every scaling setting of the file lands in its
// field; the history limits, rollout and the job template do not scale.
func TestReadScaledJob(t *testing.T) {
	name, cfg := read(t, ReadScaledJob, "keda-scaledjob.yaml")
	want := scaletozero.DefaultScaledJob()
	want.PollingInterval = 10 * time.Second
	want.MinReplicaCount, want.MaxReplicaCount = 1, 40
	want.Strategy, want.CustomDeduction, want.CustomPercentage = "custom", 1, 0.5
	want.Triggers = []scaletozero.JobTrigger{{Metric: "queue", Target: 2, ActivationTarget: 1}}
	if name != "thumbnailer" || !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %q %+v\nwant %+v", name, cfg, want)
	}
	// A custom strategy without its percentage is KEDA's default one
	// (NewScalingStrategy).
	doc := "apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata: {name: x}\nspec:\n  scalingStrategy: {strategy: custom, customScalingQueueLengthDeduction: 3}\n  triggers: [{type: redis, metadata: {listLength: \"5\"}}]\n"
	if _, cfg, err := ReadScaledJob([]byte(doc), "x.yaml"); err != nil || cfg.(scaletozero.ScaledJob).Strategy != "default" {
		t.Errorf("custom without a percentage: %+v, %v; want the default strategy", cfg, err)
	}
}

// TestReadErrors: each refusal names the file, the line and the field.
func TestReadErrors(t *testing.T) {
	kn := func(ann string) string {
		return "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  template:\n    metadata:\n      annotations:\n        " + ann + "\n"
	}
	so := func(spec string) string {
		return "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: x\nspec:\n" + spec
	}
	sj := func(spec string) string {
		return "apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata:\n  name: x\nspec:\n" + spec
	}
	for _, c := range []struct {
		r    reader
		in   string
		want string
	}{
		{ReadScaledJob, sj("  jobTargetRef:\n    parallelism: 3\n"), "f.yaml:7: spec.jobTargetRef.parallelism 3: boxes models a job of one pod"},
		{ReadScaledJob, sj("  triggers:\n  - type: cpu\n    metadata:\n      value: \"50\"\n"), "spec.triggers[0] type \"cpu\" measures cpu: a ScaledJob here scales on a queue's length"},
		{ReadScaledJob, sj("  scalingStrategy:\n    strategy: greedy\n  triggers:\n  - type: redis\n    metadata:\n      listLength: \"5\"\n"), "greedy"},
		{ReadScaledJob, sj("  pollingInterval: 0\n  triggers:\n  - type: redis\n    metadata:\n      listLength: \"5\"\n"), "polling_interval"},
		{ReadKnativeService, kn(`autoscaling.knative.dev/windw: "60s"`), "f.yaml:9: autoscaling.knative.dev/windw: not a Knative autoscaling annotation"},
		{ReadKnativeService, kn(`autoscaling.knative.dev/window: "sixty"`), `f.yaml:9: autoscaling.knative.dev/window: "sixty" is not a duration`},
		{ReadKnativeService, kn(`autoscaling.knative.dev/window: "2s"`), `stable_window "2s": want a value in [6s, 1h]`},
		{ReadKnativeService, kn(`autoscaling.knative.dev/class: "hpa.autoscaling.knative.dev"`), "is not the KPA"},
		{ReadKnativeService, kn(`autoscaling.knative.dev/metric: "cpu"`), "cpu and memory need the HPA class"},
		{ReadKnativeService, "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  templat: {}\n", "f.yaml:6: field templat not found"},
		{ReadKnativeService, "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n", "is not serving.knative.dev/v1"},
		{ReadKnativeService, "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: x\n  annotations:\n    autoscaling.knative.dev/target: \"5\"\n", "f.yaml:6: autoscaling.knative.dev/target: autoscaling annotations belong on spec.template"},
		{ReadKnativeService, "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: x\n---\nkind: Service\n", "a second document"},
		{ReadCloudRunService, kn(`autoscaling.knative.dev/target: "10"`), "Cloud Run does not take this Knative annotation"},
		{ReadCloudRunService, kn(`run.googleapis.com/cpu-throttling: "maybe"`), `f.yaml:9: run.googleapis.com/cpu-throttling: "maybe" is not true or false`},
		{ReadScaledObject, so("  pollingInterval: soon\n"), "f.yaml:6: spec.pollingInterval: \"soon\" is not a whole number"},
		{ReadScaledObject, so("  triggers:\n  - type: kafka\n    metadata:\n      topic: t\n"), "spec.triggers[0].metadata.lagThreshold is needed"},
		{ReadScaledObject, so("  triggers:\n  - type: memory\n    metadata:\n      value: \"50\"\n"), `type "memory" is not one boxes can measure`},
		{ReadScaledObject, so("  advanced:\n    scalingModifiers:\n      formula: x\n"), "f.yaml:8: spec.advanced.scalingModifiers is not modelled"},
		{ReadScaledObject, so("  triggers: []\n"), "at least one trigger"},
		{ReadScaledObject, so("  minReplicaCount: 5\n  maxReplicaCount: 2\n  triggers:\n  - type: cpu\n    metadata:\n      value: \"50\"\n"), "max_replica_count 2 is below min_replica_count 5"},
	} {
		_, _, err := c.r([]byte(c.in), "f.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "nativecfg: ") {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
	if _, _, err := ReadScaledObject(make([]byte, MaxBytes+1), "big.yaml"); err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Errorf("an oversized file: %v", err)
	}
}

// fuzzReader checks that a reader never panics, and that what it accepts
// validates and starts.
func fuzzReader(f *testing.F, r reader, files ...string) {
	for _, file := range files {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		name, cfg, err := r(data, "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "nativecfg: fuzz.yaml") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		if name == "" {
			t.Fatal("accepted without a name")
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("accepted an invalid config: %v", err)
		}
		if _, err := cfg.Start(policy.Env{Latency: 0.1, Step: 1, InitialRate: 10}); err != nil {
			t.Fatalf("accepted a config that does not start: %v", err)
		}
	})
}

func FuzzReadKnativeService(f *testing.F) {
	fuzzReader(f, ReadKnativeService, "knative-service.yaml", "cloudrun-service.yaml")
}
func FuzzReadCloudRunService(f *testing.F) {
	fuzzReader(f, ReadCloudRunService, "cloudrun-service.yaml", "knative-service.yaml")
}
func FuzzReadScaledObject(f *testing.F) { fuzzReader(f, ReadScaledObject, "keda-scaledobject.yaml") }
func FuzzReadScaledJob(f *testing.F)    { fuzzReader(f, ReadScaledJob, "keda-scaledjob.yaml") }

// TestReadService tells Cloud Run from Knative by gcloud's annotations.
func TestReadService(t *testing.T) {
	for file, want := range map[string]string{"knative-service.yaml": "scaletozero.KPA", "cloudrun-service.yaml": "scaletozero.CloudRun"} {
		_, cfg := read(t, ReadService, file)
		if got := reflect.TypeOf(cfg).String(); got != want {
			t.Errorf("%s read as %s, want %s", file, got, want)
		}
	}
}
