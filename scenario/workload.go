package scenario

import (
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/workload"
)

// workloadKinds are the kinds of workload node; each node is a mapping with
// exactly one of them as its key.
var workloadKinds = []string{"constant", "daily", "burst", "linear", "exponential", "steps",
	"sum", "product", "clamp", "noise", "poisson", "preset", "trace"}

type workloadDecoder struct {
	*decoder
	seed       uint64
	startOfDay float64 // seconds from midnight to time 0
	// events is set for the events engine: a top-level trace that is a job
	// log then gives the jobs' arrival times too.
	events   bool
	arrivals []float64
}

// curve decodes a workload node: {kind: settings}.
func (w *workloadDecoder) curve(n *yaml.Node, path string) (workload.Curve, error) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return nil, w.errorf(n, path, "want exactly one of %s", strings.Join(workloadKinds, ", "))
	}
	key, body := n.Content[0], n.Content[1]
	kind := key.Value
	p := join(path, kind)
	var c workload.Curve
	var err error
	switch kind {
	case "constant":
		c, err = w.constant(body, p)
	case "daily":
		c, err = w.daily(body, p)
	case "burst":
		c, err = w.burst(body, p)
	case "linear":
		c, err = w.linear(body, p)
	case "exponential":
		c, err = w.exponential(body, p)
	case "steps":
		c, err = w.steps(body, p)
	case "sum", "product":
		c, err = w.parts(kind, body, p)
	case "clamp":
		c, err = w.clamp(body, p)
	case "noise":
		c, err = w.noise(body, p)
	case "poisson":
		c, err = w.poisson(body, p)
	case "preset":
		c, err = w.preset(body, p)
	case "trace":
		c, err = w.trace(body, p)
	default:
		return nil, w.errorf(key, path, "unknown workload %q (want one of %s)", kind, strings.Join(workloadKinds, ", "))
	}
	if err != nil {
		return nil, err
	}
	if err := workload.Validate(c); err != nil {
		return nil, w.wrap(body, p, err)
	}
	return c, nil
}

// clock reads a time: "12:00" is that time of day on the first day (in the
// scenario's start location), "90m" is that long after time 0.
func (w *workloadDecoder) clock(f *fields, name string, dst *float64) error {
	return field(w.decoder, f, name, dst, func(s string) (float64, error) {
		v, err := parseClock(s)
		if strings.Contains(s, ":") {
			v -= w.startOfDay
		}
		return v, err
	})
}

// seconds reads a duration as seconds.
func (w *workloadDecoder) seconds(f *fields, name string, dst *float64) error {
	return field(w.decoder, f, name, dst, func(s string) (float64, error) {
		d, err := boxes.ParseDuration(s)
		return d.Seconds(), err
	})
}

func (w *workloadDecoder) constant(n *yaml.Node, path string) (workload.Curve, error) {
	if resolve(n).Kind == yaml.ScalarNode { // constant: 40/s
		f := &fields{node: n, path: "", keys: map[string]*yaml.Node{path: n}}
		var r float64
		if err := w.rate(f, path, &r); err != nil {
			return nil, err
		}
		return workload.Constant(r), nil
	}
	f, err := w.mapping(n, path, "rate")
	if err != nil {
		return nil, err
	}
	if err := w.require(f, "rate"); err != nil {
		return nil, err
	}
	var r float64
	if err := w.rate(f, "rate", &r); err != nil {
		return nil, err
	}
	return workload.Constant(r), nil
}

func (w *workloadDecoder) daily(n *yaml.Node, path string) (workload.Curve, error) {
	f, err := w.mapping(n, path, "mean", "ratio", "period", "peak")
	if err != nil {
		return nil, err
	}
	if err := w.require(f, "mean"); err != nil {
		return nil, err
	}
	d := workload.Daily{Ratio: 3, Period: 86400, Peak: 14*3600 - w.startOfDay}
	if err := w.rate(f, "mean", &d.Mean); err != nil {
		return nil, err
	}
	if err := w.float(f, "ratio", &d.Ratio); err != nil {
		return nil, err
	}
	if err := w.seconds(f, "period", &d.Period); err != nil {
		return nil, err
	}
	if err := w.clock(f, "peak", &d.Peak); err != nil {
		return nil, err
	}
	return d, nil
}

