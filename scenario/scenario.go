// Package scenario reads and runs scenario files: a box, a workload, the
// ways of scaling to compare, and how long to simulate. A scenario is a
// document (YAML, or JSON, which is YAML) that decodes into a Doc of plain
// values, every setting declared once by the tags of the type it belongs to
// (package schema reads them); Build validates the whole and makes the
// engines' inputs. Unknown fields are rejected and every error names the
// file, line, column and field. The default scenario is embedded: one day
// of a daily cycle with a lunchtime spike, run under fixed capacity (sized
// for the peak and for the mean), Kubernetes' HPA and a serverless
// platform, against the oracle.
//
// Time at this package's boundary is time.Duration in a Doc and float
// seconds from time 0 in what Build makes (the engines' representation).
package scenario

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/manifest"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/traffic"
	"github.com/boxes-project/boxes/traffic/trace"
	"github.com/boxes-project/boxes/workload"
	"github.com/boxes-project/boxes/workload/shape"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML is the text of the embedded default scenario.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Default returns the embedded default scenario.
func Default() (*Scenario, error) { return Parse(defaultYAML, "default.yaml") }

// Engines a scenario may run on.
const (
	EngineFluid  = "fluid"
	EngineEvents = "events"
)

// Scenario is a validated scenario: its normalized document and what the
// engines take.
type Scenario struct {
	// Doc is the normalized document: every setting with its default
	// filled in, seeds derived, file paths absolute. Encoding it and
	// reading it back gives the same Scenario.
	Doc      Doc
	Name     string
	Setup    sim.Setup
	Seed     uint64
	Workload workload.Curve
	// Oracle is the utilization the oracle holds: 1 gives the lower bound on
	// the cost of serving every job.
	Oracle   float64
	Policies []Policy
	// Source is the file the scenario came from ("" for none).
	Source string
	// Manifests are the autoscaler configs read for {manifest: FILE}
	// policies, with what boxes understood of each setting (Echo).
	Manifests []manifest.Named
	// Traffic is what was read for the workload's trace or live query
	// (rows, span, step, gaps, columns), nil for none.
	Traffic *traffic.Report

	// Engine is EngineFluid or EngineEvents, the per-job engine, which
	// takes Jobs (its latency, queue, value, warm-up and seed, and a job
	// log's arrival times when the workload is one) and runs each box
	// policy Replications times. Serverless policies and the oracle run on
	// the fluid engine either way.
	Engine       string
	Replications int
	Jobs         sim.JobsConfig
	// SLO is the objective the runs are judged against.
	SLO sim.SLO

	// samples, when set, are the workload read once, which Workload
	// replays and Measure returns the Stats of (samples.go); unshared
	// makes every run sample the workload itself (the tests compare the
	// bytes with and without).
	samples  *Samples
	unshared bool
}

// Load reads and validates the scenario file at path.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a scenario from r; name is used in errors and relative trace
// files are found beside it.
func Read(r io.Reader, name string) (*Scenario, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("scenario: %s: %w", name, err)
	}
	return Parse(b, name)
}

// maxFileSize bounds a scenario file: 4 MiB.
const maxFileSize = 4 << 20

// Error is a scenario that does not read or does not hold together: a
// *schema.FieldError names the file, line, column and field.
type Error = schema.FieldError

// Decode reads a scenario document (YAML or JSON) into a Doc, applying
// defaults and bounds. A saved result of `boxes simulate --format json`
// is accepted too: its "document" is the scenario.
func Decode(data []byte, file string) (Doc, error) {
	doc, _, err := decode(data, file)
	return doc, err
}

// positions are where a document's settings were, by path.
type positions map[string][2]int

func decode(data []byte, file string) (Doc, positions, error) {
	var doc Doc
	if len(data) > maxFileSize {
		return doc, nil, wrap(&schema.FieldError{File: file, Want: fmt.Sprintf("the file is larger than %d bytes", maxFileSize)})
	}
	n, err := schema.Parse(data, file)
	if err != nil {
		return doc, nil, wrap(err)
	}
	if d, isResult := documentOf(n); isResult {
		if d == nil {
			return doc, nil, wrap(&schema.FieldError{File: file, Want: "a saved result without its scenario (no \"document\": made by an older boxes) cannot run again"})
		}
		n = d
	}
	pos, err := schema.DecodePos(file, n, &doc)
	if err != nil {
		return doc, nil, wrap(err)
	}
	return doc, pos, nil
}

