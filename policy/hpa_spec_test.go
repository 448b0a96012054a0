package policy

import (
	"reflect"
	"testing"

	"github.com/boxes-project/boxes/schema"
)

// TestHPASpecDefaults: the scenario's HPA settings default to what
// DefaultHPA says Kubernetes v1.35 defaults (hpa.go cites each source),
// with a behavior block or without one (the legacy path).
func TestHPASpecDefaults(t *testing.T) {
	var s HPASpec
	if err := schema.SetDefaults(&s); err != nil {
		t.Fatal(err)
	}
	legacy := DefaultHPA()
	legacy.Legacy = true
	if got := s.HPA(); !reflect.DeepEqual(got, legacy) {
		t.Errorf("without behavior:\n got %+v\nwant %+v", got, legacy)
	}
	b := defaultBehavior()
	s.Behavior = &b
	if got := s.HPA(); !reflect.DeepEqual(got, DefaultHPA()) {
		t.Errorf("with behavior: {}:\n got %+v\nwant %+v", got, DefaultHPA())
	}
	// Fixed's and Serverless's defaults are their tags' (DefaultFixed and
	// DefaultServerless read them); Target needs its utilization.
	if f := DefaultFixed(); f != (Fixed{Utilization: 0.8, At: Peak}) {
		t.Errorf("DefaultFixed %+v", f)
	}
}
