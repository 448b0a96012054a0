package core

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

// Walker streams a JSON document token by token, so that arrays of
// millions of samples are read one element at a time. Errors name the JSON
// path and the byte offset.
type Walker struct {
	Dec  *json.Decoder
	file string
}

func NewWalker(r io.Reader, file string) *Walker {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &Walker{Dec: dec, file: file}
}

func (w *Walker) Fail(path string, format string, args ...any) error {
	return &Error{File: w.file, Field: path, Err: fmt.Errorf(format+" (at byte %d)", append(args, w.Dec.InputOffset())...)}
}

func (w *Walker) Wrap(path string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return w.Fail(path, "the JSON ends early")
	}
	return w.Fail(path, "bad JSON: %v", err)
}

// token reads the next token.
func (w *Walker) Token(path string) (json.Token, error) {
	t, err := w.Dec.Token()
	if err != nil {
		return nil, w.Wrap(path, err)
	}
	return t, nil
}

// object reads an object, calling fn for each key with the decoder at its
// value; fn must read the value (or skip it).
func (w *Walker) Object(path string, fn func(key string) error) error {
	t, err := w.Token(path)
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return w.Fail(path, "want an object, not %s", Describe(t))
	}
	return w.ObjectBody(path, fn)
}

// objectBody reads an object's keys after its '{'.
func (w *Walker) ObjectBody(path string, fn func(key string) error) error {
	for w.Dec.More() {
		t, err := w.Token(path)
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if err := fn(key); err != nil {
			return err
		}
	}
	_, err := w.Token(path) // '}'
	return err
}

// array reads an array, calling fn for each element.
func (w *Walker) Array(path string, fn func(i int) error) error {
	t, err := w.Token(path)
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return w.Fail(path, "want an array, not %s", Describe(t))
	}
	return w.ArrayBody(fn)
}

func (w *Walker) ArrayBody(fn func(i int) error) error {
	for i := 0; w.Dec.More(); i++ {
		if err := fn(i); err != nil {
			return err
		}
	}
	_, err := w.Token("") // ']'
	return err
}

// skip reads and drops one value of any size, without holding it.
func (w *Walker) Skip(path string) error {
	depth := 0
	for {
		t, err := w.Token(path)
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
func (w *Walker) Decode(path string, v any) error {
	if err := w.Dec.Decode(v); err != nil {
		return w.Wrap(path, err)
	}
	return nil
}

func (w *Walker) Str(path string) (string, error) {
	t, err := w.Token(path)
	if err != nil {
		return "", err
	}
	s, ok := t.(string)
	if !ok {
		return "", w.Fail(path, "want a string, not %s", Describe(t))
	}
	return s, nil
}

func Describe(t json.Token) string {
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
		return fmt.Sprintf("the string %q", Clip(v))
	case json.Number:
		return "the number " + Clip(v.String())
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("%v", v)
	}
	return fmt.Sprintf("%v", t)
}

// UnixTime reads seconds since 1970 written as a decimal ("1700000000.123")
// exactly to the nanosecond.
func UnixTime(s string) (time.Time, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.Abs(f) > 1e11 {
			return time.Time{}, fmt.Errorf("%q is not a time in seconds since 1970", Clip(s))
		}
		sec := math.Floor(f)
		return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC(), nil
	}
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || sec > 1e11 || sec < -1e11 {
		return time.Time{}, fmt.Errorf("%q is not a time in seconds since 1970", Clip(s))
	}
	var ns int64
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		n, err := strconv.ParseUint(frac, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a time in seconds since 1970", Clip(s))
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