func (w *workloadDecoder) burst(n *yaml.Node, path string) (workload.Curve, error) {
	f, err := w.mapping(n, path, "start", "duration", "height", "every")
	if err != nil {
		return nil, err
	}
	if err := w.require(f, "start", "duration", "height"); err != nil {
		return nil, err
	}
	var b workload.Burst
	if err := w.clock(f, "start", &b.Start); err != nil {
		return nil, err
	}
	if err := w.seconds(f, "duration", &b.Duration); err != nil {
		return nil, err
	}
	if err := w.rate(f, "height", &b.Height); err != nil {
		return nil, err
	}
	if err := w.seconds(f, "every", &b.Every); err != nil {
		return nil, err
	}
	return b, nil
}

// linear reads {from, to, over}: the rate moves from `from` to `to` over
// `over`, and keeps the same slope after.
func (w *workloadDecoder) linear(n *yaml.Node, path string) (workload.Curve, error) {
	f, err := w.mapping(n, path, "from", "to", "over")
	if err != nil {
		return nil, err
	}
	if err := w.require(f, "from", "to", "over"); err != nil {
		return nil, err
	}
	var from, to, over float64
	if err := w.rate(f, "from", &from); err != nil {
		return nil, err
	}
	if err := w.rate(f, "to", &to); err != nil {
		return nil, err
	}
	if err := w.seconds(f, "over", &over); err != nil {
		return nil, err
	}
	if !(over > 0) {
		on, op, _ := f.get("over")
		return nil, w.errorf(on, op, "must be positive")
	}
	return workload.Linear{From: from, Slope: (to - from) / over}, nil
}

// exponential reads {from, doubling} or {from, to, over}.
func (w *workloadDecoder) exponential(n *yaml.Node, path string) (workload.Curve, error) {
	f, err := w.mapping(n, path, "from", "doubling", "to", "over")
	if err != nil {
		return nil, err
	}
	if err := w.require(f, "from"); err != nil {
		return nil, err
	}
	var e workload.Exponential
	if err := w.rate(f, "from", &e.From); err != nil {
		return nil, err
	}
	_, _, hasDoubling := f.get("doubling")
	_, _, hasTo := f.get("to")
	switch {
	case hasDoubling && !hasTo:
		if err := w.seconds(f, "doubling", &e.Doubling); err != nil {
			return nil, err
		}
	case hasTo && !hasDoubling:
		if err := w.require(f, "over"); err != nil {
			return nil, err
		}
		var to, over float64
		if err := w.rate(f, "to", &to); err != nil {
			return nil, err
		}
		if err := w.seconds(f, "over", &over); err != nil {
			return nil, err
		}
		if !(to > 0 && e.From > 0 && over > 0) || to == e.From {
			return nil, w.errorf(n, path, "from and to must be positive and different, over positive")
		}
		// from × 2^(over/doubling) = to
		e.Doubling = over * 0.6931471805599453 / logRatio(to, e.From)
	default:
		return nil, w.errorf(n, path, "give either doubling, or to and over")
	}
	return e, nil
}

func (w *workloadDecoder) steps(n *yaml.Node, path string) (workload.Curve, error) {
	f, err := w.mapping(n, path, "initial", "steps")
	if err != nil {
		return nil, err
	}
	var s workload.Steps
	if err := w.rate(f, "initial", &s.Initial); err != nil {
		return nil, err
	}
	if ln, lpath, ok := f.get("steps"); ok {
		items, err := w.list(ln, lpath)
		if err != nil {
			return nil, err
		}
		for i, item := range items {
			ip := fmt.Sprintf("%s[%d]", lpath, i)
			sf, err := w.mapping(item, ip, "at", "rate")
			if err != nil {
				return nil, err
			}
			if err := w.require(sf, "at", "rate"); err != nil {
				return nil, err
			}
			var st workload.Step
			if err := w.clock(sf, "at", &st.At); err != nil {
				return nil, err
			}
			if err := w.rate(sf, "rate", &st.Rate); err != nil {
				return nil, err
			}
			s.Steps = append(s.Steps, st)
		}
	}
	return s, nil
}

func (w *workloadDecoder) parts(kind string, n *yaml.Node, path string) (workload.Curve, error) {
	items, err := w.list(n, path)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, w.errorf(n, path, "needs at least one part")
	}
	parts := make([]workload.Curve, len(items))
	for i, item := range items {
		if parts[i], err = w.curve(item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return nil, err
		}
	}
	if kind == "product" {
		return workload.Product(parts), nil
	}
	return workload.Sum(parts), nil
}

func (w *workloadDecoder) of(f *fields) (workload.Curve, error) {
	if err := w.require(f, "of"); err != nil {
		return nil, err
	}
	n, path, _ := f.get("of")
	return w.curve(n, path)
}

