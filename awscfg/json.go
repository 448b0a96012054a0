package awscfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// object is one JSON object of the input with its path, read strictly: its
// keys must be among those the AWS API documents for its shape.
type object struct {
	file, path string
	m          map[string]json.RawMessage
}

// errorf is an error naming the file and a JSON path.
func errorf(file, path, format string, a ...any) error {
	return fmt.Errorf("awscfg: %s: %s: %s", file, path, fmt.Sprintf(format, a...))
}

// quote quotes at most 40 bytes of user input.
func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// decodeObject reads raw as an object whose keys are all in known.
func decodeObject(raw json.RawMessage, file, path string, known []string) (object, error) {
	o := object{file: file, path: path}
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return o, errorf(file, path, "want an object")
	}
	if err := json.Unmarshal(raw, &o.m); err != nil {
		return o, errorf(file, path, "%v", err)
	}
	var unknown []string
	for k := range o.m {
		found := false
		for _, n := range known {
			if k == n {
				found = true
				break
			}
		}
		if !found {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return o, errorf(file, path+"."+unknown[0], "unknown field %s (not in the AWS API's shape for this object)", quote(unknown[0]))
	}
	return o, nil
}

func (o object) at(key string) string { return o.path + "." + key }

func (o object) has(key string) bool {
	v, ok := o.m[key]
	return ok && string(bytes.TrimSpace(v)) != "null"
}

func (o object) str(key string) (string, error) {
	if !o.has(key) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(o.m[key], &s); err != nil {
		return "", errorf(o.file, o.at(key), "want a string")
	}
	return s, nil
}

func (o object) num(key string) (float64, bool, error) {
	if !o.has(key) {
		return 0, false, nil
	}
	var x float64
	if err := json.Unmarshal(o.m[key], &x); err != nil {
		return 0, false, errorf(o.file, o.at(key), "want a number")
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false, errorf(o.file, o.at(key), "want a finite number")
	}
	return x, true, nil
}

func (o object) integer(key string) (int, bool, error) {
	x, ok, err := o.num(key)
	if err != nil || !ok {
		return 0, ok, err
	}
	if x != math.Trunc(x) || math.Abs(x) > 1e9 {
		return 0, false, errorf(o.file, o.at(key), "want a whole number, got %g", x)
	}
	return int(x), true, nil
}

func (o object) boolean(key string) (bool, error) {
	if !o.has(key) {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(o.m[key], &b); err != nil {
		return false, errorf(o.file, o.at(key), "want true or false")
	}
	return b, nil
}

func (o object) array(key string) ([]json.RawMessage, error) {
	if !o.has(key) {
		return nil, nil
	}
	var a []json.RawMessage
	if err := json.Unmarshal(o.m[key], &a); err != nil {
		return nil, errorf(o.file, o.at(key), "want an array")
	}
	return a, nil
}

func (o object) sub(key string, known []string) (object, bool, error) {
	if !o.has(key) {
		return object{}, false, nil
	}
	s, err := decodeObject(o.m[key], o.file, o.at(key), known)
	return s, err == nil, err
}

// syntax turns a JSON syntax error into one that names the line and column.
func syntax(data []byte, file string, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := int(min(se.Offset, int64(len(data))))
		line := 1 + bytes.Count(data[:off], []byte("\n"))
		col := off - bytes.LastIndexByte(data[:off], '\n')
		return fmt.Errorf("awscfg: %s:%d:%d: %v", file, line, col, se)
	}
	return fmt.Errorf("awscfg: %s: %w", file, err)
}

// oneOf reports whether s is among words.
func oneOf(s string, words ...string) bool {
	for _, w := range words {
		if s == w {
			return true
		}
	}
	return false
}

func list(words ...string) string { return strings.Join(words, ", ") }
