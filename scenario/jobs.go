package scenario

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/workload"
)

// Engines a scenario may run on.
const (
	EngineFluid  = "fluid"
	EngineEvents = "events"
)

// MaxReplications bounds a scenario's replications.
const MaxReplications = 10_000

// engine reads engine, replications and warmup (the top-level settings of
// the events engine).
func (d *decoder) engine(f *fields, sc *Scenario) error {
	if err := d.str(f, "engine", &sc.Engine); err != nil {
		return err
	}
	switch sc.Engine {
	case "":
		sc.Engine = EngineFluid
	case EngineFluid, EngineEvents:
	default:
		n, path, _ := f.get("engine")
		return d.errorf(n, path, "unknown engine %q (want fluid or events)", sc.Engine)
	}
	if err := d.integer(f, "replications", &sc.Replications); err != nil {
		return err
	}
	if n, path, ok := f.get("replications"); ok && (sc.Replications < 1 || sc.Replications > MaxReplications) {
		return d.errorf(n, path, "%d must be in [1, %d]", sc.Replications, MaxReplications)
	}
	if err := d.duration(f, "warmup", &sc.Jobs.Warmup); err != nil {
		return err
	}
	if n, path, ok := f.get("warmup"); ok && (sc.Jobs.Warmup < 0 || sc.Jobs.Warmup >= sc.Setup.Horizon) {
		return d.errorf(n, path, "%v must be in [0, the horizon %v)", sc.Jobs.Warmup, sc.Setup.Horizon)
	}
	return nil
}

// jobs reads the jobs block: latency, queue, value.
func (d *decoder) jobs(f *fields, sc *Scenario, latencySet bool) error {
	n, path, ok := f.get("jobs")
	if !ok {
		return nil
	}
	j, err := d.mapping(n, path, "latency", "queue", "value")
	if err != nil {
		return err
	}
	cfg := &sc.Jobs
	if err := d.latency(j, cfg, sc, latencySet); err != nil {
		return err
	}
	if err := d.queue(j, cfg); err != nil {
		return err
	}
	if err := d.value(j, cfg); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return d.wrap(n, path, err)
	}
	return nil
}

// kindOf reads a node that is either a kind ("exponential") or a mapping
// whose key field names the kind; it returns the mapping's fields (nil for a
// bare kind).
// kindNode is the node naming the kind: n itself, or its key field.
func kindNode(n *yaml.Node, f *fields, key string) *yaml.Node {
	if f != nil {
		if kn, _, ok := f.get(key); ok {
			return kn
		}
	}
	return n
}

func (d *decoder) kindOf(n *yaml.Node, path, key string, known ...string) (string, *fields, error) {
	if resolve(n).Kind == yaml.ScalarNode {
		v, err := d.scalar(n, path)
		return v, nil, err
	}
	f, err := d.mapping(n, path, append([]string{key}, known...)...)
	if err != nil {
		return "", nil, err
	}
	if err := d.require(f, key); err != nil {
		return "", nil, err
	}
	var kind string
	if err := d.str(f, key, &kind); err != nil {
		return "", nil, err
	}
	return kind, f, nil
}

