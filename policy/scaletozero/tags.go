package scaletozero

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/boxes-project/boxes"
)

// checkTags checks every field of the struct v against its own tags: min
// and max (inclusive unless exclusive says otherwise) for numbers and
// durations, enum for strings, finiteness for floats; nested structs and
// slices of structs are checked too. It reads the same declaration the
// project's schema code reads (DESIGN.md, "One schema per setting"), so a
// config is safe to Start before that code is merged; it can be replaced
// by the shared checker then.
func checkTags(kind string, v any) error {
	return checkValue(kind, "", reflect.ValueOf(v))
}

var durationType = reflect.TypeOf(time.Duration(0))

func checkValue(kind, prefix string, v reflect.Value) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		path := prefix + name
		fv := v.Field(i)
		switch {
		case f.Type == durationType:
			d := time.Duration(fv.Int())
			if err := bounds(f.Tag, float64(d), func(s string) (float64, error) {
				x, err := boxes.ParseDuration(s)
				return float64(x), err
			}); err != nil {
				return fmt.Errorf("policy: %s: %s %v %w", kind, path, d, err)
			}
		case f.Type.Kind() == reflect.Float64:
			x := fv.Float()
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("policy: %s: %s %g must be finite", kind, path, x)
			}
			if err := bounds(f.Tag, x, parseNumber); err != nil {
				return fmt.Errorf("policy: %s: %s %g %w", kind, path, x, err)
			}
		case f.Type.Kind() == reflect.Int:
			x := fv.Int()
			if err := bounds(f.Tag, float64(x), parseNumber); err != nil {
				return fmt.Errorf("policy: %s: %s %d %w", kind, path, x, err)
			}
		case f.Type.Kind() == reflect.String:
			if enum := f.Tag.Get("enum"); enum != "" && !slices.Contains(strings.Split(enum, ","), fv.String()) {
				s := fv.String()
				if len(s) > 40 {
					s = s[:40] + "…"
				}
				return fmt.Errorf("policy: %s: %s %q must be one of %s", kind, path, s, enum)
			}
		case f.Type.Kind() == reflect.Struct:
			if err := checkValue(kind, path+".", fv); err != nil {
				return err
			}
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			for j := range fv.Len() {
				if err := checkValue(kind, fmt.Sprintf("%s[%d].", path, j), fv.Index(j)); err != nil {
					return err
				}
			}
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct:
			if !fv.IsNil() {
				if err := checkValue(kind, path+".", fv.Elem()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func parseNumber(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// bounds checks x against the tag's min and max.
func bounds(tag reflect.StructTag, x float64, parse func(string) (float64, error)) error {
	ex := strings.Split(tag.Get("exclusive"), ",")
	if s := tag.Get("min"); s != "" {
		lo, err := parse(s)
		if err != nil {
			return fmt.Errorf("has a bad min tag %q: %w", s, err)
		}
		if x < lo || x == lo && slices.Contains(ex, "min") {
			rel := "at least"
			if slices.Contains(ex, "min") {
				rel = "above"
			}
			return fmt.Errorf("must be %s %s", rel, s)
		}
	}
	if s := tag.Get("max"); s != "" {
		hi, err := parse(s)
		if err != nil {
			return fmt.Errorf("has a bad max tag %q: %w", s, err)
		}
		if x > hi || x == hi && slices.Contains(ex, "max") {
			rel := "at most"
			if slices.Contains(ex, "max") {
				rel = "below"
			}
			return fmt.Errorf("must be %s %s", rel, s)
		}
	}
	return nil
}
