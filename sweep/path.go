package sweep

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
)

// segment is one step of a setting's path: a mapping key, and optionally
// a selector in brackets that picks an item of the sequence under it, by
// its name ("policies[hpa]") or its index ("policies[0]").
type segment struct {
	key      string
	selector string
	selected bool
}

// parsePath splits "policies[hpa].target" into its segments.
func parsePath(path string) ([]segment, error) {
	if path == "" {
		return nil, fmt.Errorf("sweep: empty setting path")
	}
	var out []segment
	for _, part := range strings.Split(path, ".") {
		s := segment{key: part}
		if i := strings.IndexByte(part, '['); i >= 0 {
			if !strings.HasSuffix(part, "]") || i == 0 {
				return nil, fmt.Errorf("sweep: setting path %s: want name or name[NAME] between dots", boxes.Quote(path))
			}
			s.key, s.selector, s.selected = part[:i], part[i+1:len(part)-1], true
			if s.selector == "" {
				return nil, fmt.Errorf("sweep: setting path %s: empty brackets", boxes.Quote(path))
			}
		}
		if !validKey(s.key) || !utf8.ValidString(s.selector) || strings.ContainsAny(s.selector, "[]") {
			return nil, fmt.Errorf("sweep: setting path %s: want name or name[NAME] between dots", boxes.Quote(path))
		}
		out = append(out, s)
	}
	return out, nil
}

// validKey reports whether k is a key a scenario uses: letters, digits,
// '_' and '-'.
func validKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// Apply returns a copy of the scenario document doc with each setting set:
// the value replaces what the document says, or is added where the
// document leaves the setting to its default. A path goes through mappings
// by key; "name[X]" picks the item of the sequence under name whose name
// is X (or the X-th item, from 0); and a policy's settings are named
// directly after it ("policies[hpa].target" is the target inside the
// item's hpa mapping). Whether a setting exists is for the scenario's
// decoder to say, which names the path.
func Apply(doc *yaml.Node, settings []Setting) (*yaml.Node, error) {
	root := clone(doc)
	top := root
	if top.Kind == yaml.DocumentNode {
		if len(top.Content) != 1 {
			return nil, fmt.Errorf("sweep: the scenario is not one document")
		}
		top = top.Content[0]
	}
	for _, s := range settings {
		if !utf8.ValidString(s.Value) {
			return nil, fmt.Errorf("sweep: %s: the value is not UTF-8 text", s.Path)
		}
		segs, err := parsePath(s.Path)
		if err != nil {
			return nil, err
		}
		if err := set(top, segs, s.Value, s.Path); err != nil {
			return nil, err
		}
	}
	return root, nil
}

func set(n *yaml.Node, segs []segment, value, path string) error {
	for i, s := range segs {
		if n.Kind != yaml.MappingNode {
			return fmt.Errorf("sweep: %s: %s is not a mapping in the scenario", path, joinPath(segs[:i]))
		}
		last := i == len(segs)-1 && !s.selected
		child := lookup(n, s.key)
		if child == nil {
			if s.selected {
				return fmt.Errorf("sweep: %s: the scenario has no %s", path, joinPath(segs[:i+1]))
			}
			child = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			if last {
				child = &yaml.Node{Kind: yaml.ScalarNode}
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s.key}, child)
		}
		if last {
			*child = yaml.Node{Kind: yaml.ScalarNode, Value: value, Line: child.Line, Column: child.Column}
			return nil
		}
		n = child
		if s.selected {
			item, err := selectItem(n, s.selector)
			if err != nil {
				return fmt.Errorf("sweep: %s: %w", path, err)
			}
			n = item
			if i == len(segs)-1 {
				return fmt.Errorf("sweep: %s names a whole item, not a setting", path)
			}
			// A policy's settings live in the mapping of its kind, the item's
			// one key besides name: step into it unless the item itself has
			// the next key.
			if next := segs[i+1]; n.Kind == yaml.MappingNode && lookup(n, next.key) == nil {
				if body := kindBody(n); body != nil {
					n = body
				}
			}
		}
	}
	return nil
}

// selectItem is the item of sequence n named sel, or at index sel.
func selectItem(n *yaml.Node, sel string) (*yaml.Node, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("[%s] selects from a list, and this is not one", sel)
	}
	for _, item := range n.Content {
		if item.Kind == yaml.MappingNode {
			if name := lookup(item, "name"); name != nil && name.Kind == yaml.ScalarNode && name.Value == sel {
				return item, nil
			}
		}
	}
	if k, err := strconv.Atoi(sel); err == nil && k >= 0 && k < len(n.Content) {
		return n.Content[k], nil
	}
	return nil, fmt.Errorf("no item named %s", boxes.Quote(sel))
}

// kindBody is the mapping of a policy item's kind: the value of its one
// key besides name. A kind written with no settings ({name: s, serverless:
// {}}, or serverless: null) is given an empty mapping to fill.
func kindBody(item *yaml.Node) *yaml.Node {
	var body *yaml.Node
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i].Value == "name" {
			continue
		}
		if body != nil {
			return nil // not a policy item: more than one other key
		}
		body = item.Content[i+1]
	}
	if body != nil && body.Kind == yaml.ScalarNode && (body.Value == "" || body.Tag == "!!null") {
		*body = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: body.Line, Column: body.Column}
	}
	if body == nil || body.Kind != yaml.MappingNode {
		return nil
	}
	return body
}

// lookup is the value of key in mapping n, or nil.
func lookup(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func joinPath(segs []segment) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
		if s.selected {
			b.WriteString("[" + s.selector + "]")
		}
	}
	return b.String()
}

// clone is a deep copy of a node tree; aliases are copied as they are
// (they point into the original tree, which Apply never changes).
func clone(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = clone(k)
		}
	}
	return &c
}