func (d *decoder) latency(j *fields, cfg *sim.JobsConfig, sc *Scenario, latencySet bool) error {
	n, path, ok := j.get("latency")
	if !ok {
		return nil
	}
	kind, f, err := d.kindOf(n, path, "distribution", "sigma", "cv", "file")
	if err != nil {
		return err
	}
	l := &cfg.Latency
	allowed := map[string][]string{"fixed": nil, "exponential": nil, "lognormal": {"sigma", "cv"}, "trace": {"file"}}
	want, known := allowed[kind]
	if !known {
		return d.errorf(kindNode(n, f, "distribution"), join(path, "distribution"), "unknown distribution %q (want fixed, exponential, lognormal or trace)", kind)
	}
	if f != nil {
		for _, name := range f.order {
			if name != "distribution" && !contains(want, name) {
				fn, fp, _ := f.get(name)
				return d.errorf(fn, fp, "does not apply to the %s latency", kind)
			}
		}
	}
	switch kind {
	case "fixed":
		l.Distribution = sim.Fixed
	case "exponential":
		l.Distribution = sim.Exponential
	case "lognormal":
		l.Distribution = sim.LogNormal
		_, _, hasSigma := f.get("sigma")
		_, _, hasCV := f.get("cv")
		switch {
		case f == nil || hasSigma == hasCV:
			return d.errorf(n, path, "a lognormal latency takes sigma or cv, one of them")
		case hasSigma:
			if err := d.float(f, "sigma", &l.Sigma); err != nil {
				return err
			}
		default:
			var cv float64
			if err := d.float(f, "cv", &cv); err != nil {
				return err
			}
			if !(cv > 0 && cv <= 100) {
				cn, cp, _ := f.get("cv")
				return d.errorf(cn, cp, "%g must be in (0, 100]", cv)
			}
			l.Sigma = math.Sqrt(math.Log1p(cv * cv)) // cv² = exp(σ²) − 1
		}
		if !(l.Sigma > 0 && l.Sigma <= 5) {
			sn, sp, _ := f.get("sigma")
			if sn == nil {
				sn, sp, _ = f.get("cv")
			}
			return d.errorf(sn, sp, "sigma %g must be in (0, 5]", l.Sigma)
		}
	case "trace":
		if f == nil {
			return d.errorf(n, path, "a trace latency needs a file: {distribution: trace, file: jobs.csv}")
		}
		if err := d.require(f, "file"); err != nil {
			return err
		}
		if latencySet {
			return d.errorf(n, path, "the trace sets the mean latency; leave box.latency out")
		}
		var file string
		if err := d.str(f, "file", &file); err != nil {
			return err
		}
		fn, fp, _ := f.get("file")
		log, err := d.jobLog(file, fn, fp)
		if err != nil {
			return err
		}
		if log.Latencies == nil {
			return d.errorf(fn, fp, "%s has no latency column", file)
		}
		l.Distribution = sim.Empirical
		l.Samples = log.Latencies
		if err := cfg.Validate(); err != nil {
			return d.wrap(fn, fp, err)
		}
		mean := l.Mean(0)
		sc.Setup.Box.Latency = time.Duration(math.Round(mean * 1e9))
		if sc.Setup.Box.Latency <= 0 {
			return d.errorf(fn, fp, "the latencies' mean %gs is below a nanosecond", mean)
		}
	}
	return nil
}

// jobLog reads a job log beside the scenario file.
func (d *decoder) jobLog(file string, n *yaml.Node, path string) (*workload.JobLog, error) {
	if !filepath.IsAbs(file) && d.file != "" {
		file = filepath.Join(filepath.Dir(d.file), file)
	}
	fh, err := os.Open(file)
	if err != nil {
		return nil, d.wrap(n, path, err)
	}
	defer fh.Close()
	return workload.ReadJobLog(fh, file, workload.TraceOptions{})
}

func (d *decoder) queue(j *fields, cfg *sim.JobsConfig) error {
	n, path, ok := j.get("queue")
	if !ok {
		return nil
	}
	kind, f, err := d.kindOf(n, path, "kind", "capacity", "deadline", "late_after", "crash")
	if err != nil {
		return err
	}
	q := &cfg.Queue
	switch kind {
	case "none":
		q.Kind = sim.NoQueue
	case "bounded":
		q.Kind = sim.Bounded
	case "unbounded":
		q.Kind = sim.Unbounded
	default:
		return d.errorf(kindNode(n, f, "kind"), join(path, "kind"), "unknown queue %q (want none, bounded or unbounded)", kind)
	}
	if f == nil {
		if q.Kind == sim.Bounded {
			return d.errorf(n, path, "a bounded queue needs a capacity: {kind: bounded, capacity: 100}")
		}
		return nil
	}
	if err := d.integer(f, "capacity", &q.Capacity); err != nil {
		return err
	}
	if q.Kind == sim.Bounded {
		if err := d.require(f, "capacity"); err != nil {
			return err
		}
		if cn, cp, _ := f.get("capacity"); q.Capacity < 1 || q.Capacity > sim.MaxQueueCapacity {
			return d.errorf(cn, cp, "%d must be in [1, %d]", q.Capacity, sim.MaxQueueCapacity)
		}
	} else if cn, cp, ok := f.get("capacity"); ok {
		return d.errorf(cn, cp, "only a bounded queue has a capacity")
	}
	if err := d.duration(f, "deadline", &q.Deadline); err != nil {
		return err
	}
	if err := d.duration(f, "late_after", &q.LateAfter); err != nil {
		return err
	}
	for _, name := range []string{"deadline", "late_after"} {
		if vn, vp, ok := f.get(name); ok && (q.Deadline < 0 || q.LateAfter < 0) {
			return d.errorf(vn, vp, "must not be negative")
		}
	}
	if q.Kind == sim.NoQueue {
		if dn, dp, ok := f.get("deadline"); ok {
			return d.errorf(dn, dp, "needs a queue to wait in (bounded or unbounded)")
		}
	}
	if cn, cp, ok := f.get("crash"); ok {
		c, err := d.mapping(cn, cp, "length", "recovery")
		if err != nil {
			return err
		}
		if err := d.require(c, "length"); err != nil {
			return err
		}
		if err := d.integer(c, "length", &q.Crash.Length); err != nil {
			return err
		}
		if err := d.duration(c, "recovery", &q.Crash.Recovery); err != nil {
			return err
		}
		ln, lp, _ := c.get("length")
		switch {
		case q.Kind == sim.NoQueue:
			return d.errorf(cn, cp, "needs a queue to crash (bounded or unbounded)")
		case q.Crash.Length < 1 || q.Crash.Length > sim.MaxQueueCapacity:
			return d.errorf(ln, lp, "%d must be in [1, %d]", q.Crash.Length, sim.MaxQueueCapacity)
		case q.Kind == sim.Bounded && q.Crash.Length >= q.Capacity:
			return d.errorf(ln, lp, "%d must be below the queue's capacity %d, or it never crashes", q.Crash.Length, q.Capacity)
		case q.Crash.Recovery < 0:
			rn, rp, _ := c.get("recovery")
			return d.errorf(rn, rp, "must not be negative")
		}
	}
	return nil
}

