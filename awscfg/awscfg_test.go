package awscfg

import (
	"github.com/boxes-project/boxes/policy/aws"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
)

// The fixtures are in the shape the AWS CLI prints:
//
//	testdata/ecs-target-tracking.json: the AWS CLI reference example of
//	  `aws application-autoscaling describe-scaling-policies --service-namespace ecs`
//	  (cpu75-target-tracking-scaling-policy on service/default/web-app),
//	  merged with describe-scalable-targets and the two alarms
//	  `aws cloudwatch describe-alarms` prints for it.
//	testdata/ecs-step.json: the CLI reference's step scaling example
//	  (web-app-cpu-gt-75, +200% at ≥ 75%) and a scale-in policy, with alarms.
//	testdata/ec2-policies.json: the CLI reference example of
//	  `aws autoscaling describe-policies --auto-scaling-group-name my-asg`
//	  (alb1000 and cpu40 target tracking), step and simple policies on other
//	  groups, a predictive policy, a disabled one, and describe-auto-scaling-groups.
//
// Field names follow the Application Auto Scaling API Reference (ScalingPolicy,
// TargetTrackingScalingPolicyConfiguration, StepScalingPolicyConfiguration,
// ScalableTarget), the EC2 Auto Scaling API Reference (ScalingPolicy,
// TargetTrackingConfiguration, PredictiveScalingConfiguration, AutoScalingGroup)
// and CloudWatch's MetricAlarm.

