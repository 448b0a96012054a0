// Package scenario reads and runs scenario files: a box, a workload, the
// ways of scaling to compare, and how long to simulate. A scenario file is
// YAML; unknown fields are rejected and every error names the file, line,
// column and field. The default scenario is embedded: one day of a daily
// cycle with a lunchtime spike, run under fixed capacity (sized for the
// peak and for the mean), Kubernetes' HPA and a serverless platform, against
// the oracle.
package scenario

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/workload"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML is the text of the embedded default scenario.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Default returns the embedded default scenario.
func Default() (*Scenario, error) { return Parse(defaultYAML, "default.yaml") }

// Scenario is a parsed, validated scenario.
type Scenario struct {
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

	// Engine is EngineFluid (the default) or EngineEvents, the per-job
	// engine, which takes Jobs (its latency, queue, value, warm-up and
	// seed, and a job log's arrival times when the workload is one) and
	// runs each box policy Replications times (0 or 1: once). Serverless
	// policies and the oracle run on the fluid engine either way.
	Engine       string
	Replications int
	Jobs         sim.JobsConfig
}

// Policy is one way of scaling to compare.
type Policy struct {
	Name string
	Kind string // "fixed", "hpa", "target", "scheduled" or "serverless"
	// Config is the box policy; nil for serverless.
	Config policy.Config
	// Serverless is the platform's settings for kind "serverless".
	Serverless *policy.Serverless
	Line       int // line of the policy in the file, for errors
}

// Load reads and validates the scenario file at path.
func Load(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	return Parse(b, path)
}

// Read reads a scenario from r; name is used in errors.
func Read(r io.Reader, name string) (*Scenario, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("scenario: %s: %w", name, err)
	}
	return Parse(b, name)
}

// maxFileSize bounds a scenario file: 4 MiB.
const maxFileSize = 4 << 20

var topFields = []string{"name", "horizon", "step", "seed", "start", "points", "box", "billing", "workload", "oracle", "policies",
	"engine", "replications", "warmup", "jobs"}

// Parse reads and validates a scenario; file names it in errors. Relative
// trace paths are resolved against the file's directory.
func Parse(data []byte, file string) (*Scenario, error) {
	if len(data) > maxFileSize {
		return nil, &Error{File: file, Err: fmt.Errorf("file is larger than %d bytes", maxFileSize)}
	}
	d := &decoder{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: file, Err: err}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{File: file, Err: fmt.Errorf("empty scenario")}
	}
	f, err := d.mapping(&doc, "", topFields...)
	if err != nil {
		return nil, err
	}
	sc := &Scenario{Setup: sim.DefaultSetup(), Seed: 1, Oracle: 1, Source: file}
	if err := d.str(f, "name", &sc.Name); err != nil {
		return nil, err
	}
	if err := d.setup(f, sc); err != nil {
		return nil, err
	}
	if err := d.engine(f, sc); err != nil {
		return nil, err
	}
	latencySet := false
	if bn, _, ok := f.get("box"); ok {
		if resolve(bn).Kind == yaml.MappingNode {
			for i := 0; i+1 < len(resolve(bn).Content); i += 2 {
				latencySet = latencySet || resolve(bn).Content[i].Value == "latency"
			}
		}
	}
	if err := d.jobs(f, sc, latencySet); err != nil {
		return nil, err
	}
	sc.Jobs.Seed = sc.Seed
	wn, path, ok := f.get("workload")
	if !ok {
		return nil, d.errorf(f.node, "workload", "missing: a scenario needs a workload")
	}
	w := &workloadDecoder{decoder: d, seed: sc.Seed, startOfDay: secondsIntoDay(sc.Setup.Start), events: sc.Engine == EngineEvents}
	if sc.Workload, err = w.curve(wn, path); err != nil {
		return nil, err
	}
	sc.Jobs.Arrivals = w.arrivals
	if err := sc.validate(); err != nil {
		var n *yaml.Node
		field := ""
		for _, name := range []string{"jobs", "warmup", "replications"} {
			if fn, fp, ok := f.get(name); ok {
				n, field = fn, fp
				break
			}
		}
		return nil, d.wrap(n, field, err)
	}
	if err := d.oracle(f, sc); err != nil {
		return nil, err
	}
	if err := d.policies(f, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// setup reads the run's length, step, box and billing.
func (d *decoder) setup(f *fields, sc *Scenario) error {
	s := &sc.Setup
	if err := d.duration(f, "horizon", &s.Horizon); err != nil {
		return err
	}
	if err := d.duration(f, "step", &s.Step); err != nil {
		return err
	}
	if err := d.seed(f, "seed", &sc.Seed); err != nil {
		return err
	}
	err := field(d, f, "start", &s.Start, func(v string) (time.Time, error) {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return t, fmt.Errorf("%q is not an RFC 3339 time like 2026-01-05T00:00:00Z", v)
		}
		return t, nil
	})
	if err != nil {
		return err
	}
	if err := d.integer(f, "points", &s.Points); err != nil {
		return err
	}
	drainSet := false
	if n, path, ok := f.get("box"); ok {
		b, err := d.mapping(n, path, "latency", "price", "boot", "drain")
		if err != nil {
			return err
		}
		if err := d.duration(b, "latency", &s.Box.Latency); err != nil {
			return err
		}
		if err := d.price(b, "price", &s.Box.Price); err != nil {
			return err
		}
		if err := d.duration(b, "boot", &s.Boot); err != nil {
			return err
		}
		_, _, drainSet = b.get("drain")
		if err := d.duration(b, "drain", &s.Drain); err != nil {
			return err
		}
		if err := s.Box.Validate(); err != nil {
			field := "box.latency"
			if s.Box.Latency > 0 {
				field = "box.price"
			}
			fn, _, _ := b.get(field[len("box."):])
			if fn == nil {
				fn = n
			}
			return d.wrap(fn, field, err)
		}
	}
	if !drainSet {
		s.Drain = s.Box.Latency
	}
	if n, path, ok := f.get("billing"); ok {
		if err := d.billing(n, path, &s.Billing); err != nil {
			return err
		}
	}
	if err := s.Validate(); err != nil {
		return d.wrap(f.node, "", err)
	}
	return nil
}