// documentOf is the "document" of a saved result (nil when it has none);
// isResult reports whether n is a result at all.
func documentOf(n *yaml.Node) (doc *yaml.Node, isResult bool) {
	n = schema.Resolve(n)
	if n.Kind != yaml.MappingNode {
		return nil, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "document":
			doc = n.Content[i+1]
		case "results":
			isResult = true
		}
	}
	return doc, isResult
}

// scenarioError prefixes errors with the package's name.
type scenarioError struct{ *schema.FieldError }

func (e scenarioError) Error() string { return "scenario: " + e.FieldError.Error() }
func (e scenarioError) Unwrap() error { return e.FieldError }

func wrap(err error) error {
	var fe *schema.FieldError
	if errors.As(err, &fe) {
		return scenarioError{fe}
	}
	return fmt.Errorf("scenario: %w", err)
}

// Parse reads and validates a scenario; file names it in errors. Relative
// trace paths are resolved against the file's directory.
func Parse(data []byte, file string) (*Scenario, error) {
	doc, pos, err := decode(data, file)
	if err != nil {
		return nil, err
	}
	return buildAt(doc, file, pos)
}

// Build normalizes doc (defaults that depend on other settings, derived
// seeds, absolute file paths), checks it as a whole and makes the
// engines' inputs. file names the document in errors and locates its
// relative files.
func Build(doc Doc, file string) (*Scenario, error) { return buildAt(doc, file, nil) }

func buildAt(doc Doc, file string, pos positions) (*Scenario, error) {
	sc, err := build(doc, file)
	if err != nil {
		var fe *schema.FieldError
		var te *trace.TraceError
		if errors.As(err, &te) {
			return nil, err
		}
		if !errors.As(err, &fe) {
			fe = &schema.FieldError{File: file, Want: err.Error(), Err: err}
		}
		if fe.Line == 0 {
			// The nearest setting on the field's path that the document gave.
			for p := fe.Field; ; {
				if lc, ok := pos[p]; ok {
					fe.Line, fe.Col = lc[0], lc[1]
					break
				}
				i := strings.LastIndexAny(p, ".[")
				if i < 0 {
					break
				}
				p = p[:i]
			}
		}
		return nil, wrap(fe)
	}
	return sc, nil
}

// fieldError is a rule of the whole document broken at field.
func fieldError(file, field, format string, args ...any) error {
	return &schema.FieldError{File: file, Field: field, Want: fmt.Sprintf(format, args...)}
}