func read(t *testing.T, name string) []Named {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := Read(data, name)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func TestReadECSTargetTracking(t *testing.T) {
	ns := read(t, "ecs-target-tracking.json")
	if len(ns) != 1 {
		t.Fatalf("got %d policies, want 1", len(ns))
	}
	want := aws.DefaultTargetTracking()
	want.Target = 75
	want.ScaleOutCooldown, want.ScaleInCooldown = 60*time.Second, 120*time.Second
	want.MinCapacity, want.MaxCapacity = 2, 40
	want.ScaleInRatio = 67.5 / 75 // from the AlarmLow's threshold: 0.9
	if got := ns[0].Config; !reflect.DeepEqual(got, want) || ns[0].Name != "cpu75-target-tracking-scaling-policy" {
		t.Errorf("got %s %+v\nwant %+v", ns[0].Name, got, want)
	}
}

func TestReadECSStep(t *testing.T) {
	ns := read(t, "ecs-step.json")
	if len(ns) != 1 {
		t.Fatalf("got %d policies, want 1 (both step policies act on one target)", len(ns))
	}
	s, ok := ns[0].Config.(aws.StepScaling)
	if !ok {
		t.Fatalf("got %T", ns[0].Config)
	}
	want := aws.StepScaling{Metric: aws.AWSCPU, MinCapacity: 1, MaxCapacity: 10, Period: time.Minute, PublicationDelay: time.Minute,
		Policies: []aws.StepPolicy{
			{Alarm: aws.Alarm{Threshold: 75, Comparison: aws.GreaterOrEqual, EvaluationPeriods: 2},
				AdjustmentType: aws.PercentChangeInCapacity, Cooldown: 60 * time.Second,
				Steps: []aws.StepAdjustment{{Lower: 0, Unbounded: "upper", Adjustment: 200}}},
			{Alarm: aws.Alarm{Threshold: 25, Comparison: aws.LessOrEqual, EvaluationPeriods: 5, DatapointsToAlarm: 3},
				AdjustmentType: aws.ChangeInCapacity, Cooldown: 300 * time.Second,
				Steps: []aws.StepAdjustment{{Lower: -15, Upper: 0, Unbounded: "none", Adjustment: -1}, {Upper: -15, Unbounded: "lower", Adjustment: -2}}},
		}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
	if ns[0].Name != "web-app-cpu-gt-75+web-app-cpu-lt-25" {
		t.Errorf("name %q", ns[0].Name)
	}
}

func TestReadEC2(t *testing.T) {
	ns := read(t, "ec2-policies.json")
	got := map[string]policy.Config{}
	for _, n := range ns {
		got[n.Name] = n.Config
	}
	if len(ns) != 4 {
		t.Fatalf("got %d policies %v, want 4", len(ns), ns)
	}
	// my-asg: two target tracking policies together, run as the dynamic
	// list of a forecast-only Predictive (the largest capacity wins).
	both, ok := got["alb1000-target-tracking-scaling-policy+cpu40-target-tracking-scaling-policy"].(aws.Predictive)
	if !ok || both.Mode != "ForecastOnly" || len(both.Dynamic) != 2 || both.MinCapacity != 1 || both.MaxCapacity != 20 {
		t.Fatalf("my-asg: %+v", both)
	}
	alb := both.Dynamic[0]
	if alb.Metric != aws.AWSRequestsPerTarget || alb.Target != 1000 || alb.InstanceWarmup != 300*time.Second ||
		alb.ScaleOutCooldown != 0 || alb.ScaleInRatio != 0.7 || alb.MaxCapacity != 20 {
		t.Errorf("alb1000: %+v", alb)
	}
	if cpu := both.Dynamic[1]; cpu.Metric != aws.AWSCPU || cpu.Target != 40 {
		t.Errorf("cpu40: %+v", cpu)
	}
	// worker-asg: the two step policies, warm-up 120 s as the scale-out's
	// cooldown, the group's DefaultInstanceWarmup 60 s for the scale-in.
	st, ok := got["my-step-scale-out-policy+my-step-scale-in-policy"].(aws.StepScaling)
	if !ok || st.MinCapacity != 2 || st.MaxCapacity != 50 || len(st.Policies) != 2 {
		t.Fatalf("worker-asg: %+v", st)
	}
	if p := st.Policies[0]; p.Cooldown != 120*time.Second || p.MinAdjustmentMagnitude != 1 || len(p.Steps) != 3 || p.Steps[2].Unbounded != "upper" {
		t.Errorf("scale-out: %+v", p)
	}
	if p := st.Policies[1]; p.Cooldown != 60*time.Second || p.Alarm.Comparison != aws.LessOrEqual {
		t.Errorf("scale-in: %+v", p)
	}
	// legacy-asg: simple scaling, 300 s period alarm, cooldown 180 s.
	sm, ok := got["my-simple-scale-out-policy"].(aws.SimpleScaling)
	if !ok || sm.Period != 300*time.Second || sm.Policies[0].Cooldown != 180*time.Second || sm.Policies[0].Adjustment != 2 || sm.MaxCapacity != 8 {
		t.Errorf("legacy-asg: %+v", sm)
	}
	// web-asg: predictive with its target tracking policy; the disabled
	// policy is left out; no group in the file, so Read's defaults 1 and 0.
	pr, ok := got["cpu40-predictive-scaling-policy+cpu50-target-tracking-scaling-policy"].(aws.Predictive)
	if !ok || pr.Mode != "ForecastAndScale" || pr.SchedulingBuffer != 300*time.Second || pr.MaxCapacityBreach != "IncreaseMaxCapacity" ||
		pr.MaxCapacityBuffer != 10 || pr.Target != 40 || len(pr.Dynamic) != 1 || pr.Dynamic[0].InstanceWarmup != 180*time.Second || pr.MinCapacity != 1 {
		t.Errorf("web-asg: %+v", pr)
	}
	for name, c := range got {
		if _, err := c.Start(policy.Env{Latency: 0.2, InitialRate: 10, Boot: 60}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestReadBad: each error names the file and the JSON path (or line:col).
func TestReadBad(t *testing.T) {
	good, err := os.ReadFile("testdata/ecs-target-tracking.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, in, want string
	}{
		{"syntax", "{\n  \"ScalingPolicies\": [,]\n}", "f.json:2:"},
		{"not an object", `[]`, "f.json: $: want an object"},
		{"no policies key", `{"MetricAlarms": []}`, "no ScalingPolicies"},
		{"empty", `{"ScalingPolicies": []}`, "no policies"},
		{"unknown top field", `{"ScalingPolicies": [], "Policies": []}`, `$.Policies: unknown field "Policies"`},
		{"unknown policy field", strings.Replace(string(good), `"PolicyType"`, `"Kind": 1, "PolicyType"`, 1), `$.ScalingPolicies[0].Kind: unknown field`},
		{"unknown nested field", strings.Replace(string(good), `"ScaleOutCooldown"`, `"ScaleOutCoolDown"`, 1),
			`$.ScalingPolicies[0].TargetTrackingScalingPolicyConfiguration.ScaleOutCoolDown: unknown field`},
		{"target not a number", strings.Replace(string(good), `75.0,`, `"75",`, 1), `TargetValue: want a number`},
		{"memory metric", strings.Replace(string(good), `ECSServiceAverageCPUUtilization`, `ECSServiceAverageMemoryUtilization`, 1), `"ECSServiceAverageMemoryUtilization": boxes models`},
		{"lambda", strings.Replace(string(good), `"ServiceNamespace": "ecs",`, `"ServiceNamespace": "lambda",`, 1), "serverless setting"},
		{"policy type", strings.Replace(string(good), `"TargetTrackingScaling"`, `"ScheduledScaling"`, 1), `$.ScalingPolicies[0].PolicyType: "ScheduledScaling" is not one of`},
		{"step without alarm", `{"ScalingPolicies":[{"PolicyName":"p","ServiceNamespace":"ecs","ResourceId":"service/a/b","ScalableDimension":"ecs:service:DesiredCount","PolicyType":"StepScaling","StepScalingPolicyConfiguration":{"AdjustmentType":"ChangeInCapacity","StepAdjustments":[{"MetricIntervalLowerBound":0,"ScalingAdjustment":1}]},"Alarms":[{"AlarmName":"hi","AlarmARN":"x"}]}]}`,
			"describe-alarms --alarm-names hi"},
		{"validation", strings.Replace(string(good), `"MinCapacity": 2`, `"MinCapacity": 50`, 1), `max_capacity 40 must be 0 (no bound) or at least min_capacity 50`},
	} {
		_, err := Read([]byte(tc.in), "f.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "f.json") {
			t.Errorf("%s: got %v, want an error naming f.json with %q", tc.name, err, tc.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"ecs-target-tracking.json", "ecs-step.json", "ec2-policies.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"ScalingPolicies":[{"AutoScalingGroupName":"a","PolicyName":"p","PolicyType":"SimpleScaling"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ns, err := Read(data, "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "awscfg: fuzz.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, n := range ns {
			if err := n.Config.Validate(); err != nil {
				t.Fatalf("Read returned an invalid policy %s: %v", n.Name, err)
			}
		}
	})
}
