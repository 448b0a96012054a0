package scenario

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
)

// Error is a problem with a scenario file, at a line and column, in a field
// named by its path ("policies[2].hpa.target").
type Error struct {
	File         string
	Line, Column int
	Field        string
	Err          error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("scenario: ")
	if e.File != "" {
		b.WriteString(e.File)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	if e.File != "" || e.Line > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// decoder walks a YAML document by hand so that every error names its line,
// column and field, and every unknown field is rejected.
type decoder struct {
	file string
}

func (d *decoder) errorf(n *yaml.Node, field, format string, args ...any) error {
	e := &Error{File: d.file, Field: field, Err: fmt.Errorf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

func (d *decoder) wrap(n *yaml.Node, field string, err error) error {
	e := &Error{File: d.file, Field: field, Err: err}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

// fields is a mapping's values by key, in a form that remembers which were
// read, so that the rest can be reported as unknown.
type fields struct {
	node  *yaml.Node
	path  string
	keys  map[string]*yaml.Node
	order []string
}

// mapping reads n as a mapping whose keys must all be in known.
func (d *decoder) mapping(n *yaml.Node, path string, known ...string) (*fields, error) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return nil, d.errorf(n, path, "want a mapping of fields, got %s", describe(n))
	}
	f := &fields{node: n, path: path, keys: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		if _, dup := f.keys[name]; dup {
			return nil, d.errorf(k, join(path, name), "appears twice")
		}
		if !contains(known, name) {
			return nil, d.errorf(k, join(path, name), "unknown field (known: %s)", strings.Join(sorted(known), ", "))
		}
		f.keys[name] = v
		f.order = append(f.order, name)
	}
	return f, nil
}

func (f *fields) get(name string) (*yaml.Node, string, bool) {
	n, ok := f.keys[name]
	return n, join(f.path, name), ok
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sorted(list []string) []string {
	out := append([]string(nil), list...)
	sort.Strings(out)
	return out
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return resolve(n.Alias)
	}
	return n
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

// scalar reads n as a single value.
func (d *decoder) scalar(n *yaml.Node, path string) (string, error) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		return "", d.errorf(n, path, "want a single value, got %s", describe(n))
	}
	return strings.TrimSpace(n.Value), nil
}

// field reads the named scalar of f with parse into dst; a missing field
// leaves dst as it is. A value that does not parse is reported at its line
// and column, in the field's path.
func field[T any](d *decoder, f *fields, name string, dst *T, parse func(string) (T, error)) error {
	n, path, ok := f.get(name)
	if !ok {
		return nil
	}
	s, err := d.scalar(n, path)
	if err != nil {
		return err
	}
	v, err := parse(s)
	if err != nil {
		return d.wrap(n, path, err)
	}
	*dst = v
	return nil
}

func (d *decoder) str(f *fields, name string, dst *string) error {
	return field(d, f, name, dst, func(s string) (string, error) { return s, nil })
}

func (d *decoder) duration(f *fields, name string, dst *time.Duration) error {
	return field(d, f, name, dst, boxes.ParseDuration)
}

func (d *decoder) rate(f *fields, name string, dst *float64) error {
	return field(d, f, name, dst, func(s string) (float64, error) {
		r, err := boxes.ParseRate(s)
		return float64(r), err
	})
}

func (d *decoder) price(f *fields, name string, dst *boxes.Price) error {
	return field(d, f, name, dst, boxes.ParsePrice)
}

// float reads a finite number; "80%" is 0.8.
func (d *decoder) float(f *fields, name string, dst *float64) error {
	return field(d, f, name, dst, func(s string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%q is not a finite number", s)
		}
		if strings.HasSuffix(s, "%") {
			v /= 100
		}
		return v, nil
	})
}

func (d *decoder) integer(f *fields, name string, dst *int) error {
	return field(d, f, name, dst, func(s string) (int, error) {
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", s)
		}
		return v, nil
	})
}

func (d *decoder) boolean(f *fields, name string, dst *bool) error {
	return field(d, f, name, dst, func(s string) (bool, error) {
		switch strings.ToLower(s) {
		case "true", "yes", "on":
			return true, nil
		case "false", "no", "off":
			return false, nil
		}
		return false, fmt.Errorf("%q is not true or false", s)
	})
}

// seed reads a whole number ≥ 0.
func (d *decoder) seed(f *fields, name string, dst *uint64) error {
	return field(d, f, name, dst, func(s string) (uint64, error) {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number ≥ 0", s)
		}
		return v, nil
	})
}

// list reads n as a sequence.
func (d *decoder) list(n *yaml.Node, path string) ([]*yaml.Node, error) {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		return nil, d.errorf(n, path, "want a list, got %s", describe(n))
	}
	return n.Content, nil
}

// clock reads a time of day ("12:00", "08:30:15") as seconds after midnight,
// or a duration ("12h") as seconds.
func parseClock(s string) (float64, error) {
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, fmt.Errorf("bad time of day %q (want HH:MM or HH:MM:SS)", s)
		}
		total := 0.0
		scale := []float64{3600, 60, 1}
		for i, p := range parts {
			v, err := strconv.ParseFloat(p, 64)
			if err != nil || v < 0 || (i > 0 && v >= 60) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("bad time of day %q (want HH:MM or HH:MM:SS)", s)
			}
			total += v * scale[i]
		}
		if total > 48*3600 {
			return 0, fmt.Errorf("time of day %q is beyond 48:00", s)
		}
		return total, nil
	}
	v, err := boxes.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	return v.Seconds(), nil
}

// require reports the first of names missing from f.
func (d *decoder) require(f *fields, names ...string) error {
	for _, name := range names {
		if _, _, ok := f.get(name); !ok {
			return d.errorf(f.node, join(f.path, name), "missing")
		}
	}
	return nil
}