func build(doc Doc, file string) (*Scenario, error) {
	dir := ""
	if file != "" && !strings.HasPrefix(file, "<") {
		dir = filepath.Dir(file)
	}
	abs := func(f string) string {
		if f == "" || filepath.IsAbs(f) {
			return f
		}
		if a, err := filepath.Abs(filepath.Join(dir, f)); err == nil {
			return a
		}
		return filepath.Join(dir, f)
	}
	doc.Workload.FillSeeds(doc.Seed)
	doc.Workload.Walk("workload", func(n *shape.Node, _ string) {
		if t, ok := n.Shape.(*shape.Trace); ok && t.Data == "" {
			t.File = abs(t.File)
		}
	})
	policies, manifests, err := expandManifests(file, doc.Policies, abs)
	if err != nil {
		return nil, err
	}
	doc.Policies = policies
	if len(doc.Policies) == 0 {
		return nil, fieldError(file, "policies", "empty: a scenario compares at least one policy")
	}
	read, loop, err := loadTraffic(file, &doc)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{"oracle": true}
	for i, p := range doc.Policies {
		if names[p.Name] {
			return nil, fieldError(file, fmt.Sprintf("policies[%d]", i), "the name %s is used twice (or is the oracle's)", schema.Quote(p.Name))
		}
		names[p.Name] = true
	}
	source := file
	if strings.HasPrefix(file, "<") {
		source = "" // standard input, a request: no file
	}
	sc := &Scenario{Name: doc.Name, Seed: doc.Seed, Oracle: doc.Oracle.Utilization, Source: source,
		Engine: doc.Engine, Replications: doc.Replications, Policies: doc.Policies, Manifests: manifests, SLO: doc.SLO}
	if err := timesOf(file, &doc, read, loop); err != nil {
		return nil, err
	}
	if read != nil {
		sc.Traffic = &read.Report
	}

	// The jobs: the latency's cv becomes sigma, a trace's mean becomes
	// the box's latency.
	l := &doc.Jobs.Latency
	jc := sim.JobsConfig{Queue: doc.Jobs.Queue, Value: doc.Jobs.Value, Warmup: doc.Warmup, Seed: doc.Seed}
	if l.CV != nil && l.Sigma != 0 {
		return nil, fieldError(file, "jobs.latency", "a lognormal latency takes sigma or cv, one of them")
	}
	if l.CV != nil {
		if l.Distribution != "lognormal" {
			return nil, fieldError(file, "jobs.latency.cv", "only a lognormal latency takes cv")
		}
		l.Sigma = math.Sqrt(math.Log1p(*l.CV * *l.CV)) // cv² = exp(σ²) − 1
		l.CV = nil
		if !(l.Sigma <= 5) {
			return nil, fieldError(file, "jobs.latency.cv", "gives sigma %g, above 5", l.Sigma)
		}
	}
	if l.Distribution != "lognormal" && l.Sigma != 0 {
		return nil, fieldError(file, "jobs.latency.sigma", "does not apply to the %s latency (only lognormal takes sigma)", l.Distribution)
	}
	if (l.Distribution == "trace") != (l.File != "") {
		return nil, fieldError(file, "jobs.latency.file", "missing, or not for this latency: a trace latency, and only it, takes a file: {distribution: trace, file: jobs.csv}")
	}
	switch l.Distribution {
	case "fixed":
		jc.Latency.Distribution = sim.Fixed
	case "exponential":
		jc.Latency.Distribution = sim.Exponential
	case "lognormal":
		jc.Latency.Distribution, jc.Latency.Sigma = sim.LogNormal, l.Sigma
		if !(l.Sigma > 0) {
			return nil, fieldError(file, "jobs.latency", "a lognormal latency takes sigma or cv")
		}
	case "trace":
		l.File = abs(l.File)
		samples, err := latencies(l.File)
		if err != nil {
			return nil, fieldError(file, "jobs.latency.file", "%v", err)
		}
		jc.Latency = sim.Latency{Distribution: sim.Empirical, Samples: samples}
		if err := jc.Validate(); err != nil {
			return nil, fieldError(file, "jobs.latency.file", "%v", err)
		}
		mean := jc.Latency.Mean(0)
		doc.Box.Latency = time.Duration(math.Round(mean * 1e9))
		if doc.Box.Latency <= 0 {
			return nil, fieldError(file, "jobs.latency.file", "the latencies' mean %gs is below a nanosecond", mean)
		}
	}
	if err := checkJobs(file, doc.Jobs); err != nil {
		return nil, err
	}
	if err := sloJobs(file, doc, &jc); err != nil {
		return nil, err
	}
	if err := jc.Validate(); err != nil {
		return nil, fieldError(file, "jobs", "%v", err)
	}
	if doc.Engine != EngineEvents {
		var what []string
		if doc.Replications > 1 {
			what = append(what, "replications")
		}
		if doc.Warmup > 0 {
			what = append(what, "warmup")
		}
		if doc.Jobs != (Jobs{Latency: Latency{Distribution: "fixed"}, Queue: sim.Queue{Kind: sim.NoQueue}}) {
			what = append(what, "jobs")
		}
		if len(what) > 0 {
			return nil, fieldError(file, what[0], "%s need the events engine (engine: events, or --engine events)", strings.Join(what, " and "))
		}
	} else if doc.Warmup >= *doc.Horizon {
		return nil, fieldError(file, "warmup", "%v must be below the horizon %v", doc.Warmup, *doc.Horizon)
	}

	// The setup.
	if doc.Box.Drain == nil {
		d := doc.Box.Latency
		doc.Box.Drain = &d
	}
	sc.Setup = sim.Setup{
		Box:     boxBox(doc.Box),
		Boot:    doc.Box.Boot,
		Drain:   *doc.Box.Drain,
		Billing: doc.Billing.Billing,
		Horizon: *doc.Horizon,
		Step:    doc.Step,
		Start:   *doc.Start,
		Points:  doc.Points,
	}
	if err := sc.Setup.Box.Validate(); err != nil {
		return nil, fieldError(file, "box.price", "%v", err)
	}
	if err := sc.Setup.Validate(); err != nil {
		return nil, fieldError(file, "horizon", "%v", err)
	}

	// The workload.
	c, err := doc.Workload.Curve(shape.Env{StartOfDay: secondsIntoDay(*doc.Start)})
	var te *trace.TraceError
	if errors.As(err, &te) {
		return nil, te // it names the trace file, line and column
	} else if err != nil {
		return nil, fieldError(file, "workload", "%v", err)
	}
	sc.Workload = c
	if t, ok := doc.Workload.Shape.(*shape.Trace); ok && doc.Engine == EngineEvents {
		jc.Arrivals = t.Arrivals()
	}
	sc.Jobs = jc
	sc.Doc = doc
	sc.Policies = doc.Policies
	return sc, nil
}

