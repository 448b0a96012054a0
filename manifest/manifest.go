// Package manifest reads the autoscaler configurations users already have
// (a Kubernetes HorizontalPodAutoscaler, and through one line each in the
// Readers table a Knative Service, a KEDA ScaledObject, ...) into boxes'
// policy configs.
//
// A file holds one object, several YAML documents separated by "---", or a
// List (what `kubectl get hpa -o yaml` prints); each object is dispatched on
// its apiVersion and kind to a Reader. Objects are decoded strictly with
// their real API types: an unknown field is an error that names the file,
// the line and the field. What boxes cannot model (a memory metric, a
// custom metric with no signal boxes measures) is an error that says how
// to express it; see the README's "Autoscaler manifests" section.
//
// The result echoes every setting as boxes understood it (Named.Echo), so a
// user can check the translation before trusting a verdict.
package manifest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/boxes-project/boxes/nativecfg"
	"github.com/boxes-project/boxes/policy"
)

// Limits of what a reader accepts from one file.
const (
	MaxBytes    = 16 << 20 // a file
	MaxLine     = 1 << 20  // a line
	MaxObjects  = 10000    // objects in a file (List items included)
	maxQuoted   = 40       // characters of user input quoted in a message
	annotations = "boxes.dev/"
)

// Named is one policy read from a manifest.
type Named struct {
	// Name is the object's namespace/name (name alone without a namespace).
	Name string
	// Source is where the object starts: file:line.
	Source string
	// Kind is the object's apiVersion and kind, "autoscaling/v2 HorizontalPodAutoscaler".
	Kind string
	// Config is the policy boxes runs for it.
	Config policy.Config
	// Echo is the manifest's settings as boxes understood them, in the
	// manifest's order.
	Echo []Setting
}

// Setting is one setting of a manifest as boxes understood it.
type Setting struct {
	Field string // the manifest's field path, "spec.metrics[0]"
	Value string // its value as written, or "(default)"
	Means string // what boxes makes of it
}

// Reader turns one object into policies. It decodes d with d.Decode and
// reports problems with d.Errorf, so that messages name file and line.
type Reader func(d *Document) ([]Named, error)

// Kind is one entry of the readers table.
type Kind struct {
	APIVersion string // "autoscaling/v2"
	Kind       string // "HorizontalPodAutoscaler"
	Read       Reader
}

// Readers is the table of object kinds boxes reads, one line each.
func Readers() []Kind {
	return []Kind{
		{"autoscaling/v2", "HorizontalPodAutoscaler", readHPAv2},
		{"autoscaling/v1", "HorizontalPodAutoscaler", readHPAv1},
		{"autoscaling/v2beta2", "HorizontalPodAutoscaler", readHPAv2beta2},
		{"serving.knative.dev/v1", "Service", native(nativecfg.ReadService)}, // Knative, or Cloud Run (gcloud run services describe)
		{"keda.sh/v1alpha1", "ScaledObject", native(nativecfg.ReadScaledObject)},
		{"keda.sh/v1alpha1", "ScaledJob", native(nativecfg.ReadScaledJob)},
	}
}

// Document is one object of a manifest file.
type Document struct {
	File       string
	Line       int // the line the object starts on
	APIVersion string
	Kind       string
	// Annotations are the object's metadata.annotations.
	Annotations map[string]string
	yaml        []byte     // the object alone
	yamlLine    int        // the line of File where yaml's first line is; 0 when re-encoded
	node        *yaml.Node // its mapping, with lines counted from the top of File
}

// Error is a problem at a place in a manifest.
type Error struct {
	File  string
	Line  int    // 0 when unknown
	Field string // the field path, "" for the whole object
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("manifest: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf is an Error at field (a dotted path with [i] indexes, as
// "spec.metrics[1].resource.name"), on the line where the field is
// written, or the nearest enclosing one that is.
func (d *Document) Errorf(field, format string, args ...any) error {
	return &Error{File: d.File, Line: d.lineOf(field), Field: field, Err: fmt.Errorf(format, args...)}
}

// Decode decodes the object strictly into v (a Kubernetes API type):
// unknown and duplicate fields are errors naming their line.
func (d *Document) Decode(v any) error {
	err := sigsyaml.UnmarshalStrict(d.yaml, v)
	if err == nil {
		return nil
	}
	msg := err.Error()
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		line := d.Line
		if n := findKey(d.node, m[1]); n != nil {
			line = n.Line
		}
		return &Error{File: d.File, Line: line, Field: m[1], Err: fmt.Errorf("unknown field %q in %s %s", m[1], d.APIVersion, d.Kind)}
	}
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		line := d.Line
		if d.yamlLine > 0 {
			line = d.yamlLine + n - 1
		} else if k := keyName.FindStringSubmatch(m[2]); k != nil {
			if f := findKey(d.node, k[1]); f != nil {
				line = f.Line
			}
		}
		return &Error{File: d.File, Line: line, Err: fmt.Errorf("%s", m[2])}
	}
	if m := typeField.FindStringSubmatch(msg); m != nil {
		return &Error{File: d.File, Line: d.lineOf(m[2]), Field: m[2], Err: fmt.Errorf("%s", strings.TrimSpace(m[1]+m[3]))}
	}
	return &Error{File: d.File, Line: d.Line, Err: fmt.Errorf("%s %s: %w", d.APIVersion, d.Kind, err)}
}

