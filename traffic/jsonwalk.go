package traffic

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// walker streams a JSON document token by token, so that arrays of
// millions of samples are read one element at a time. Errors name the JSON
// path and the byte offset.
type walker struct {
	dec  *json.Decoder
	file string
}

func newWalker(r io.Reader, file string) *walker {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &walker{dec: dec, file: file}
}

func (w *walker) fail(path string, format string, args ...any) error {
	return &Error{File: w.file, Field: path, Err: fmt.Errorf(format+" (at byte %d)", append(args, w.dec.InputOffset())...)}
}

func (w *walker) wrap(path string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return w.fail(path, "the JSON ends early")
	}
	return w.fail(path, "bad JSON: %v", err)
}

// token reads the next token.
func (w *walker) token(path string) (json.Token, error) {
	t, err := w.dec.Token()
	if err != nil {
		return nil, w.wrap(path, err)
	}
	return t, nil
}

// object reads an object, calling fn for each key with the decoder at its
// value; fn must read the value (or skip it).
func (w *walker) object(path string, fn func(key string) error) error {
	t, err := w.token(path)
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return w.fail(path, "want an object, not %s", describe(t))
	}
	return w.objectBody(path, fn)
}

// objectBody reads an object's keys after its '{'.
func (w *walker) objectBody(path string, fn func(key string) error) error {
	for w.dec.More() {
		t, err := w.token(path)
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if err := fn(key); err != nil {
			return err
		}
	}
	_, err := w.token(path) // '}'
	return err
}

// array reads an array, calling fn for each element.
func (w *walker) array(path string, fn func(i int) error) error {
	t, err := w.token(path)
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return w.fail(path, "want an array, not %s", describe(t))
	}
	return w.arrayBody(fn)
}

func (w *walker) arrayBody(fn func(i int) error) error {
	for i := 0; w.dec.More(); i++ {
		if err := fn(i); err != nil {
			return err
		}
	}
	_, err := w.token("") // ']'
	return err
}

// skip reads and drops one value of any size, without holding it.
func (w *walker) skip(path string) error {
	depth := 0
	for {
		t, err := w.token(path)
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// decode reads one small value into v (a string, a label map).
func (w *walker) decode(path string, v any) error {
	if err := w.dec.Decode(v); err != nil {
		return w.wrap(path, err)
	}
	return nil
}

func (w *walker) str(path string) (string, error) {
	t, err := w.token(path)
	if err != nil {
		return "", err
	}
	s, ok := t.(string)
	if !ok {
		return "", w.fail(path, "want a string, not %s", describe(t))
	}
	return s, nil
}

func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		if v == '[' {
			return "an array"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		return fmt.Sprintf("the string %q", clip(v))
	case json.Number:
		return "the number " + clip(v.String())
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("%v", v)
	}
	return fmt.Sprintf("%v", t)
}

// unixTime reads seconds since 1970 written as a decimal ("1700000000.123")
// exactly to the nanosecond.
func unixTime(s string) (time.Time, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.Abs(f) > 1e11 {
			return time.Time{}, fmt.Errorf("%q is not a time in seconds since 1970", clip(s))
		}
		sec := math.Floor(f)
		return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC(), nil
	}
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || sec > 1e11 || sec < -1e11 {
		return time.Time{}, fmt.Errorf("%q is not a time in seconds since 1970", clip(s))
	}
	var ns int64
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		n, err := strconv.ParseUint(frac, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a time in seconds since 1970", clip(s))
		}
		ns = int64(n)
		for range 9 - len(frac) {
			ns *= 10
		}
		if strings.HasPrefix(whole, "-") {
			ns = -ns
		}
	}
	return time.Unix(sec, ns).UTC(), nil
}