func (d *decoder) value(j *fields, cfg *sim.JobsConfig) error {
	n, path, ok := j.get("value")
	if !ok {
		return nil
	}
	kind, f, err := d.kindOf(n, path, "kind", "horizon", "half_life", "deadline")
	if err != nil {
		return err
	}
	v := &cfg.Value
	params := map[string]string{"linear": "horizon", "exponential": "half_life", "step": "deadline"}
	param, known := params[kind]
	if !known {
		return d.errorf(kindNode(n, f, "kind"), join(path, "kind"), "unknown value %q (want linear, exponential or step)", kind)
	}
	if f == nil {
		return d.errorf(n, path, "the %s value needs a %s: {kind: %s, %s: 2s}", kind, param, kind, param)
	}
	for _, name := range f.order {
		if name != "kind" && name != param {
			fn, fp, _ := f.get(name)
			return d.errorf(fn, fp, "does not apply to the %s value (it takes %s)", kind, param)
		}
	}
	if err := d.require(f, param); err != nil {
		return err
	}
	var x time.Duration
	if err := d.duration(f, param, &x); err != nil {
		return err
	}
	if pn, pp, _ := f.get(param); x <= 0 {
		return d.errorf(pn, pp, "%v must be positive", x)
	}
	switch kind {
	case "linear":
		*v = sim.Value{Kind: sim.Linear, Horizon: x}
	case "exponential":
		*v = sim.Value{Kind: sim.Decay, HalfLife: x}
	case "step":
		*v = sim.Value{Kind: sim.StepValue, Deadline: x}
	}
	return nil
}

// Validate reports settings that do not go together: the jobs block,
// a warm-up or replications with the fluid engine. Parse calls it; call it
// again after changing Engine or Replications.
func (sc *Scenario) Validate() error {
	if err := sc.validate(); err != nil {
		return fmt.Errorf("scenario: %w", err)
	}
	return nil
}

func (sc *Scenario) validate() error {
	switch sc.Engine {
	case "", EngineFluid, EngineEvents:
	default:
		return fmt.Errorf("unknown engine %q (want fluid or events)", sc.Engine)
	}
	if sc.Replications < 0 || sc.Replications > MaxReplications {
		return fmt.Errorf("replications %d must be in [1, %d]", sc.Replications, MaxReplications)
	}
	if sc.Engine == EngineEvents {
		return sc.Jobs.Validate()
	}
	var what []string
	if sc.Replications > 1 {
		what = append(what, "replications")
	}
	if sc.Jobs.Warmup > 0 {
		what = append(what, "warmup")
	}
	j := sc.Jobs
	if j.Latency.Distribution != "" || j.Queue != (sim.Queue{}) || j.Value != (sim.Value{}) {
		what = append(what, "jobs")
	}
	if len(what) > 0 {
		return fmt.Errorf("%s need the events engine (engine: events, or --engine events)", strings.Join(what, " and "))
	}
	return nil
}
