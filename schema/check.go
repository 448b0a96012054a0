package schema

import (
	"fmt"
	"math"
	"reflect"
)

// Check checks every setting of the struct v (or *v) against its tags, as
// decoding checks each value it reads: bounds, enum, finite numbers; in
// nested structs, pointers to structs and slices too. It is for configs
// made in code (a Default function's, a native config reader's). The
// error names the setting's path: "behavior.scaleUp.policies[0].value 0:
// want a value of at least 1".
func Check(v any) error { return checkStruct(reflect.Indirect(reflect.ValueOf(v)), "") }

func checkStruct(rv reflect.Value, path string) error {
	if rv.Kind() != reflect.Struct || isScalarType(rv.Type()) {
		return nil
	}
	for _, f := range structFields(rv.Type()) {
		if err := checkField(rv.FieldByIndex(f.index), join(path, f.name), &f.tags); err != nil {
			return err
		}
	}
	return nil
}

func checkField(fv reflect.Value, path string, t *tags) error {
	switch {
	case fv.Kind() == reflect.Pointer:
		if fv.IsNil() {
			return nil
		}
		return checkField(fv.Elem(), path, t)
	case fv.Kind() == reflect.Slice:
		for i := range fv.Len() {
			if err := checkField(fv.Index(i), fmt.Sprintf("%s[%d]", path, i), t); err != nil {
				return err
			}
		}
		return nil
	case fv.Kind() == reflect.Struct && !isScalarType(fv.Type()):
		return checkStruct(fv, path)
	}
	value := fmt.Sprint(fv.Interface())
	if n, err := encode(fv, t.unit); err == nil && n != nil {
		value = n.Value
	}
	if fv.CanFloat() && (math.IsNaN(fv.Float()) || math.IsInf(fv.Float(), 0)) {
		return fmt.Errorf("%s %g: want a finite number", path, fv.Float())
	}
	if msg := t.check(fv); msg != "" {
		return fmt.Errorf("%s %s: %s", path, Quote(value), msg)
	}
	return nil
}