// billing reads "per-second", "per-hour", or {increment, minimum}.
func (d *decoder) billing(n *yaml.Node, path string, b *sim.Billing) error {
	if resolve(n).Kind == yaml.ScalarNode {
		switch v, _ := d.scalar(n, path); v {
		case "per-second", "second":
			*b = sim.PerSecond()
		case "per-second-minimum", "per-second-with-minimum":
			*b = sim.PerSecondMinimum(time.Minute)
		case "per-hour", "hour", "per-started-hour":
			*b = sim.PerHour()
		case "exact", "none":
			*b = sim.Billing{}
		default:
			return d.errorf(n, path, "unknown billing %q (want per-second, per-second-minimum, per-hour or {increment, minimum})", v)
		}
		return nil
	}
	f, err := d.mapping(n, path, "increment", "minimum")
	if err != nil {
		return err
	}
	*b = sim.Billing{}
	if err := d.duration(f, "increment", &b.Increment); err != nil {
		return err
	}
	if err := d.duration(f, "minimum", &b.Minimum); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return d.wrap(n, path, err)
	}
	return nil
}

func (d *decoder) oracle(f *fields, sc *Scenario) error {
	n, path, ok := f.get("oracle")
	if !ok {
		return nil
	}
	o, err := d.mapping(n, path, "utilization")
	if err != nil {
		return err
	}
	if err := d.float(o, "utilization", &sc.Oracle); err != nil {
		return err
	}
	if !(sc.Oracle > 0 && sc.Oracle <= 1) {
		un, upath, _ := o.get("utilization")
		return d.errorf(un, upath, "%g must be in (0, 1]", sc.Oracle)
	}
	return nil
}

// secondsIntoDay is how far t is into its day, in its location.
func secondsIntoDay(t time.Time) float64 {
	h, m, s := t.Clock()
	return float64(h*3600+m*60+s) + float64(t.Nanosecond())/1e9
}

// Stats are a workload's rates over the scenario's horizon, step by step.
type Stats struct {
	Peak    float64 // highest JobRate of a step, jobs/s
	Mean    float64 // mean JobRate, jobs/s
	Initial float64 // JobRate of the first step, jobs/s
	Jobs    float64 // jobs over the horizon
}

// Measure reads the scenario's workload over its horizon.
func (sc *Scenario) Measure() Stats {
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
