// Package schema turns plain config structs into a document language: each
// setting is one struct field whose tags say everything about it, and that one
// declaration drives decoding, validation, defaults, the normalized document
// written back, and the list of settings that help text, the README's
// reference and the explorer's form are made from.
//
// The tags:
//
//	yaml:"name"         the key (yaml:"name,required": it must be given;
//	                    yaml:"name,short": the struct may be written as this
//	                    field's value alone, "queue: unbounded";
//	                    yaml:",inline": a nested struct's fields are the
//	                    outer struct's; yaml:"-": not a setting)
//	default:"90s"       the default, as a user writes it
//	min:"0s" max:"1h"   inclusive bounds, in the same notation
//	exclusive:"min"     makes min (or max, or "min,max") strict
//	enum:"a,b,c"        the closed set of words a string takes
//	doc:"..."           one line for help, the README and the form
//	unit:"memory"       how a float64 is written when its type does not say
//
// Field types: time.Duration (boxes.ParseDuration), float64 ("0.8" or
// "80%"), int, uint64, bool, string, boxes.Rate, boxes.Price, float64 with
// unit:"memory" (boxes.ParseMemory, in GB), any encoding.TextUnmarshaler
// that is also a TextMarshaler (time.Time, clock times), nested structs,
// slices and pointers (nil when left out). A type that implements
// Unmarshaler and Marshaler reads and writes itself: kinds (a policy that
// is one of several registered kinds, a workload tree) do so through a
// Family. After a struct is read, its Validate() error, when it has one, is
// called for the rules that span fields.
//
// Decoding starts from the value it is given, then applies the default tags:
// a constructor may pre-fill what tags cannot say (Kubernetes' behavior
// defaults differ between scale-up and scale-down). Encoding writes every
// setting, so decode(encode(v)) == v. Nothing here is safe to share between
// goroutines except the functions, which keep no state.
package schema

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// FieldError is a setting that cannot be read: where it is, which one, the
// value as written (at most about 40 characters) and what was wanted.
type FieldError struct {
	File      string
	Line, Col int
	Field     string // dotted path: policies[hpa].sync_period
	Value     string // the text given, quoted and cut to ~40 characters; "" for none
	Want      string // what the setting takes: "a duration like 90s", "at most 1h"
	Err       error  // the underlying error, if any
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Value != "" {
		b.WriteString(e.Value)
		b.WriteString(": ")
	}
	b.WriteString(e.Want)
	return b.String()
}

func (e *FieldError) Unwrap() error { return e.Err }

// Quote quotes s for an error message, cut to about 40 characters.
func Quote(s string) string {
	const limit = 40
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return fmt.Sprintf("%q…", s[:cut])
	}
	return fmt.Sprintf("%q", s)
}

// Unmarshaler is a type that reads itself from a node. path names it in
// errors; d reads its parts.
type Unmarshaler interface {
	UnmarshalSchema(d *Decoder, n *yaml.Node, path string) error
}

// Marshaler is a type that writes itself as a node.
type Marshaler interface {
	MarshalSchema() (*yaml.Node, error)
}

// Lister is a type that lists its own settings under path (kinds list each
// kind's).
type Lister interface {
	ListSchema(prefix string) []Setting
}

// MaxNodes bounds a document's nodes, counted with every alias expanded: a
// few kilobytes of nested aliases would otherwise expand to gigabytes.
const MaxNodes = 1_000_000

// ErrTooManyNodes is returned for a document past MaxNodes.
var ErrTooManyNodes = errors.New("schema: the document has more than a million nodes once its aliases are expanded")

// CountNodes counts n's nodes with aliases expanded, stopping past limit.
func CountNodes(n *yaml.Node, limit int) int {
	count := 0
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || count > limit {
			return
		}
		count++
		if depth > 10_000 {
			count = limit + 1
			return
		}
		if n.Kind == yaml.AliasNode {
			walk(n.Alias, depth+1)
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
			if count > limit {
				return
			}
		}
	}
	walk(n, 0)
	return count
}
