package schema

import (
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Setting is one setting as the reference lists it.
type Setting struct {
	Path         string   `json:"path"` // box.boot; policies[].hpa.target
	Type         string   `json:"type"` // duration, rate, price, memory, number, integer, boolean, text, time…
	Default      string   `json:"default,omitempty"`
	Min          string   `json:"min,omitempty"`
	Max          string   `json:"max,omitempty"`
	ExclusiveMin bool     `json:"exclusive_min,omitempty"`
	ExclusiveMax bool     `json:"exclusive_max,omitempty"`
	Enum         []string `json:"enum,omitempty"`
	Required     bool     `json:"required,omitempty"`
	Doc          string   `json:"doc,omitempty"`
	// Kind is the kind a setting belongs to, when it is part of one
	// ("hpa"); empty for settings of the document itself.
	Kind string `json:"kind,omitempty"`
}

// Range says the setting's bounds in words ("in [1, 10000]"), or "".
func (s Setting) Range() string {
	t := tags{min: s.Min, max: s.Max, hasMin: s.Min != "", hasMax: s.Max != "", exclusiveMin: s.ExclusiveMin, exMax: s.ExclusiveMax}
	return strings.TrimPrefix(strings.TrimPrefix(t.rangeText(), "a value "), "of ")
}

var listerType = reflect.TypeFor[Lister]()

// List lists the settings of *v, a value as its constructor makes it (its
// defaults are applied first): every leaf setting with its path, type,
// default, bounds and doc line; kinds list each of their kinds' settings.
func List(v any) []Setting {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		_ = setDefaults(rv.Elem())
		rv = rv.Elem()
	}
	return list(rv, "", "")
}

// ListValue lists the settings of a fresh value, for Listers that list
// their kinds: prefix goes before every path.
func ListValue(v any, prefix, kind string) []Setting {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		_ = setDefaults(rv.Elem())
		rv = rv.Elem()
	}
	out := list(rv, prefix, kind)
	if len(out) == 0 && prefix != "" {
		out = append(out, Setting{Path: prefix, Type: typeName(rv.Type(), ""), Kind: kind})
	}
	return out
}

func list(rv reflect.Value, prefix, kind string) []Setting {
	t := rv.Type()
	if reflect.PointerTo(t).Implements(listerType) {
		p := reflect.New(t)
		p.Elem().Set(rv)
		return p.Interface().(Lister).ListSchema(prefix)
	}
	if t.Kind() != reflect.Struct || isScalarType(t) {
		return nil
	}
	var out []Setting
	for _, f := range structFields(t) {
		fv := rv.FieldByIndex(f.index)
		path := join(prefix, f.name)
		ft := f.typ
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
			fv = reflect.New(ft).Elem()
			_ = setDefaults(fv)
		}
		if ft.Kind() == reflect.Slice && !isScalarType(ft.Elem()) {
			el := reflect.New(ft.Elem()).Elem()
			_ = setDefaults(el)
			out = append(out, list(el, path+"[]", kind)...)
			continue
		}
		if reflect.PointerTo(ft).Implements(listerType) || ft.Kind() == reflect.Struct && !isScalarType(ft) {
			out = append(out, list(fv, path, kind)...)
			continue
		}
		s := Setting{Path: path, Type: typeName(ft, f.unit), Doc: f.doc, Enum: f.enum, Required: f.required, Kind: kind,
			Min: f.min, Max: f.max, ExclusiveMin: f.exclusiveMin, ExclusiveMax: f.exMax}
		if _, named := reflect.New(ft).Interface().(interface{ SchemaType() string }); ft.Kind() == reflect.Slice && !named {
			s.Type = "list of " + typeName(ft.Elem(), f.unit)
		}
		switch {
		case f.hasDefault:
			s.Default = f.def
		case !f.required && f.typ.Kind() != reflect.Pointer:
			if n, err := encode(fv, f.unit); err == nil && n != nil && n.Kind == yaml.ScalarNode {
				s.Default = n.Value
			}
		}
		out = append(out, s)
	}
	return out
}
