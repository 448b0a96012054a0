package schema

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Decoder reads nodes into values; File names the document in errors.
type Decoder struct {
	File string
	// Pos, when not nil, records where each setting read was: its path's
	// line and column, for errors found after decoding.
	Pos map[string][2]int
}

// Decode reads the document n into v, a pointer: v's defaults are applied
// first, then every setting n gives; unknown settings, settings out of
// bounds and rules a Validate method refuses are errors (*FieldError).
func Decode(file string, n *yaml.Node, v any) error {
	_, err := DecodePos(file, n, v)
	return err
}

// DecodePos is Decode that also returns where each setting was.
func DecodePos(file string, n *yaml.Node, v any) (map[string][2]int, error) {
	if CountNodes(n, MaxNodes) > MaxNodes {
		return nil, &FieldError{File: file, Want: ErrTooManyNodes.Error(), Err: ErrTooManyNodes}
	}
	d := &Decoder{File: file, Pos: map[string][2]int{}}
	return d.Pos, d.Decode(n, v, "")
}

// Decode reads n into v (a pointer) at path, applying v's defaults first.
func (d *Decoder) Decode(n *yaml.Node, v any, path string) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("schema: decode into %T, not a pointer", v)
	}
	if err := SetDefaults(v); err != nil {
		return err
	}
	return d.value(n, rv.Elem(), path, &tags{})
}

// Errorf is a FieldError at n.
func (d *Decoder) Errorf(n *yaml.Node, path, format string, args ...any) *FieldError {
	e := &FieldError{File: d.File, Field: path, Want: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
		if n.Kind == yaml.ScalarNode {
			e.Value = Quote(n.Value)
		}
	}
	return e
}

// Wrap is err as a FieldError at n; a FieldError is returned as it is.
func (d *Decoder) Wrap(n *yaml.Node, path string, err error) error {
	if fe, ok := err.(*FieldError); ok {
		return fe
	}
	e := d.Errorf(n, path, "%s", err.Error())
	e.Value = ""
	e.Err = err
	return e
}

// Resolve follows documents and aliases to the node that holds a value.
func Resolve(n *yaml.Node) *yaml.Node {
	for n != nil {
		switch {
		case n.Kind == yaml.DocumentNode && len(n.Content) == 1:
			n = n.Content[0]
		case n.Kind == yaml.AliasNode && n.Alias != nil:
			n = n.Alias
		default:
			return n
		}
	}
	return n
}

// IsNull reports whether n is YAML's null ("~", "null" or nothing).
func IsNull(n *yaml.Node) bool {
	n = Resolve(n)
	return n == nil || n.Kind == 0 || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// Describe names what n is, for errors.
func Describe(n *yaml.Node) string {
	switch Resolve(n).Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	}
	return "nothing"
}