var (
	unknownField = regexp.MustCompile(`unknown field "([^"]+)"`)
	// json: cannot unmarshal string into Go struct field HorizontalPodAutoscalerSpec.spec.maxReplicas of type int32
	yamlLineErr = regexp.MustCompile(`line (\d+): ([^\n]+)`)
	keyName     = regexp.MustCompile(`key "([^"]+)"`)
	typeField   = regexp.MustCompile(`(cannot unmarshal \S+ into) Go struct field \w+\.(\S+)( of type \S+)`)
)

// lineOf finds the line of a dotted field path in the object.
func (d *Document) lineOf(path string) int {
	n := d.node
	best := d.Line
	for _, part := range splitPath(path) {
		if n == nil {
			break
		}
		if part.index >= 0 {
			if n.Kind != yaml.SequenceNode || part.index >= len(n.Content) {
				break
			}
			n = n.Content[part.index]
			best = n.Line
			continue
		}
		if n.Kind != yaml.MappingNode {
			break
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part.key {
				best = n.Content[i].Line
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return best
}

type pathPart struct {
	key   string
	index int // -1 for a key
}

// splitPath splits "spec.metrics[1].resource" into its keys and indexes.
func splitPath(p string) []pathPart {
	var out []pathPart
	for _, seg := range strings.Split(p, ".") {
		for seg != "" {
			i := strings.IndexByte(seg, '[')
			if i < 0 {
				out = append(out, pathPart{key: seg, index: -1})
				break
			}
			if i > 0 {
				out = append(out, pathPart{key: seg[:i], index: -1})
			}
			j := strings.IndexByte(seg[i:], ']')
			if j < 0 {
				break
			}
			n, err := strconv.Atoi(seg[i+1 : i+j])
			if err != nil {
				break
			}
			out = append(out, pathPart{index: n})
			seg = seg[i+j+1:]
		}
	}
	return out
}

// findKey is the first mapping key named name in n, depth first.
func findKey(n *yaml.Node, name string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == name {
				return n.Content[i]
			}
		}
	}
	for _, c := range n.Content {
		if k := findKey(c, name); k != nil {
			return k
		}
	}
	return nil
}

// ReadFile reads the manifest file at path: see Read.
func ReadFile(path string) ([]Named, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads every object of a manifest (one object, YAML documents
// separated by "---", or a List) and returns the policies its readers
// make, in order. file names the input in messages. A file with no object
// is an error, and so is an object of a kind no reader takes.
func Read(r io.Reader, file string) ([]Named, error) {
	var out []Named
	objects := 0
	err := splitDocuments(r, file, func(doc []byte, line int) error {
		var root yaml.Node
		if err := yaml.Unmarshal(doc, &root); err != nil {
			return &Error{File: file, Line: line, Err: fmt.Errorf("not YAML: %w", shortYAMLError(err))}
		}
		if len(root.Content) == 0 {
			return nil // an empty document
		}
		shiftLines(&root, line-1)
		objs, err := objectsOf(root.Content[0], doc, line, file)
		if err != nil {
			return err
		}
		for _, d := range objs {
			if objects++; objects > MaxObjects {
				return &Error{File: file, Line: d.Line, Err: fmt.Errorf("more than %d objects", MaxObjects)}
			}
			named, err := dispatch(d)
			if err != nil {
				return err
			}
			out = append(out, named...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if objects == 0 {
		return nil, &Error{File: file, Err: errors.New("no object in the file (expected a HorizontalPodAutoscaler or a List of them)")}
	}
	return out, nil
}

// objectsOf is the object of one document, or the items of a List.
func objectsOf(n *yaml.Node, raw []byte, rawLine int, file string) ([]*Document, error) {
	if n.Kind != yaml.MappingNode {
		return nil, &Error{File: file, Line: n.Line, Err: errors.New("expected an object with apiVersion and kind")}
	}
	d, err := newDocument(n, raw, file, "", "")
	if err != nil {
		return nil, err
	}
	d.yamlLine = rawLine
	if d.Kind != "List" && !strings.HasSuffix(d.Kind, "List") {
		return []*Document{d}, nil
	}
	// A List (v1 List, or a typed HorizontalPodAutoscalerList): its items.
	items := valueOf(n, "items")
	if items == nil {
		return nil, nil
	}
	if items.Kind != yaml.SequenceNode {
		return nil, &Error{File: file, Line: items.Line, Field: "items", Err: errors.New("expected a list of objects")}
	}
	var out []*Document
	for i, it := range items.Content {
		if it.Kind != yaml.MappingNode {
			return nil, &Error{File: file, Line: it.Line, Field: fmt.Sprintf("items[%d]", i), Err: errors.New("expected an object")}
		}
		y, err := yaml.Marshal(it)
		if err != nil {
			return nil, &Error{File: file, Line: it.Line, Field: fmt.Sprintf("items[%d]", i), Err: err}
		}
		// A typed list's items may leave out their apiVersion and kind.
		var defAPI, defKind string
		if d.Kind != "List" {
			defAPI, defKind = d.APIVersion, strings.TrimSuffix(d.Kind, "List")
		}
		sub, err := newDocument(it, y, file, defAPI, defKind)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, nil
}

// newDocument reads an object's apiVersion, kind and annotations.
func newDocument(n *yaml.Node, raw []byte, file, defAPI, defKind string) (*Document, error) {
	d := &Document{File: file, Line: n.Line, yaml: raw, node: n, APIVersion: defAPI, Kind: defKind}
	if v := valueOf(n, "apiVersion"); v != nil {
		d.APIVersion = v.Value
	}
	if v := valueOf(n, "kind"); v != nil {
		d.Kind = v.Value
	}
	if d.Kind == "" {
		return nil, &Error{File: file, Line: n.Line, Field: "kind", Err: errors.New("missing: expected kind: HorizontalPodAutoscaler")}
	}
	if md := valueOf(n, "metadata"); md != nil {
		if an := valueOf(md, "annotations"); an != nil && an.Kind == yaml.MappingNode {
			d.Annotations = map[string]string{}
			for i := 0; i+1 < len(an.Content); i += 2 {
				d.Annotations[an.Content[i].Value] = an.Content[i+1].Value
			}
		}
	}
	return d, nil
}

// dispatch hands d to its reader.
func dispatch(d *Document) ([]Named, error) {
	var kinds []string
	for _, k := range Readers() {
		if k.APIVersion == d.APIVersion && k.Kind == d.Kind {
			return k.Read(d)
		}
		kinds = append(kinds, k.APIVersion+" "+k.Kind)
	}
	return nil, d.Errorf("kind", "%s %s is not a kind boxes reads (it reads %s)", quote(d.APIVersion), quote(d.Kind), strings.Join(kinds, ", "))
}

// valueOf is the value of key in mapping n, or nil.
func valueOf(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// shiftLines adds off to every line of the tree.
func shiftLines(n *yaml.Node, off int) {
	n.Line += off
	for _, c := range n.Content {
		shiftLines(c, off)
	}
}

// splitDocuments calls fn with each YAML document of r and the line it
// starts on, reading at most MaxBytes and lines of at most MaxLine bytes.
func splitDocuments(r io.Reader, file string, fn func(doc []byte, line int) error) error {
	sc := bufio.NewScanner(io.LimitReader(r, MaxBytes+1))
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	var doc bytes.Buffer
	start, lineNo, total := 1, 0, 0
	flush := func() error {
		if len(bytes.TrimSpace(doc.Bytes())) == 0 {
			doc.Reset()
			return nil
		}
		b := bytes.Clone(doc.Bytes())
		doc.Reset()
		return fn(b, start)
	}
	for sc.Scan() {
		lineNo++
		line := sc.Bytes()
		total += len(line) + 1
		if total > MaxBytes {
			return &Error{File: file, Line: lineNo, Err: fmt.Errorf("file larger than %d bytes", MaxBytes)}
		}
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if bytes.HasPrefix(line, []byte("---")) && len(bytes.TrimSpace(line[3:])) == 0 {
			if err := flush(); err != nil {
				return err
			}
			start = lineNo + 1
			continue
		}
		if doc.Len() == 0 && len(bytes.TrimSpace(line)) == 0 {
			start = lineNo + 1
		}
		doc.Write(bytes.TrimRight(line, "\r"))
		doc.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &Error{File: file, Line: lineNo + 1, Err: fmt.Errorf("line longer than %d bytes", MaxLine)}
		}
		return &Error{File: file, Line: lineNo, Err: err}
	}
	return flush()
}

// shortYAMLError strips yaml.v3's prefix.
func shortYAMLError(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
}

// quote quotes at most maxQuoted characters of user input.
func quote(s string) string {
	r := []rune(s)
	if len(r) > maxQuoted {
		return strconv.Quote(string(r[:maxQuoted]) + "…")
	}
	return strconv.Quote(s)
}
