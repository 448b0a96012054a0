package nativecfg

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
)

// Service mirrors a Knative Service (serving.knative.dev/v1), which is also
// the shape of a Cloud Run service.
type Service struct {
	APIVersion string      `yaml:"apiVersion"`
	Kind       string      `yaml:"kind"`
	Metadata   ObjectMeta  `yaml:"metadata"`
	Spec       ServiceSpec `yaml:"spec"`
	Status     yaml.Node   `yaml:"status"`
}

// ServiceSpec mirrors ServiceSpec: a revision template and traffic.
type ServiceSpec struct {
	Template RevisionTemplate `yaml:"template"`
	Traffic  yaml.Node        `yaml:"traffic"`
}

// RevisionTemplate mirrors RevisionTemplateSpec.
type RevisionTemplate struct {
	Metadata ObjectMeta   `yaml:"metadata"`
	Spec     RevisionSpec `yaml:"spec"`
}

// RevisionSpec mirrors RevisionSpec (a PodSpec plus Knative's fields);
// only ContainerConcurrency, TimeoutSeconds and Containers are read.
type RevisionSpec struct {
	ContainerConcurrency         yaml.Node `yaml:"containerConcurrency"`
	TimeoutSeconds               yaml.Node `yaml:"timeoutSeconds"`
	ResponseStartTimeoutSeconds  yaml.Node `yaml:"responseStartTimeoutSeconds"`
	IdleTimeoutSeconds           yaml.Node `yaml:"idleTimeoutSeconds"`
	Containers                   yaml.Node `yaml:"containers"`
	InitContainers               yaml.Node `yaml:"initContainers"`
	Volumes                      yaml.Node `yaml:"volumes"`
	ServiceAccountName           yaml.Node `yaml:"serviceAccountName"`
	AutomountServiceAccountToken yaml.Node `yaml:"automountServiceAccountToken"`
	ImagePullSecrets             yaml.Node `yaml:"imagePullSecrets"`
	EnableServiceLinks           yaml.Node `yaml:"enableServiceLinks"`
	Affinity                     yaml.Node `yaml:"affinity"`
	NodeSelector                 yaml.Node `yaml:"nodeSelector"`
	Tolerations                  yaml.Node `yaml:"tolerations"`
	TopologySpreadConstraints    yaml.Node `yaml:"topologySpreadConstraints"`
	RuntimeClassName             yaml.Node `yaml:"runtimeClassName"`
	PriorityClassName            yaml.Node `yaml:"priorityClassName"`
	SchedulerName                yaml.Node `yaml:"schedulerName"`
	SecurityContext              yaml.Node `yaml:"securityContext"`
	DNSPolicy                    yaml.Node `yaml:"dnsPolicy"`
	DNSConfig                    yaml.Node `yaml:"dnsConfig"`
	HostAliases                  yaml.Node `yaml:"hostAliases"`
	ShareProcessNamespace        yaml.Node `yaml:"shareProcessNamespace"`
}

// readService decodes a Service and checks its kind and name.
func readService(data []byte, file string) (*Service, error) {
	var s Service
	if err := decode(data, file, &s); err != nil {
		return nil, err
	}
	if err := checkHeader(file, s.APIVersion, s.Kind, s.Metadata.Name, "serving.knative.dev", "v1", "Service"); err != nil {
		return nil, err
	}
	return &s, nil
}

// nodeInt reads an integer field given as a YAML scalar; ok is false when
// the field is absent.
func nodeInt(n yaml.Node, file, field string) (x int, ok bool, err error) {
	if n.Kind == 0 {
		return 0, false, nil
	}
	v := value{key: field, text: n.Value, line: n.Line}
	if n.Kind != yaml.ScalarNode {
		return 0, false, v.err(file, "must be a number")
	}
	x, err = v.int(file)
	return x, err == nil, err
}

// Knative's autoscaling annotations (knative/serving
// pkg/apis/autoscaling/register.go). The config-map keys that Knative
// ignores as annotations (the project's reference, correction 8) are
// ignored here too.
const knPrefix = "autoscaling.knative.dev/"

var knIgnored = map[string]bool{
	"max-scale-up-rate": true, "max-scale-down-rate": true, "scale-to-zero-grace-period": true,
	"enable-scale-to-zero": true, "activator-capacity": true,
}