// latencies reads a job log's latency column.
func latencies(file string) ([]float64, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	log, err := trace.ReadJobLog(f, file, trace.TraceOptions{})
	if err != nil {
		return nil, err
	}
	if log.Latencies == nil {
		return nil, fmt.Errorf("%s has no latency column", file)
	}
	return log.Latencies, nil
}

// WithEngine is the scenario on another engine and, when replications is
// positive, with that many replications: the one place the engine is
// chosen, so that a job log's replay follows the choice.
func (sc *Scenario) WithEngine(engine string, replications int) (*Scenario, error) {
	doc := sc.Doc
	if engine != "" {
		if engine != EngineFluid && engine != EngineEvents {
			return nil, fmt.Errorf("scenario: unknown engine %s (want fluid or events)", schema.Quote(engine))
		}
		doc.Engine = engine
	}
	if replications != 0 {
		if replications < 1 || replications > MaxReplications {
			return nil, fmt.Errorf("scenario: replications %d must be in [1, %d]", replications, MaxReplications)
		}
		doc.Replications = replications
	}
	return Build(doc, sc.Source)
}

// MaxReplications bounds a scenario's replications.
const MaxReplications = 10_000

// Document is the normalized scenario as a document node, for a result to
// carry and for `boxes simulate` to read back.
func (sc *Scenario) Document() (*yaml.Node, error) { return schema.Encode(sc.Doc) }

// Policy returns the policy config of kind with its defaults, for callers
// that build a scenario in code.
func NewPolicy(name, kind string) (Policy, error) {
	k, ok := PolicyKinds().Lookup(kind)
	if !ok {
		return Policy{}, schema.KindError("policy", kind, PolicyKinds())
	}
	v := k.New()
	if err := schema.SetDefaults(v); err != nil {
		return Policy{}, err
	}
	return Policy{Name: name, Kind: kind, Config: v.(policy.Config)}, nil
}

// secondsIntoDay is how far t is into its day, in its location.
func secondsIntoDay(t time.Time) float64 {
	h, m, s := t.Clock()
	return float64(h*3600+m*60+s) + float64(t.Nanosecond())/1e9
}

// Stats are a workload's rates over the scenario's horizon, step by step.
type Stats = sim.WorkloadStats

