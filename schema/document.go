package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Parse reads one document, YAML or JSON, into a node. A document that
// starts with "{" is JSON and must be strict JSON: one value, no trailing
// text, no key twice in an object. YAML takes one document: a second after
// "---" is an error. The nodes, counted with aliases expanded, must not
// pass MaxNodes.
func Parse(data []byte, file string) (*yaml.Node, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		if err := strictJSON(t); err != nil {
			return nil, &FieldError{File: file, Want: err.Error(), Err: err}
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &FieldError{File: file, Want: "empty document"}
		}
		return nil, &FieldError{File: file, Want: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			return nil, &FieldError{File: file, Want: "want one document: " + strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
		}
		return nil, &FieldError{File: file, Line: line, Col: 1, Want: "want one document, found a second after ---"}
	}
	if CountNodes(&doc, MaxNodes) > MaxNodes {
		return nil, &FieldError{File: file, Want: ErrTooManyNodes.Error(), Err: ErrTooManyNodes}
	}
	if IsNull(&doc) {
		return nil, &FieldError{File: file, Want: "empty document"}
	}
	return &doc, nil
}

// strictJSON checks that data is one JSON value with no key twice in any
// object and nothing after it.
func strictJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var walk func(depth int) error
	walk = func(depth int) error {
		if depth > 10_000 {
			return errors.New("json: nested too deeply")
		}
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("json: %w", err)
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return fmt.Errorf("json: %w", err)
				}
				key := k.(string)
				if seen[key] {
					return fmt.Errorf("json: key %s appears twice in an object (at byte %d)", Quote(key), dec.InputOffset())
				}
				seen[key] = true
				if err := walk(depth + 1); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(depth + 1); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	if err := walk(0); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("json: text after the document (at byte %d)", dec.InputOffset())
	}
	return nil
}
