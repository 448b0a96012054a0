package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	"go.yaml.in/yaml/v3"
)

var marshalerType = reflect.TypeFor[Marshaler]()

// Encode writes v as a document in the user's notation, every setting
// included (nil pointers are left out: for them absence means something).
func Encode(v any) (*yaml.Node, error) {
	return encode(reflect.ValueOf(v), "")
}

// EncodeValue is Encode for a part of a document, for Marshalers that write
// their parts.
func EncodeValue(v any) (*yaml.Node, error) { return Encode(v) }

func encode(rv reflect.Value, unit string) (*yaml.Node, error) {
	if rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, nil
		}
		rv = rv.Elem()
	}
	if rv.Type().Implements(marshalerType) {
		if rv.Kind() == reflect.Pointer && rv.IsNil() {
			return nil, nil
		}
		return rv.Interface().(Marshaler).MarshalSchema()
	}
	if rv.CanAddr() && rv.Addr().Type().Implements(marshalerType) {
		return rv.Addr().Interface().(Marshaler).MarshalSchema()
	}
	if rv.Kind() != reflect.Pointer && reflect.PointerTo(rv.Type()).Implements(marshalerType) {
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		return p.Interface().(Marshaler).MarshalSchema()
	}
	switch {
	case rv.Kind() == reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		return encode(rv.Elem(), unit)
	case rv.Kind() == reflect.Struct && !isScalarType(rv.Type()):
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, f := range structFields(rv.Type()) {
			n, err := encode(rv.FieldByIndex(f.index), f.unit)
			if err != nil {
				return nil, err
			}
			if n == nil {
				continue
			}
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.name}, n)
		}
		return m, nil
	case rv.Kind() == reflect.Slice:
		s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i := range rv.Len() {
			n, err := encode(rv.Index(i), unit)
			if err != nil {
				return nil, err
			}
			s.Content = append(s.Content, n)
		}
		return s, nil
	}
	s, tag, err := formatScalar(rv, unit)
	if err != nil {
		return nil, err
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}, nil
}

// Mapping builds a mapping node of key and value pairs, leaving out nil
// values.
func Mapping(pairs ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(pairs); i += 2 {
		v, _ := pairs[i+1].(*yaml.Node)
		if v == nil {
			continue
		}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: pairs[i].(string)}, v)
	}
	return m
}

// Scalar is a text scalar node.
func Scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// Node is a document node that writes itself as JSON, keys in order:
// numbers and booleans as JSON's, everything else as strings.
type Node struct{ *yaml.Node }

// MarshalJSON writes the node as JSON.
func (n Node) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, n.Node); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// UnmarshalJSON reads JSON into a node, through the YAML parser (JSON is
// YAML), so that a read result writes back the same.
func (n *Node) UnmarshalJSON(b []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return err
	}
	n.Node = Resolve(&doc)
	return nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node) error {
	n = Resolve(n)
	if n == nil {
		b.WriteString("null")
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(Resolve(n.Content[i]).Value)
			b.Write(k)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float":
			if _, err := strconv.ParseFloat(n.Value, 64); err == nil && json.Valid([]byte(n.Value)) {
				b.WriteString(n.Value)
				return nil
			}
		case "!!bool":
			if n.Value == "true" || n.Value == "false" {
				b.WriteString(n.Value)
				return nil
			}
		case "!!null":
			b.WriteString("null")
			return nil
		}
		s, _ := json.Marshal(n.Value)
		b.Write(s)
	default:
		return fmt.Errorf("schema: cannot write a node of kind %d as JSON", n.Kind)
	}
	return nil
}
