package measure

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
)

// TestDefaultTags: each Limits field's default tag, read the way a user
// writes it, is DefaultLimits' value (one declaration per setting), and the
// defaults are valid.
func TestDefaultTags(t *testing.T) {
	def := reflect.ValueOf(DefaultLimits())
	typ := def.Type()
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("default")
		var got any
		var err error
		switch f.Type {
		case reflect.TypeFor[time.Duration]():
			got, err = boxes.ParseDuration(tag)
		case reflect.TypeFor[boxes.Rate]():
			got, err = boxes.ParseRate(tag)
		case reflect.TypeFor[int]():
			got, err = strconv.Atoi(tag)
		case reflect.TypeFor[float64]():
			got, err = strconv.ParseFloat(tag, 64)
		default:
			t.Fatalf("%s: no test for type %v", f.Name, f.Type)
		}
		if err != nil || got != def.Field(i).Interface() {
			t.Errorf("%s: default tag %q reads as %v (%v), DefaultLimits has %v", f.Name, tag, got, err, def.Field(i).Interface())
		}
		if f.Tag.Get("yaml") == "" || f.Tag.Get("doc") == "" {
			t.Errorf("%s: missing yaml or doc tag", f.Name)
		}
	}
	if err := DefaultLimits().Validate(); err != nil {
		t.Error(err)
	}
}
