package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/sim"
)

// A Sweep is a scenario with the settings it sweeps: the scenario document
// without its sweep block, the axes, and every configuration.
type Sweep struct {
	File           string
	Digest         string // of the file's bytes: the parts of one sweep share it
	Base           *yaml.Node
	Axes           []Axis
	Configurations []Configuration

	// samples keeps the workload read once for every Run and search step
	// of this sweep (nil: each Run reads it once for its configurations).
	samples *samplesCache
}

// Parse reads a scenario with a sweep block,
//
//	sweep:
//	  policies[hpa].target: 0.4..0.9 step 0.05
//	  policies[hpa].min: [1, 2, 4]
//
// each key a setting's path and each value a list or a range (ParseRange).
// The scenario without its sweep block must be a valid scenario, and so
// must every configuration: each is checked before anything runs.
func Parse(data []byte, file string) (*Sweep, error) {
	root, err := schema.Parse(data, file)
	if err != nil {
		return nil, err
	}
	top := schema.Resolve(root)
	if top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("sweep: %s: a scenario is a mapping", file)
	}
	s := &Sweep{File: file, Digest: Digest(data), samples: &samplesCache{}}
	base, block := Split(top)
	if block == nil || block.Kind != yaml.MappingNode || len(block.Content) == 0 {
		return nil, fmt.Errorf("sweep: %s: no sweep block: add one, like\n  sweep:\n    policies[hpa].target: 0.5..0.9 step 0.1", file)
	}
	for i := 0; i+1 < len(block.Content); i += 2 {
		k, v := block.Content[i], schema.Resolve(block.Content[i+1])
		at := func(err error) error {
			return fmt.Errorf("sweep: %s:%d:%d: sweep.%s: %s", file, v.Line, v.Column, k.Value, strings.TrimPrefix(err.Error(), "sweep: "))
		}
		a := Axis{Path: k.Value}
		switch v.Kind {
		case yaml.SequenceNode:
			for _, item := range v.Content {
				item = schema.Resolve(item)
				if item.Kind != yaml.ScalarNode {
					return nil, at(fmt.Errorf("a value to sweep is a scalar, like 0.5 or 200ms"))
				}
				a.Values = append(a.Values, item.Value)
			}
			if len(a.Values) > maxAxisValues {
				return nil, at(fmt.Errorf("more than %d values", maxAxisValues))
			}
		case yaml.ScalarNode:
			if a.Values, err = ParseRange(v.Value); err != nil {
				return nil, at(err)
			}
		default:
			return nil, at(fmt.Errorf("want a list of values or a range like 0.4..0.9 step 0.05"))
		}
		s.Axes = append(s.Axes, a)
	}
	s.Base = base
	if s.Configurations, err = Grid(s.Axes); err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", file, err)
	}
	// The base first, for errors at the file's own lines.
	if _, err := scenario.Parse(mustYAML(base), file); err != nil {
		return nil, err
	}
	return s, nil
}

// Split separates a scenario's top-level mapping into the scenario without
// its sweep block and the block itself (nil when there is none).
func Split(top *yaml.Node) (base, block *yaml.Node) {
	base = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: top.Line, Column: top.Column}
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "sweep" {
			block = schema.Resolve(top.Content[i+1])
			continue
		}
		base.Content = append(base.Content, top.Content[i], top.Content[i+1])
	}
	return base, block
}

func mustYAML(n *yaml.Node) []byte {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		panic(err) // a node tree made of decoded nodes always encodes
	}
	return b.Bytes()
}

// Scenario is configuration c's scenario.
func (s *Sweep) Scenario(c Configuration) (*scenario.Scenario, error) {
	doc, err := Apply(s.Base, c.Settings)
	if err != nil {
		return nil, err
	}
	sc, err := scenario.Parse(mustYAML(doc), s.File)
	if err != nil {
		return nil, fmt.Errorf("sweep: configuration %d (%s): %w", c.Index, settingsText(c.Settings), err)
	}
	return sc, nil
}

func settingsText(ss []Setting) string {
	var b bytes.Buffer
	for i, st := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%s", st.Path, st.Value)
	}
	return b.String()
}

// Options tune a run; the zero value is fine.
type Options struct {
	// Engine and Replications override the scenario's, as --engine and
	// --replications do for simulate ("" and 0 keep them).
	Engine       string
	Replications int
	// Workers bounds the configurations run at once; 0 uses every core.
	// The output does not depend on it.
	Workers int
	// Progress, when set, is called with the fraction done, one call at
	// a time.
	Progress func(done float64)
	// Unshared makes every run of every configuration sample the
	// workload itself instead of replaying one reading of it (Run): the
	// output is the same, only slower. For measurements and tests.
	Unshared bool
	// Check, when set, is called with each configuration's scenario once
	// all are built, before any runs; an error stops the sweep before it
	// starts (the command's budget: the configurations' cost added up).
	Check func(c Configuration, sc *scenario.Scenario) error
}

// Run runs the configurations the shard owns, each a scenario run on one
// core, several at once, and returns their outputs in index order. Every
// configuration runs on the same traffic: the workload and its seed are
// the scenario's, and the events engine draws arrivals and latencies from
// streams of that seed, so that configurations differ by their settings,
// not by chance (common random numbers). When no swept setting touches
// the workload, it is read once and every configuration replays it
// (shareSamples), which gives the same bytes as each reading its own.
func (s *Sweep) Run(ctx context.Context, shard Shard, opt Options) ([]Entry, error) {
	mine := shard.Select(s.Configurations)
	// Check every configuration before running any.
	scs := make([]*scenario.Scenario, len(mine))
	for i, c := range mine {
		sc, err := s.Scenario(c)
		if err != nil {
			return nil, err
		}
		if opt.Engine != "" || opt.Replications != 0 {
			if sc, err = sc.WithEngine(opt.Engine, opt.Replications); err != nil {
				return nil, err
			}
		}
		scs[i] = sc
	}
	if err := s.shareSamples(scs, opt.Unshared); err != nil {
		return nil, err
	}
	// The budget after sharing, so that each configuration's estimate
	// replays the one reading instead of walking the workload again.
	if opt.Check != nil {
		for i, c := range mine {
			if err := opt.Check(c, scs[i]); err != nil {
				return nil, err
			}
		}
	}
	out := make([]Entry, len(mine))
	var mu sync.Mutex
	done := 0
	_, err := sim.RunEach(ctx, len(mine), opt.Workers, func(ctx context.Context, i int) error {
		o, err := scs[i].Run(ctx, scenario.Options{Workers: 1})
		if err != nil {
			return fmt.Errorf("sweep: configuration %d (%s): %w", mine[i].Index, settingsText(mine[i].Settings), err)
		}
		cj := ConfigurationJSON{Index: mine[i].Index, Settings: map[string]string{}, Results: report.NewSimulationJSON(o, false).Results}
		for _, st := range mine[i].Settings {
			cj.Settings[st.Path] = st.Value
		}
		b, err := json.Marshal(cj)
		if err != nil {
			return err
		}
		out[i] = Entry{Index: mine[i].Index, Output: b}
		if opt.Progress != nil {
			mu.Lock()
			done++
			opt.Progress(float64(done) / float64(len(mine)))
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