// ReadKnativeService reads a Knative Service into a Knative KPA
// (kind "knative"): the revision template's autoscaling.knative.dev/*
// annotations (class, metric, target, target-utilization-percentage,
// window, panic-window-percentage, panic-threshold-percentage,
// target-burst-capacity, min-scale, max-scale, initial-scale,
// scale-down-delay, scale-to-zero-pod-retention-period, activation-scale),
// containerConcurrency and timeoutSeconds, over Knative's defaults. It
// returns the Service's name.
func ReadKnativeService(data []byte, file string) (string, policy.Config, error) {
	s, err := readService(data, file)
	if err != nil {
		return "", nil, err
	}
	k := scaletozero.DefaultKPA()
	for _, key := range slices.Sorted(maps.Keys(s.Metadata.Annotations)) {
		if strings.HasPrefix(key, knPrefix) {
			n := s.Metadata.Annotations[key]
			return "", nil, value{key: key, text: n.Value, line: n.Line}.err(file, "autoscaling annotations belong on spec.template.metadata.annotations, the revision's")
		}
	}
	a := s.Spec.Template.Metadata.Annotations
	for _, key := range slices.Sorted(maps.Keys(a)) {
		if !strings.HasPrefix(key, knPrefix) {
			continue
		}
		n := a[key]
		v := value{key: key, text: n.Value, line: n.Line}
		if err := setKPA(&k, strings.TrimPrefix(key, knPrefix), v, file); err != nil {
			return "", nil, err
		}
	}
	if cc, ok, err := nodeInt(s.Spec.Template.Spec.ContainerConcurrency, file, "containerConcurrency"); err != nil {
		return "", nil, err
	} else if ok {
		k.ContainerConcurrency = cc
	}
	if ts, ok, err := nodeInt(s.Spec.Template.Spec.TimeoutSeconds, file, "timeoutSeconds"); err != nil {
		return "", nil, err
	} else if ok {
		k.RequestTimeout = seconds(ts)
	}
	if err := k.Validate(); err != nil {
		return "", nil, fmt.Errorf("nativecfg: %s: %w", file, err)
	}
	return s.Metadata.Name, k, nil
}

// setKPA applies one autoscaling.knative.dev/ annotation.
func setKPA(k *scaletozero.KPA, name string, v value, file string) error {
	var err error
	switch name {
	case "class":
		if v.text != "kpa.autoscaling.knative.dev" {
			return v.err(file, "class %s is not the KPA (kpa.autoscaling.knative.dev); use the hpa policy kind", quote(v.text))
		}
	case "metric":
		if v.text != "concurrency" && v.text != "rps" {
			return v.err(file, "metric %s is not concurrency or rps (cpu and memory need the HPA class)", quote(v.text))
		}
		k.Metric = v.text
	case "target":
		k.Target, err = v.float(file)
	case "target-utilization-percentage":
		var p float64
		p, err = v.float(file)
		k.TargetUtilization = p / 100
	case "window":
		k.StableWindow, err = v.duration(file)
	case "panic-window-percentage":
		k.PanicWindowPercentage, err = v.float(file)
	case "panic-threshold-percentage":
		k.PanicThresholdPercentage, err = v.float(file)
	case "target-burst-capacity":
		k.TargetBurstCapacity, err = v.float(file)
	case "min-scale", "minScale":
		k.MinScale, err = v.int(file)
	case "max-scale", "maxScale":
		k.MaxScale, err = v.int(file)
	case "initial-scale", "initialScale":
		k.InitialScale, err = v.int(file)
	case "scale-down-delay":
		k.ScaleDownDelay, err = v.duration(file)
	case "scale-to-zero-pod-retention-period":
		k.ScaleToZeroPodRetention, err = v.duration(file)
	case "activation-scale":
		var n int
		if n, err = v.int(file); err == nil && n > 1 {
			return v.err(file, "activation scale %d is not modelled (only 1)", n)
		}
	default:
		if !knIgnored[name] {
			return v.err(file, "not a Knative autoscaling annotation")
		}
	}
	return err
}

// ReadService reads a serving.knative.dev/v1 Service as a Cloud Run
// service when it carries a run.googleapis.com/ annotation (on the Service
// or its template) or the cloud.googleapis.com/location label that gcloud
// prints, and as a Knative Service otherwise: the two share apiVersion and
// kind, so one manifest-table entry can take both.
func ReadService(data []byte, file string) (string, policy.Config, error) {
	s, err := readService(data, file)
	if err != nil {
		return "", nil, err
	}
	if isCloudRun(s) {
		return ReadCloudRunService(data, file)
	}
	return ReadKnativeService(data, file)
}

func isCloudRun(s *Service) bool {
	for _, m := range []map[string]yaml.Node{s.Metadata.Annotations, s.Spec.Template.Metadata.Annotations} {
		for k := range m {
			if strings.HasPrefix(k, "run.googleapis.com/") {
				return true
			}
		}
	}
	return child(&s.Metadata.Labels, "cloud.googleapis.com/location") != nil
}

// checkHeader refuses a document that is not a kind of group (named, with
// its version, in the message) or has no metadata.name.
func checkHeader(file, apiVersion, kind, name, group, version, want string) error {
	switch {
	case !strings.HasPrefix(apiVersion, group+"/"):
		return fmt.Errorf("nativecfg: %s:1: apiVersion %s is not %s/%s", file, quote(apiVersion), group, version)
	case kind != want:
		return fmt.Errorf("nativecfg: %s:1: kind %s is not %s", file, quote(kind), want)
	case name == "":
		return fmt.Errorf("nativecfg: %s: metadata.name is missing", file)
	}
	return nil
}
