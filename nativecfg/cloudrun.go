package nativecfg

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
)

// ReadCloudRunService reads a Cloud Run service, as `gcloud run services
// describe SERVICE --format yaml` prints it, into a Cloud Run scaler (kind
// "cloudrun"): containerConcurrency (0 or absent: Cloud Run's 80), the
// revision template's autoscaling.knative.dev/minScale and maxScale,
// timeoutSeconds, run.googleapis.com/cpu-throttling ("false" is
// instance-based billing)
// and run.googleapis.com/startup-cpu-boost, and the first container's
// resources.limits cpu and memory for the price. Other run.googleapis.com/*
// annotations (ingress, launch stage, VPC access...) do not change scaling
// and are ignored; any other autoscaling.knative.dev/* annotation is
// refused, since Cloud Run does not take it.
func ReadCloudRunService(data []byte, file string) (string, policy.Config, error) {
	s, err := readService(data, file)
	if err != nil {
		return "", nil, err
	}
	c := scaletozero.DefaultCloudRun()
	a := s.Spec.Template.Metadata.Annotations
	for _, key := range slices.Sorted(maps.Keys(a)) {
		n := a[key]
		v := value{key: key, text: n.Value, line: n.Line}
		switch key {
		case knPrefix + "minScale", knPrefix + "min-scale":
			c.MinInstances, err = v.int(file)
		case knPrefix + "maxScale", knPrefix + "max-scale":
			c.MaxInstances, err = v.int(file)
		case "run.googleapis.com/cpu-throttling":
			var throttled bool
			if throttled, err = v.bool(file); err == nil && !throttled {
				c.Price.Billing = "instance"
			}
		case "run.googleapis.com/startup-cpu-boost":
			c.StartupCPUBoost, err = v.bool(file)
		default:
			if strings.HasPrefix(key, knPrefix) {
				err = v.err(file, "Cloud Run does not take this Knative annotation")
			}
		}
		if err != nil {
			return "", nil, err
		}
	}
	if cc, ok, err := nodeInt(s.Spec.Template.Spec.ContainerConcurrency, file, "containerConcurrency"); err != nil {
		return "", nil, err
	} else if ok && cc > 0 {
		c.MaxConcurrency = cc
	}
	if ts, ok, err := nodeInt(s.Spec.Template.Spec.TimeoutSeconds, file, "timeoutSeconds"); err != nil {
		return "", nil, err
	} else if ok {
		c.RequestTimeout = seconds(ts)
	}
	if err := readLimits(s.Spec.Template.Spec.Containers, file, &c.Price); err != nil {
		return "", nil, err
	}
	if err := c.Validate(); err != nil {
		return "", nil, fmt.Errorf("nativecfg: %s: %w", file, err)
	}
	if err := c.Price.Validate(); err != nil {
		return "", nil, fmt.Errorf("nativecfg: %s: %w", file, err)
	}
	return s.Metadata.Name, c, nil
}

// readLimits reads containers[0].resources.limits.cpu and .memory.
func readLimits(containers yaml.Node, file string, p *scaletozero.CloudRunPrice) error {
	if containers.Kind != yaml.SequenceNode || len(containers.Content) == 0 {
		return nil
	}
	limits := child(child(containers.Content[0], "resources"), "limits")
	if n := child(limits, "cpu"); n != nil {
		v := value{key: "resources.limits.cpu", text: n.Value, line: n.Line}
		x, err := cpuQuantity(v.text)
		if err != nil {
			return v.err(file, "%s is not a CPU quantity like 1 or 1000m", quote(v.text))
		}
		p.VCPU = x
	}
	if n := child(limits, "memory"); n != nil {
		v := value{key: "resources.limits.memory", text: n.Value, line: n.Line}
		x, err := memoryGiB(v.text)
		if err != nil {
			return v.err(file, "%s is not a memory quantity like 512Mi or 2Gi", quote(v.text))
		}
		p.MemoryGiB = x
	}
	return nil
}

// child is the value of key in the mapping n, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// cpuQuantity reads a Kubernetes CPU quantity: "2", "0.5", "1000m".
func cpuQuantity(s string) (float64, error) {
	s = strings.TrimSpace(s)
	scale := 1.0
	if strings.HasSuffix(s, "m") {
		s, scale = strings.TrimSuffix(s, "m"), 1e-3
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x > 0) || x > 1e6 {
		return 0, fmt.Errorf("bad cpu")
	}
	return x * scale, nil
}

// memoryGiB reads a Kubernetes memory quantity in GiB: "512Mi", "2Gi",
// "1G", "1000M", or bytes.
func memoryGiB(s string) (float64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		bytes  float64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}}
	scale := 1.0
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, scale = strings.TrimSuffix(s, u.suffix), u.bytes
			break
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x > 0) || x*scale > 1<<50 {
		return 0, fmt.Errorf("bad memory")
	}
	return x * scale / (1 << 30), nil
}