var (
	unmarshalerType = reflect.TypeFor[Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (d *Decoder) value(n *yaml.Node, rv reflect.Value, path string, t *tags) error {
	n = Resolve(n)
	if d.Pos != nil && n != nil {
		d.Pos[path] = [2]int{n.Line, n.Column}
	}
	if rv.CanAddr() && rv.Addr().Type().Implements(unmarshalerType) {
		return rv.Addr().Interface().(Unmarshaler).UnmarshalSchema(d, n, path)
	}
	switch {
	case rv.Kind() == reflect.Pointer:
		if IsNull(n) {
			rv.SetZero()
			return nil
		}
		p := reflect.New(rv.Type().Elem())
		if err := setDefaults(p.Elem()); err != nil {
			return err
		}
		if err := d.value(n, p.Elem(), path, t); err != nil {
			return err
		}
		rv.Set(p)
		return nil
	case rv.Kind() == reflect.Struct && !isScalarType(rv.Type()):
		return d.structValue(n, rv, path)
	case rv.Kind() == reflect.Slice:
		return d.sliceValue(n, rv, path, t)
	}
	if n.Kind != yaml.ScalarNode || IsNull(n) {
		return d.Errorf(n, path, "want %s, got %s", want(rv.Type(), t), Describe(n))
	}
	v, err := parseScalar(rv.Type(), t.unit, n.Value)
	if err != nil {
		return d.Errorf(n, path, "want %s", want(rv.Type(), t))
	}
	if msg := t.check(v); msg != "" {
		return d.Errorf(n, path, "%s", msg)
	}
	rv.Set(v)
	return nil
}

func (d *Decoder) sliceValue(n *yaml.Node, rv reflect.Value, path string, t *tags) error {
	if IsNull(n) {
		rv.SetZero()
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return d.Errorf(n, path, "want a list, got %s", Describe(n))
	}
	if len(n.Content) == 0 {
		rv.SetZero()
		return nil
	}
	out := reflect.MakeSlice(rv.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		el := out.Index(i)
		if err := setDefaults(el); err != nil {
			return err
		}
		et := *t
		et.required = false
		if err := d.value(item, el, fmt.Sprintf("%s[%d]", path, i), &et); err != nil {
			return err
		}
	}
	rv.Set(out)
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (d *Decoder) structValue(n *yaml.Node, rv reflect.Value, path string) error {
	fields := structFields(rv.Type())
	switch {
	case IsNull(n):
		// "behavior:" or "serverless: ~": every setting at its default.
	case n.Kind == yaml.ScalarNode:
		f := shortField(fields)
		if f == nil {
			return d.Errorf(n, path, "want a mapping of %s, got a single value", strings.Join(names(fields), ", "))
		}
		if err := d.value(n, rv.FieldByIndex(f.index), join(path, f.name), &f.tags); err != nil {
			return err
		}
	case n.Kind == yaml.MappingNode:
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := Resolve(n.Content[i]), n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return d.Errorf(k, path, "want a field name, got %s", Describe(k))
			}
			fp := join(path, k.Value)
			if seen[k.Value] {
				return d.Errorf(k, fp, "appears twice")
			}
			seen[k.Value] = true
			f := findField(fields, k.Value)
			if f == nil {
				e := d.Errorf(k, fp, "unknown field (known: %s)", strings.Join(sortedNames(fields), ", "))
				e.Value = ""
				return e
			}
			if err := d.value(v, rv.FieldByIndex(f.index), fp, &f.tags); err != nil {
				return err
			}
		}
		for _, f := range fields {
			if !seen[f.name] && (f.required || needsSome(f.typ)) {
				return d.Errorf(n, join(path, f.name), "missing: %s", f.doc)
			}
		}
	default:
		return d.Errorf(n, path, "want a mapping of %s, got %s", strings.Join(names(fields), ", "), Describe(n))
	}
	if err := validate(rv); err != nil {
		return d.Wrap(n, path, err)
	}
	return nil
}

type validator interface{ Validate() error }

func validate(rv reflect.Value) error {
	if v, ok := rv.Interface().(validator); ok {
		return v.Validate()
	}
	if rv.CanAddr() {
		if v, ok := rv.Addr().Interface().(validator); ok {
			return v.Validate()
		}
	}
	return nil
}

// SetDefaults sets every field of *v that has a default tag to its default,
// in nested structs too.
func SetDefaults(v any) error { return setDefaults(reflect.ValueOf(v).Elem()) }

func setDefaults(rv reflect.Value) error {
	if rv.Kind() != reflect.Struct || isScalarType(rv.Type()) {
		return nil
	}
	for _, f := range structFields(rv.Type()) {
		fv := rv.FieldByIndex(f.index)
		if f.hasDefault {
			v, err := parseScalar(fv.Type(), f.unit, f.def)
			if err != nil {
				return fmt.Errorf("schema: %s.%s: default %q: %w", rv.Type(), f.name, f.def, err)
			}
			fv.Set(v)
			continue
		}
		if fv.Kind() == reflect.Struct {
			if err := setDefaults(fv); err != nil {
				return err
			}
		}
	}
	return nil
}

// field is one setting of a struct: its tags and where it is.
type field struct {
	tags
	index []int
	typ   reflect.Type
}

type tags struct {
	name                string
	required, short     bool
	hasDefault          bool
	def, min, max, unit string
	exclusiveMin, exMax bool
	enum                []string
	doc                 string
	hasMin, hasMax      bool
	minValue, maxValue  reflect.Value
	boundType           reflect.Type
}

func structFields(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("yaml")
		if !ok || tag == "-" || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts == "inline" {
			for _, f := range structFields(sf.Type) {
				f.index = append([]int{i}, f.index...)
				out = append(out, f)
			}
			continue
		}
		f := field{index: []int{i}, typ: sf.Type}
		f.name = name
		for _, o := range strings.Split(opts, ",") {
			f.required = f.required || o == "required"
			f.short = f.short || o == "short"
		}
		f.def, f.hasDefault = sf.Tag.Lookup("default")
		f.min, f.hasMin = sf.Tag.Lookup("min")
		f.max, f.hasMax = sf.Tag.Lookup("max")
		ex := sf.Tag.Get("exclusive")
		f.exclusiveMin = strings.Contains(ex, "min")
		f.exMax = strings.Contains(ex, "max")
		if e := sf.Tag.Get("enum"); e != "" {
			f.enum = strings.Split(e, ",")
		}
		f.doc = sf.Tag.Get("doc")
		f.unit = sf.Tag.Get("unit")
		bt := sf.Type
		if bt.Kind() == reflect.Pointer || bt.Kind() == reflect.Slice {
			bt = bt.Elem()
		}
		f.boundType = bt
		if f.hasMin {
			f.minValue, _ = parseScalar(bt, f.unit, f.min)
		}
		if f.hasMax {
			f.maxValue, _ = parseScalar(bt, f.unit, f.max)
		}
		out = append(out, f)
	}
	return out
}