// Measure reads the scenario's workload over its horizon.
func (sc *Scenario) Measure() Stats {
	if sc.samples != nil {
		return sc.samples.stats // measured once, from the same steps
	}
	s := sc.Setup
	dt := s.Step.Seconds()
	n := int(s.Horizon / s.Step)
	sampler := workload.NewSampler(sc.Workload, 0, dt)
	buf := make([]float64, 4096)
	var st Stats
	for k := 0; k < n; k += len(buf) {
		m := min(len(buf), n-k)
		sampler.Next(buf[:m])
		for i, a := range buf[:m] {
			if k+i == 0 {
				st.Initial = a / dt
			}
			st.Peak = math.Max(st.Peak, a/dt)
			st.Jobs += a
		}
	}
	st.Mean = st.Jobs / s.Horizon.Seconds()
	return st
}

// Env is what the scenario's policies may know before a run.
func (sc *Scenario) Env(st Stats) policy.Env {
	s := sc.Setup
	return policy.Env{
		Latency:     s.Box.Latency.Seconds(),
		Step:        s.Step.Seconds(),
		Boot:        s.Boot.Seconds(),
		Horizon:     s.Horizon.Seconds(),
		Start:       s.Start,
		PeakRate:    st.Peak,
		MeanRate:    st.Mean,
		InitialRate: st.Initial,
	}
}

// boxBox is the root package's Box of a document's box.
func boxBox(b Box) boxes.Box { return boxes.Box{Latency: b.Latency, Price: b.Price} }

// checkJobs names the field of a queue or value setting that does not go
// with the others.
func checkJobs(file string, j Jobs) error {
	q, v := j.Queue, j.Value
	switch {
	case q.Kind == sim.Bounded && q.Capacity < 1:
		return fieldError(file, "jobs.queue.capacity", "missing: a bounded queue needs a capacity of at least 1")
	case q.Kind != sim.Bounded && q.Capacity != 0:
		return fieldError(file, "jobs.queue.capacity", "only a bounded queue has a capacity")
	case q.Kind == sim.NoQueue && q.Deadline != 0:
		return fieldError(file, "jobs.queue.deadline", "needs a queue to wait in (bounded or unbounded)")
	case q.Kind == sim.NoQueue && q.Crash != sim.Crash{}:
		return fieldError(file, "jobs.queue.crash", "needs a queue to crash (bounded or unbounded)")
	case q.Crash.Length == 0 && q.Crash.Recovery != 0:
		return fieldError(file, "jobs.queue.crash.length", "missing: the jobs waiting that bring the system down")
	case q.Kind == sim.Bounded && q.Crash.Length >= q.Capacity:
		return fieldError(file, "jobs.queue.crash.length", "%d must be below the queue's capacity %d, or it never crashes", q.Crash.Length, q.Capacity)
	}
	params := map[sim.ValueKind]string{sim.Linear: "horizon", sim.Decay: "half_life", sim.StepValue: "deadline"}
	given := map[string]bool{"horizon": v.Horizon != 0, "half_life": v.HalfLife != 0, "deadline": v.Deadline != 0}
	want := params[v.Kind]
	for _, p := range []string{"horizon", "half_life", "deadline"} {
		if given[p] && p != want {
			if want == "" {
				return fieldError(file, "jobs.value."+p, "needs a value kind (linear, exponential or step)")
			}
			return fieldError(file, "jobs.value."+p, "does not apply to the %s value (it takes %s)", v.Kind, want)
		}
	}
	if want != "" && !given[want] {
		return fieldError(file, "jobs.value."+want, "missing: the %s value needs a positive %s", v.Kind, want)
	}
	return nil
}

// Files lists the files the document reads (traces, job logs, manifests)
// and the servers it asks (a live Prometheus): a server that must not
// read its own files, nor ask others for the sender, refuses documents
// that name any.
func (d *Doc) Files() []string {
	var out []string
	d.Workload.Walk("workload", func(n *shape.Node, _ string) {
		switch s := n.Shape.(type) {
		case *shape.Trace:
			if s.Data == "" {
				out = append(out, s.File)
			}
		case *shape.Prometheus:
			out = append(out, s.URL)
		}
	})
	if d.Jobs.Latency.File != "" {
		out = append(out, d.Jobs.Latency.File)
	}
	for _, p := range d.Policies {
		if p.Manifest != "" {
			out = append(out, p.Manifest)
		}
	}
	return out
}
