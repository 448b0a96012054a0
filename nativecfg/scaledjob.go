package nativecfg

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
)

// ScaledJob mirrors KEDA's ScaledJob (keda.sh/v1alpha1,
// apis/keda/v1alpha1/scaledjob_types.go).
type ScaledJob struct {
	APIVersion string        `yaml:"apiVersion"`
	Kind       string        `yaml:"kind"`
	Metadata   ObjectMeta    `yaml:"metadata"`
	Spec       ScaledJobSpec `yaml:"spec"`
	Status     yaml.Node     `yaml:"status"`
}

// ScaledJobSpec mirrors ScaledJobSpec.
type ScaledJobSpec struct {
	JobTargetRef               *JobSpec       `yaml:"jobTargetRef"`
	PollingInterval            yaml.Node      `yaml:"pollingInterval"`
	SuccessfulJobsHistoryLimit yaml.Node      `yaml:"successfulJobsHistoryLimit"`
	FailedJobsHistoryLimit     yaml.Node      `yaml:"failedJobsHistoryLimit"`
	RolloutStrategy            yaml.Node      `yaml:"rolloutStrategy"`
	Rollout                    yaml.Node      `yaml:"rollout"`
	EnvSourceContainerName     yaml.Node      `yaml:"envSourceContainerName"`
	MinReplicaCount            yaml.Node      `yaml:"minReplicaCount"`
	MaxReplicaCount            yaml.Node      `yaml:"maxReplicaCount"`
	ScalingStrategy            *JobScaling    `yaml:"scalingStrategy"`
	Triggers                   []ScaleTrigger `yaml:"triggers"`
}

// JobScaling mirrors ScaledJob's ScalingStrategy.
type JobScaling struct {
	Strategy                          string    `yaml:"strategy"`
	CustomScalingQueueLengthDeduction yaml.Node `yaml:"customScalingQueueLengthDeduction"`
	CustomScalingRunningJobPercentage yaml.Node `yaml:"customScalingRunningJobPercentage"`
	PendingPodConditions              yaml.Node `yaml:"pendingPodConditions"`
	MultipleScalersCalculation        string    `yaml:"multipleScalersCalculation"`
}

// JobSpec mirrors batch/v1 JobSpec: only parallelism and completions
// matter to scaling.
type JobSpec struct {
	Parallelism             yaml.Node `yaml:"parallelism"`
	Completions             yaml.Node `yaml:"completions"`
	ActiveDeadlineSeconds   yaml.Node `yaml:"activeDeadlineSeconds"`
	BackoffLimit            yaml.Node `yaml:"backoffLimit"`
	BackoffLimitPerIndex    yaml.Node `yaml:"backoffLimitPerIndex"`
	MaxFailedIndexes        yaml.Node `yaml:"maxFailedIndexes"`
	PodFailurePolicy        yaml.Node `yaml:"podFailurePolicy"`
	SuccessPolicy           yaml.Node `yaml:"successPolicy"`
	Selector                yaml.Node `yaml:"selector"`
	ManualSelector          yaml.Node `yaml:"manualSelector"`
	Template                yaml.Node `yaml:"template"`
	TTLSecondsAfterFinished yaml.Node `yaml:"ttlSecondsAfterFinished"`
	CompletionMode          yaml.Node `yaml:"completionMode"`
	Suspend                 yaml.Node `yaml:"suspend"`
	PodReplacementPolicy    yaml.Node `yaml:"podReplacementPolicy"`
	ManagedBy               yaml.Node `yaml:"managedBy"`
}

// ReadScaledJob reads a KEDA ScaledJob into a ScaledJob scaler (kind
// "keda-scaledjob"): pollingInterval, min/maxReplicaCount, the scaling
// strategy (strategy, customScalingQueueLengthDeduction,
// customScalingRunningJobPercentage, multipleScalersCalculation) and the
// queue triggers (the scalers ReadScaledObject reads as a queue, with
// their target and activation keys; prometheus with boxesMetric: queue).
// A job of one pod is one box that takes one job: jobTargetRef's
// parallelism or completions above 1 are refused, as are triggers that are
// no queue. As KEDA does, a custom strategy without a parseable
// customScalingRunningJobPercentage is the default strategy.
func ReadScaledJob(data []byte, file string) (string, policy.Config, error) {
	var sj ScaledJob
	if err := decode(data, file, &sj); err != nil {
		return "", nil, err
	}
	if err := checkHeader(file, sj.APIVersion, sj.Kind, sj.Metadata.Name, "keda.sh", "v1alpha1", "ScaledJob"); err != nil {
		return "", nil, err
	}
	k := scaletozero.DefaultScaledJob()
	sp := sj.Spec
	if j := sp.JobTargetRef; j != nil {
		for _, f := range []struct {
			n    yaml.Node
			name string
		}{{j.Parallelism, "parallelism"}, {j.Completions, "completions"}} {
			x, ok, err := nodeInt(f.n, file, "spec.jobTargetRef."+f.name)
			if err != nil {
				return "", nil, err
			}
			if ok && x > 1 {
				return "", nil, fmt.Errorf("nativecfg: %s:%d: spec.jobTargetRef.%s %d: boxes models a job of one pod that takes one job", file, f.n.Line, f.name, x)
			}
		}
	}
	for _, f := range []struct {
		n    yaml.Node
		name string
		set  func(int)
	}{
		{sp.PollingInterval, "pollingInterval", func(x int) { k.PollingInterval = seconds(x) }},
		{sp.MinReplicaCount, "minReplicaCount", func(x int) { k.MinReplicaCount = x }},
		{sp.MaxReplicaCount, "maxReplicaCount", func(x int) { k.MaxReplicaCount = x }},
	} {
		x, ok, err := nodeInt(f.n, file, "spec."+f.name)
		if err != nil {
			return "", nil, err
		}
		if ok {
			f.set(x)
		}
	}
	if s := sp.ScalingStrategy; s != nil {
		if s.Strategy != "" {
			k.Strategy = s.Strategy
		}
		if s.MultipleScalersCalculation != "" {
			k.MultipleScalersCalculation = s.MultipleScalersCalculation
		}
		if k.Strategy == "custom" {
			p := s.CustomScalingRunningJobPercentage
			pct, err := value{key: "spec.scalingStrategy.customScalingRunningJobPercentage", text: p.Value, line: p.Line}.float(file)
			if p.Kind == 0 || err != nil {
				k.Strategy = "default" // KEDA's NewScalingStrategy falls back to it
			} else {
				k.CustomPercentage = pct
				d, ok, err := nodeInt(s.CustomScalingQueueLengthDeduction, file, "spec.scalingStrategy.customScalingQueueLengthDeduction")
				if err != nil {
					return "", nil, err
				}
				if ok {
					k.CustomDeduction = d
				}
			}
		}
	}
	k.Triggers = nil
	for i, t := range sp.Triggers {
		tr, err := trigger(t, i, file)
		if err != nil {
			return "", nil, err
		}
		if tr.Metric != "queue" {
			return "", nil, fmt.Errorf("nativecfg: %s: spec.triggers[%d] type %s measures %s: a ScaledJob here scales on a queue's length", file, i, quote(t.Type), tr.Metric)
		}
		k.Triggers = append(k.Triggers, scaletozero.JobTrigger{Metric: "queue", Target: tr.Target, ActivationTarget: tr.ActivationTarget})
	}
	if err := k.Validate(); err != nil {
		return "", nil, fmt.Errorf("nativecfg: %s: %w", file, err)
	}
	return sj.Metadata.Name, k, nil
}