func findField(fields []field, name string) *field {
	for i := range fields {
		if fields[i].name == name {
			return &fields[i]
		}
	}
	return nil
}

func shortField(fields []field) *field {
	for i := range fields {
		if fields[i].short {
			return &fields[i]
		}
	}
	return nil
}

func names(fields []field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.name
	}
	return out
}

func sortedNames(fields []field) []string {
	out := names(fields)
	slices.Sort(out)
	return out
}

// check reports why v is out of the setting's bounds or enum, or "".
func (t *tags) check(v reflect.Value) string {
	if len(t.enum) > 0 && v.Kind() == reflect.String {
		s := v.String()
		if !(s == "" && t.hasDefault && t.def == "") && !slices.Contains(t.enum, s) {
			return "want one of " + strings.Join(t.enum, ", ")
		}
	}
	lo, hi := t.hasMin && t.minValue.IsValid(), t.hasMax && t.maxValue.IsValid()
	if !lo && !hi {
		return ""
	}
	c := func(b reflect.Value) int { return compare(v, b) }
	badLo := lo && (c(t.minValue) < 0 || t.exclusiveMin && c(t.minValue) == 0)
	badHi := hi && (c(t.maxValue) > 0 || t.exMax && c(t.maxValue) == 0)
	if badLo || badHi {
		return "want " + t.rangeText()
	}
	return ""
}

// rangeText says the bounds: "at least 0s", "in [1, 10000]", "in (0, 1]".
func (t *tags) rangeText() string {
	switch {
	case t.hasMin && t.hasMax:
		l, r := "[", "]"
		if t.exclusiveMin {
			l = "("
		}
		if t.exMax {
			r = ")"
		}
		return fmt.Sprintf("a value in %s%s, %s%s", l, t.min, t.max, r)
	case t.hasMin && t.exclusiveMin:
		return "a value above " + t.min
	case t.hasMin:
		return "a value of at least " + t.min
	case t.hasMax && t.exMax:
		return "a value below " + t.max
	case t.hasMax:
		return "a value of at most " + t.max
	}
	return ""
}

// want says what a setting of type rt takes.
func want(rt reflect.Type, t *tags) string {
	s := example(rt, t.unit)
	if len(t.enum) > 0 {
		s = "one of " + strings.Join(t.enum, ", ")
	}
	if r := t.rangeText(); r != "" {
		s += ", " + r
	}
	return s
}

// needsSome reports whether a struct left out entirely would miss a
// required setting of its own.
func needsSome(t reflect.Type) bool {
	if t.Kind() != reflect.Struct || isScalarType(t) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return false
	}
	for _, f := range structFields(t) {
		if f.required || needsSome(f.typ) {
			return true
		}
	}
	return false
}
