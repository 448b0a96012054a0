package scenario

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/boxes-project/boxes/awscfg"
	"github.com/boxes-project/boxes/policy/hpa"

	"github.com/boxes-project/boxes/manifest"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/schema"
)

// policyFile is one format of autoscaler config files: a test on the
// file's first bytes and a reader.
type policyFile struct {
	Name string
	Is   func(head []byte) bool
	Read func(data []byte, file string) ([]manifest.Named, error)
}

// policyFiles are the formats ReadPolicies tries, in order: the first whose
// test accepts the file's head reads it. A new format is one line here.
func policyFiles() []policyFile {
	return []policyFile{
		{"aws", isAWS, readAWS},
		{"kubernetes", isKubernetes, func(data []byte, file string) ([]manifest.Named, error) {
			return manifest.Read(bytes.NewReader(data), file)
		}},
	}
}

// isAWS: the JSON that aws application-autoscaling describe-scaling-policies
// or aws autoscaling describe-policies prints.
func isAWS(head []byte) bool { return bytes.Contains(head, []byte(`"ScalingPolicies"`)) }

// readAWS reads AWS scaling policies (package awscfg) as named policies.
func readAWS(data []byte, file string) ([]manifest.Named, error) {
	ns, err := awscfg.Read(data, file)
	if err != nil {
		return nil, err
	}
	out := make([]manifest.Named, len(ns))
	for i, n := range ns {
		out[i] = manifest.Named{Name: n.Name, Source: file, Kind: "AWS scaling policy", Config: n.Config}
	}
	return out, nil
}

// isKubernetes: a Kubernetes object (or List) in YAML or JSON, with its
// apiVersion; the manifest readers dispatch on apiVersion and kind.
func isKubernetes(head []byte) bool { return bytes.Contains(head, []byte("apiVersion")) }

// Policies read from one file are bounded like a manifest.
const maxPolicyFile = manifest.MaxBytes

// ReadPolicies reads a file of autoscaler configs (a Kubernetes
// HorizontalPodAutoscaler, v2 or v1, also in a List or several documents;
// a Knative or Cloud Run Service; a KEDA ScaledObject) into scenario
// policies, named by the objects' names, with the settings boxes
// understood: Echo lists them, for the user to check.
func ReadPolicies(path string) ([]Policy, []manifest.Named, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPolicyFile+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > maxPolicyFile {
		return nil, nil, fmt.Errorf("%s: larger than %d bytes", path, maxPolicyFile)
	}
	head := data[:min(len(data), 64<<10)]
	var formats []string
	for _, pf := range policyFiles() {
		formats = append(formats, pf.Name)
		if !pf.Is(head) {
			continue
		}
		named, err := pf.Read(data, path)
		if err != nil {
			return nil, nil, err
		}
		var out []Policy
		for _, n := range named {
			p, err := policyOf(n)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, p)
		}
		return out, named, nil
	}
	return nil, nil, fmt.Errorf("%s: not an autoscaler config boxes reads (want one of: %s)", path, strings.Join(formats, ", "))
}

// policyOf is a read policy as the scenario writes it: its kind is the
// table's name for its config type; a controller HPA becomes an hpa spec.
func policyOf(n manifest.Named) (Policy, error) {
	c := n.Config
	if h, ok := c.(hpa.HPA); ok {
		s, ok := hpa.SpecOf(h)
		if !ok {
			return Policy{}, fmt.Errorf("%s: %s: boxes cannot write this HPA as a scenario's hpa", n.Source, schema.Quote(n.Name))
		}
		c = &s
	}
	rv := reflect.ValueOf(c)
	if rv.Kind() != reflect.Pointer { // a value: its copy's address
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		c = p.Interface().(policy.Config)
	}
	for _, k := range PolicyKinds() {
		if reflect.TypeOf(k.New()) == reflect.TypeOf(c) {
			return Policy{Name: n.Name, Kind: k.Name, Config: c}, nil
		}
	}
	return Policy{}, fmt.Errorf("%s: %s: a %T is no policy kind of the scenario's", n.Source, schema.Quote(n.Name), c)
}

// expandManifests replaces each {manifest: FILE} entry by the policies read
// from FILE (abs makes its path absolute, beside the scenario). One object
// takes the entry's name when it has one; several are named
// entry-name/object-name.
func expandManifests(file string, ps []Policy, abs func(string) string) ([]Policy, []manifest.Named, error) {
	var out []Policy
	var read []manifest.Named
	for i, p := range ps {
		if p.Manifest == "" {
			out = append(out, p)
			continue
		}
		got, named, err := ReadPolicies(abs(p.Manifest))
		if err != nil {
			return nil, nil, fieldError(file, fmt.Sprintf("policies[%d].manifest", i), "%v", err)
		}
		for j := range got {
			switch {
			case p.Name != "" && len(got) == 1:
				got[j].Name = p.Name
			case p.Name != "":
				got[j].Name = p.Name + "/" + got[j].Name
			}
		}
		out = append(out, got...)
		read = append(read, named...)
	}
	return out, read, nil
}
