// Package shape is the workload part of the scenario language: each shape
// of JobRate curve (constant, daily, burst, …, trace) as a plain struct whose
// tags declare its settings, one table of shapes (Kinds), and the tree a
// scenario's workload is (Node), which builds the workload.Curve the engines
// run. Times in settings are durations or times of day; the curves take
// float seconds from time 0, the engines' representation.
package shape

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/workload"
)

// Env is what building a curve needs to know about its scenario.
type Env struct {
	// StartOfDay is how far time 0 is into its day, seconds: a time of day
	// "12:00" is 12 h less this after time 0.
	StartOfDay float64
}

// Shape is one kind of workload node's settings.
type Shape interface {
	Curve(env Env) (workload.Curve, error)
}

// Kinds are the workload shapes, in the order the reference lists them. A
// new shape is a type with tags and a Curve method, and one line here.
func Kinds() schema.Family {
	return schema.Family{
		{Name: "constant", Doc: "the same rate all the time", New: func() any { return &Constant{} }},
		{Name: "daily", Doc: "a daily cycle: a sinusoid around a mean", New: func() any { return &Daily{} }},
		{Name: "burst", Doc: "extra load for a while, once or repeated", New: func() any { return &Burst{} }},
		{Name: "linear", Doc: "a rate moving in a straight line", New: func() any { return &Linear{} }},
		{Name: "exponential", Doc: "a rate that doubles (or halves) at a steady pace", New: func() any { return &Exponential{} }},
		{Name: "steps", Doc: "a rate that jumps at given times", New: func() any { return &Steps{} }},
		{Name: "sum", Doc: "the parts' rates added", New: func() any { return &Parts{} }},
		{Name: "product", Doc: "the parts' rates multiplied", New: func() any { return &Product{} }},
		{Name: "clamp", Doc: "a rate bounded below and above", New: func() any { return &Clamp{} }},
		{Name: "noise", Doc: "random multiplicative jitter, a new factor every interval", New: func() any { return &Noise{} }},
		{Name: "poisson", Doc: "whole random job counts (Poisson) around the rate", New: func() any { return &Poisson{} }},
		{Name: "preset", Doc: "a named workload: " + strings.Join(workload.PresetNames(), ", "), New: func() any { return &Preset{} }},
		{Name: "trace", Doc: "a rate recorded from real traffic: a CSV, Prometheus or CloudWatch JSON, a Grafana CSV or an access log", New: func() any { return &Trace{} }},
		{Name: "prometheus", Doc: "a rate asked of a live Prometheus server (query_range)", New: func() any { return &Prometheus{} }},
	}
}

// Node is one node of a workload tree, written {kind: settings}.
type Node struct {
	Kind  string
	Shape Shape
}

// UnmarshalSchema reads {kind: settings}.
func (n *Node) UnmarshalSchema(d *schema.Decoder, y *yaml.Node, path string) error {
	kinds := Kinds()
	kind, body, err := kinds.OneKey(d, y, path)
	if err != nil {
		return err
	}
	v, err := kinds.DecodeKind(d, kind, body, join(path, kind))
	if err != nil {
		return err
	}
	n.Kind, n.Shape = kind, v.(Shape)
	return nil
}

// MarshalSchema writes {kind: settings}.
func (n Node) MarshalSchema() (*yaml.Node, error) {
	if n.Shape == nil {
		return nil, nil
	}
	body, err := schema.Encode(n.Shape)
	if err != nil {
		return nil, err
	}
	return schema.Mapping(n.Kind, body), nil
}

// ListSchema lists every shape's settings once, at the top of the tree;
// nested nodes are listed as "a workload".
func (n *Node) ListSchema(prefix string) []schema.Setting {
	if strings.Contains(prefix, ".") {
		return []schema.Setting{{Path: prefix, Type: "workload", Doc: "a workload node: one of " + strings.Join(Kinds().Names(), ", ")}}
	}
	return Kinds().List(prefix)
}

// Curve builds the node's curve and checks it.
func (n Node) Curve(env Env) (workload.Curve, error) {
	if n.Shape == nil {
		return nil, fmt.Errorf("shape: a workload node with no shape")
	}
	c, err := n.Shape.Curve(env)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", n.Kind, err)
	}
	if err := workload.Validate(c); err != nil {
		return nil, fmt.Errorf("%s: %w", n.Kind, err)
	}
	return c, nil
}

// Walk calls f on n and every node under it, with each node's path
// ("workload.noise.of.sum[1].burst"); path is where n is ("workload").
func (n *Node) Walk(path string, f func(n *Node, path string)) {
	own := join(path, n.Kind)
	f(n, own)
	switch s := n.Shape.(type) {
	case *Parts:
		for i := range *s {
			(*s)[i].Walk(fmt.Sprintf("%s[%d]", own, i), f)
		}
	case *Product:
		for i := range *s {
			(*s)[i].Walk(fmt.Sprintf("%s[%d]", own, i), f)
		}
	case *Clamp:
		s.Of.Walk(join(own, "of"), f)
	case *Noise:
		s.Of.Walk(join(own, "of"), f)
	case *Poisson:
		s.Of.Walk(join(own, "of"), f)
	}
}

// FillSeeds gives each random node that has no seed one derived from seed
// and the node's path (path is the node's own, "workload.noise").
func (n *Node) FillSeeds(seed uint64) {
	n.Walk("workload", func(n *Node, path string) {
		derive := func(p **uint64) {
			if *p == nil {
				h := fnv.New64a()
				fmt.Fprintf(h, "%d/%s", seed, path)
				v := h.Sum64()
				*p = &v
			}
		}
		switch s := n.Shape.(type) {
		case *Noise:
			derive(&s.Seed)
		case *Poisson:
			derive(&s.Seed)
		case *Preset:
			derive(&s.Seed)
		}
	})
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// At is a moment: a time of day ("12:00", on the first day, in the
// scenario's start location) or a duration after time 0 ("90m").
type At struct {
	D     time.Duration
	OfDay bool
}

// UnmarshalText reads "HH:MM", "HH:MM:SS" or a duration.
func (a *At) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if strings.Contains(s, ":") {
		d, err := schema.ParseClock(s, 48*time.Hour)
		*a = At{D: d, OfDay: true}
		return err
	}
	d, err := boxes.ParseDuration(s)
	*a = At{D: d}
	return err
}

// MarshalText writes what UnmarshalText reads.
func (a At) MarshalText() ([]byte, error) {
	if a.OfDay {
		return []byte(schema.FormatClock(a.D)), nil
	}
	return []byte(schema.FormatDuration(a.D)), nil
}

// SchemaType names the type for the reference.
func (At) SchemaType() string { return "time of day or duration" }

// SchemaExample says what a value looks like, for errors.
func (At) SchemaExample() string { return `a time of day like "12:00" or a duration like 90m` }

// Seconds is the moment in seconds after time 0.
func (a At) Seconds(env Env) float64 {
	if a.OfDay {
		return a.D.Seconds() - env.StartOfDay
	}
	return a.D.Seconds()
}
