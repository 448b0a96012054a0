package schema

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Kind is one registered kind of a family: its name (the key a document
// writes it under), a doc line, and New, which returns a pointer to a fresh
// value with its constructor's settings (the defaults of its tags are applied
// on top).
type Kind struct {
	Name string
	Doc  string
	New  func() any
}

// Family is a closed set of kinds: policy kinds, workload shapes. A new kind
// is one line in its family's table.
type Family []Kind

// Lookup finds a kind by name.
func (f Family) Lookup(name string) (Kind, bool) {
	for _, k := range f {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Names lists the kinds' names in the table's order.
func (f Family) Names() []string {
	out := make([]string, len(f))
	for i, k := range f {
		out[i] = k.Name
	}
	return out
}

// Has reports whether name is a kind of f.
func (f Family) Has(name string) bool { _, ok := f.Lookup(name); return ok }

// DecodeKind reads the body of kind name at path: a fresh value from the
// kind's constructor with n's settings.
func (f Family) DecodeKind(d *Decoder, name string, n *yaml.Node, path string) (any, error) {
	k, ok := f.Lookup(name)
	if !ok {
		return nil, d.Errorf(n, path, "unknown kind %s (want one of %s)", Quote(name), strings.Join(f.Names(), ", "))
	}
	v := k.New()
	if err := d.Decode(n, v, path); err != nil {
		return nil, err
	}
	return v, nil
}

// OneKey reads a mapping of exactly one key that names a kind of f, as
// `{sum: [...]}`; it returns the kind's name, its body and the key's node.
func (f Family) OneKey(d *Decoder, n *yaml.Node, path string) (string, *yaml.Node, error) {
	n = Resolve(n)
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return "", nil, d.Errorf(n, path, "want exactly one of %s", strings.Join(f.Names(), ", "))
	}
	k := Resolve(n.Content[0])
	if !f.Has(k.Value) {
		e := d.Errorf(k, path, "unknown kind (want one of %s)", strings.Join(f.Names(), ", "))
		return "", nil, e
	}
	return k.Value, n.Content[1], nil
}

// List lists every kind's settings under prefix.kind.
func (f Family) List(prefix string) []Setting {
	var out []Setting
	for _, k := range f {
		out = append(out, ListValue(k.New(), join(prefix, k.Name), k.Name)...)
	}
	return out
}

// KindError is an error naming a kind that is not in a family.
func KindError(what, name string, f Family) error {
	return fmt.Errorf("unknown %s %s (want one of %s)", what, Quote(name), strings.Join(f.Names(), ", "))
}