func (w *workloadDecoder) clamp(n *yaml.Node, path string) (workload.Curve, error) {
	f, err := w.mapping(n, path, "min", "max", "of")
	if err != nil {
		return nil, err
	}
	var c workload.Clamp
	if err := w.rate(f, "min", &c.Min); err != nil {
		return nil, err
	}
	if err := w.rate(f, "max", &c.Max); err != nil {
		return nil, err
	}
	if c.Curve, err = w.of(f); err != nil {
		return nil, err
	}
	return c, nil
}

func (w *workloadDecoder) nodeSeed(f *fields, path string) (uint64, error) {
	if _, _, ok := f.get("seed"); ok {
		var seed uint64
		err := w.decoder.seed(f, "seed", &seed)
		return seed, err
	}
	// Derive a seed from the scenario's and the node's place in the file,
	// so that two noises in one workload differ and each is reproducible.
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", w.seed, path)
	return h.Sum64(), nil
}

func (w *workloadDecoder) noise(n *yaml.Node, path string) (workload.Curve, error) {
	f, err := w.mapping(n, path, "sigma", "interval", "seed", "of")
	if err != nil {
		return nil, err
	}
	c := workload.Noise{Sigma: 0.1, Interval: 60}
	if err := w.float(f, "sigma", &c.Sigma); err != nil {
		return nil, err
	}
	if err := w.seconds(f, "interval", &c.Interval); err != nil {
		return nil, err
	}
	if c.Seed, err = w.nodeSeed(f, path); err != nil {
		return nil, err
	}
	if c.Curve, err = w.of(f); err != nil {
		return nil, err
	}
	return c, nil
}

func (w *workloadDecoder) poisson(n *yaml.Node, path string) (workload.Curve, error) {
	f, err := w.mapping(n, path, "seed", "of")
	if err != nil {
		return nil, err
	}
	var c workload.Poisson
	if c.Seed, err = w.nodeSeed(f, path); err != nil {
		return nil, err
	}
	if c.Curve, err = w.of(f); err != nil {
		return nil, err
	}
	return c, nil
}

func (w *workloadDecoder) preset(n *yaml.Node, path string) (workload.Curve, error) {
	name, err := w.scalar(n, path)
	if err != nil {
		return nil, err
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", w.seed, path)
	c, err := workload.Preset(name, h.Sum64())
	if err != nil {
		return nil, w.wrap(n, path, err)
	}
	return c, nil
}

// logRatio is ln(a/b).
func logRatio(a, b float64) float64 { return math.Log(a / b) }

// trace reads {file, layout, interpolation, loop, bin}: a job rate recorded
// from real traffic (see workload.ReadTrace for the file's columns). A
// relative file is found beside the scenario file.
func (w *workloadDecoder) trace(n *yaml.Node, path string) (workload.Curve, error) {
	f, err := w.mapping(n, path, "file", "layout", "interpolation", "loop", "bin")
	if err != nil {
		return nil, err
	}
	if err := w.require(f, "file"); err != nil {
		return nil, err
	}
	var file, layout, interp string
	var opt workload.TraceOptions
	if err := w.str(f, "file", &file); err != nil {
		return nil, err
	}
	if err := w.str(f, "layout", &layout); err != nil {
		return nil, err
	}
	if layout != "" {
		ln, lp, _ := f.get("layout")
		if opt.Layout, err = workload.ParseLayout(layout); err != nil {
			return nil, w.wrap(ln, lp, err)
		}
	}
	if err := w.str(f, "interpolation", &interp); err != nil {
		return nil, err
	}
	if interp != "" {
		in, ip, _ := f.get("interpolation")
		if opt.Interpolation, err = workload.ParseInterpolation(interp); err != nil {
			return nil, w.wrap(in, ip, err)
		}
	}
	if err := w.boolean(f, "loop", &opt.Loop); err != nil {
		return nil, err
	}
	if err := w.seconds(f, "bin", &opt.Bin); err != nil {
		return nil, err
	}
	if !filepath.IsAbs(file) && w.file != "" {
		file = filepath.Join(filepath.Dir(w.file), file)
	}
	fh, err := os.Open(file)
	if err != nil {
		fn, fp, _ := f.get("file")
		return nil, w.wrap(fn, fp, err)
	}
	defer fh.Close()
	tr, err := workload.ReadTrace(fh, file, opt)
	if err != nil {
		return nil, err
	}
	if w.events && path == "workload.trace" && !opt.Loop && (opt.Layout == workload.DetectLayout || opt.Layout == workload.JobLayout) {
		if _, err := fh.Seek(0, 0); err == nil {
			if log, err := workload.ReadJobLog(fh, file, workload.TraceOptions{}); err == nil {
				w.arrivals = log.Times
			}
		}
	}
	return tr, nil
}
