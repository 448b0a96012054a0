// Package nativecfg reads the autoscaler configurations people already have,
// in their own formats, into boxes' policy kinds: a Knative Service
// (serving.knative.dev/v1) with its autoscaling.knative.dev/* annotations,
// a KEDA ScaledObject or ScaledJob (keda.sh/v1alpha1), and a Cloud Run service as
// `gcloud run services describe --format yaml` prints it (a Knative
// Service with run.googleapis.com/* annotations).
//
// Each reader decodes one YAML document strictly into minimal structs that
// mirror the API's fields: a field the API does not have is an error with
// its file and line, fields boxes does not model but that do not change
// scaling (images, env, probes, status) are read and ignored, and a
// setting that changes scaling in a way boxes cannot model is refused.
// Settings the file does not give keep the platform's defaults.
//
// Readers are bounded: a document above MaxBytes is refused.
package nativecfg

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
)

// MaxBytes bounds one manifest: 1 MiB, Kubernetes' own limit on an object
// stored in etcd is 1.5 MiB and autoscaler manifests are a few kilobytes.
const MaxBytes = 1 << 20

// decode reads data strictly into v: one document, no unknown field, errors
// as file:line.
func decode(data []byte, file string, v any) error {
	if len(data) > MaxBytes {
		return fmt.Errorf("nativecfg: %s: %d bytes, more than the limit of %d", file, len(data), MaxBytes)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return yamlError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return fmt.Errorf("nativecfg: %s:%d: a second document; give one object per file", file, extra.Line)
	}
	return nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError turns yaml.v3's messages into file:line ones.
func yamlError(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		return fmt.Errorf("nativecfg: %s:%s", file, lineMessage(te.Errors[0]))
	}
	return fmt.Errorf("nativecfg: %s:%s", file, lineMessage(err.Error()))
}

func lineMessage(s string) string {
	if m := yamlLine.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		return m[1] + ": " + m[2]
	}
	return " " + s
}

// ObjectMeta mirrors the parts of Kubernetes' ObjectMeta a manifest
// carries; only Name and Annotations are used.
type ObjectMeta struct {
	Name              string               `yaml:"name"`
	GenerateName      string               `yaml:"generateName"`
	Namespace         string               `yaml:"namespace"`
	Annotations       map[string]yaml.Node `yaml:"annotations"`
	Labels            yaml.Node            `yaml:"labels"`
	UID               yaml.Node            `yaml:"uid"`
	ResourceVersion   yaml.Node            `yaml:"resourceVersion"`
	Generation        yaml.Node            `yaml:"generation"`
	CreationTimestamp yaml.Node            `yaml:"creationTimestamp"`
	DeletionTimestamp yaml.Node            `yaml:"deletionTimestamp"`
	SelfLink          yaml.Node            `yaml:"selfLink"`
	ManagedFields     yaml.Node            `yaml:"managedFields"`
	Finalizers        yaml.Node            `yaml:"finalizers"`
	OwnerReferences   yaml.Node            `yaml:"ownerReferences"`
}

// value is one string-valued setting with where it was written.
type value struct {
	key  string
	text string
	line int
}

func (v value) err(file, format string, args ...any) error {
	return fmt.Errorf("nativecfg: %s:%d: %s: %s", file, v.line, v.key, fmt.Sprintf(format, args...))
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}

// annotation returns the annotation's value; ok is false when it is absent.
func annotation(m map[string]yaml.Node, keys ...string) (v value, ok bool) {
	for _, k := range keys {
		if n, found := m[k]; found {
			return value{key: k, text: n.Value, line: n.Line}, true
		}
	}
	return value{}, false
}

func (v value) float(file string) (float64, error) {
	x, err := strconv.ParseFloat(strings.TrimSpace(v.text), 64)
	if err != nil || x != x || x > 1e15 || x < -1e15 {
		return 0, v.err(file, "%s is not a finite number", quote(v.text))
	}
	return x, nil
}

func (v value) int(file string) (int, error) {
	x, err := strconv.Atoi(strings.TrimSpace(v.text))
	if err != nil {
		return 0, v.err(file, "%s is not a whole number", quote(v.text))
	}
	return x, nil
}

func (v value) bool(file string) (bool, error) {
	x, err := strconv.ParseBool(strings.TrimSpace(v.text))
	if err != nil {
		return false, v.err(file, "%s is not true or false", quote(v.text))
	}
	return x, nil
}

// duration reads a Go duration ("60s", "1m30s"), the form Knative parses
// with time.ParseDuration, through boxes.ParseDuration.
func (v value) duration(file string) (time.Duration, error) {
	d, err := boxes.ParseDuration(v.text)
	if err != nil || d < 0 {
		return 0, v.err(file, "%s is not a duration like 60s", quote(v.text))
	}
	return d, nil
}

// seconds is n whole seconds.
func seconds(n int) time.Duration { return time.Duration(n) * time.Second }
