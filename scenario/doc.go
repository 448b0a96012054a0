package scenario

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/workload/shape"
)

// Doc is a scenario document: every setting of a scenario as a user writes
// it, each declared once by its tags (here, or in the config type it
// belongs to: a policy kind's in package policy, a workload shape's in
// package shape, the queue's in package sim). It holds plain values only;
// Build makes the engines' inputs from it. Encoding a normalized Doc
// (schema.Encode) and decoding the result gives the same Doc.
type Doc struct {
	Name         string         `yaml:"name" doc:"a title for the reports"`
	Horizon      *time.Duration `yaml:"horizon" min:"1s" max:"87840h" doc:"how long to simulate; default: the span of the workload's trace, else 24h"`
	Step         time.Duration  `yaml:"step" default:"1s" min:"1ms" max:"24h" doc:"the fluid engine's time step; the events engine's metric bucket"`
	Seed         uint64         `yaml:"seed" default:"1" doc:"seeds the noise and the events engine's arrivals and latencies: same seed, same bytes"`
	Start        *time.Time     `yaml:"start" doc:"calendar instant of time 0 (RFC 3339): times of day and schedules follow its clock; default: the trace's first time, else 2026-01-05T00:00:00Z"`
	Points       int            `yaml:"points" default:"1000" min:"1" max:"100000" doc:"most points in a result's time series"`
	Engine       string         `yaml:"engine" default:"fluid" enum:"fluid,events" doc:"fluid steps the article's model through time; events simulates every job"`
	Replications int            `yaml:"replications" default:"1" min:"1" max:"10000" doc:"with engine events: independent runs of each box policy, averaged with 95% intervals"`
	Warmup       time.Duration  `yaml:"warmup" default:"0s" min:"0s" doc:"with engine events: time before the statistics start"`
	Jobs         Jobs           `yaml:"jobs" doc:"with engine events: the jobs' latency, the queue and what a job is worth"`
	Box          Box            `yaml:"box" doc:"one box: its latency, price, boot and drain"`
	Billing      Billing        `yaml:"billing" default:"per-second" doc:"how a box's life is billed: per-second, per-second-minimum (60 s), per-hour, exact, or {increment, minimum}"`
	Workload     shape.Node     `yaml:"workload,required" doc:"the job rate over time"`
	Oracle       Oracle         `yaml:"oracle" doc:"the oracle: the cheapest box fleet that misses no job at its utilization"`
	SLO          sim.SLO        `yaml:"slo" doc:"the objective every policy is judged against; the verdict names the cheapest policy that meets it"`
	Policies     []Policy       `yaml:"policies,required" doc:"the ways of scaling to compare"`
}

// Box is one box.
type Box struct {
	Latency time.Duration  `yaml:"latency" default:"200ms" min:"0s" exclusive:"min" max:"24h" doc:"one job on one box"`
	Price   boxes.Price    `yaml:"price" default:"$0.10/h" min:"$0/h" doc:"per box, billed while booting and draining too"`
	Boot    time.Duration  `yaml:"boot" default:"90s" min:"0s" max:"24h" doc:"from a box's start to its first job"`
	Drain   *time.Duration `yaml:"drain" min:"0s" max:"24h" doc:"billed after scale-down while the last job finishes; default: the latency"`
}

// Oracle is the oracle's setting.
type Oracle struct {
	Utilization float64 `yaml:"utilization" default:"1" min:"0" exclusive:"min" max:"1" doc:"the utilization the oracle holds: it is the cheapest box fleet that misses no job at it"`
}

// Jobs is the events engine's view of the jobs.
type Jobs struct {
	Latency Latency   `yaml:"latency" doc:"how a job's latency is drawn"`
	Queue   sim.Queue `yaml:"queue" doc:"what a job that finds every box busy does"`
	Value   sim.Value `yaml:"value" doc:"what a served job is worth as it waits"`
}

// Latency is the distribution of a job's latency; "latency: exponential" is
// short for {distribution: exponential}.
type Latency struct {
	Distribution string   `yaml:"distribution,short" default:"fixed" enum:"fixed,exponential,lognormal,trace" doc:"fixed (the box's latency), exponential, lognormal, or trace (a job log's latency column)"`
	Sigma        float64  `yaml:"sigma" default:"0" min:"0" max:"5" doc:"lognormal: standard deviation of the latency's log"`
	CV           *float64 `yaml:"cv" min:"0" exclusive:"min" max:"100" doc:"lognormal: the coefficient of variation, instead of sigma"`
	File         string   `yaml:"file" doc:"trace: the job log whose latency column is drawn from (its mean is the box's latency)"`
}

// Billing is how a box's life is billed: a named model ("per-second") or
// {increment, minimum}.
type Billing struct {
	sim.Billing
}

// BillingModels are the named billing models. A new one is one line.
func BillingModels() []struct {
	Name    string
	Billing sim.Billing
} {
	return []struct {
		Name    string
		Billing sim.Billing
	}{
		{"per-second", sim.PerSecond()},
		{"per-second-minimum", sim.PerSecondMinimum(time.Minute)},
		{"per-hour", sim.PerHour()},
		{"exact", sim.Billing{}},
	}
}

// UnmarshalText reads a model's name.
func (b *Billing) UnmarshalText(text []byte) error {
	var names []string
	for _, m := range BillingModels() {
		if m.Name == string(text) {
			b.Billing = m.Billing
			return nil
		}
		names = append(names, m.Name)
	}
	return fmt.Errorf("unknown billing %s (want one of %s)", schema.Quote(string(text)), strings.Join(names, ", "))
}

// UnmarshalSchema reads a model's name or {increment, minimum}.
func (b *Billing) UnmarshalSchema(d *schema.Decoder, n *yaml.Node, path string) error {
	if n.Kind == yaml.ScalarNode && !schema.IsNull(n) {
		if err := b.UnmarshalText([]byte(n.Value)); err != nil {
			return d.Errorf(n, path, "want a billing model (%s) or {increment, minimum}", strings.Join(billingNames(), ", "))
		}
		return nil
	}
	return d.Decode(n, &b.Billing, path)
}

// MarshalSchema writes {increment, minimum}.
func (b Billing) MarshalSchema() (*yaml.Node, error) { return schema.Encode(b.Billing) }

// ListSchema lists increment and minimum.
func (b *Billing) ListSchema(prefix string) []schema.Setting {
	return schema.ListValue(&sim.Billing{}, prefix, "")
}

// Policy is one way of scaling to compare: a name, a kind (a name in
// PolicyKinds) and that kind's config. A scenario writes it
// {name: hpa, hpa: {settings}}; a reader of other formats (a Kubernetes
// manifest) produces the same value.
type Policy struct {
	Name   string
	Kind   string
	Config policy.Config
	// Manifest is a file of the user's own autoscaler configs, written
	// {manifest: FILE}: Build replaces the entry by the policies it reads
	// from the file (see ReadPolicies), so a normalized document holds
	// their settings, not the file.
	Manifest string
}

// Serverless is the policy's serverless config, or nil for a box policy.
func (p Policy) Serverless() *policy.Serverless {
	s, _ := p.Config.(*policy.Serverless)
	return s
}

var indexed = regexp.MustCompile(`\[\d+\]$`)

// UnmarshalSchema reads {name: x, kind: {settings}}. Errors name the policy
// by its name: policies[hpa].sync_period.
func (p *Policy) UnmarshalSchema(d *schema.Decoder, n *yaml.Node, path string) error {
	kinds := PolicyKinds()
	if n.Kind != yaml.MappingNode {
		return d.Errorf(n, path, "want {name: …, %s: {…}}, got %s", kinds.Names()[0], schema.Describe(n))
	}
	var kindKey, body *yaml.Node
	*p = Policy{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := schema.Resolve(n.Content[i]), schema.Resolve(n.Content[i+1])
		switch {
		case k.Value == "name":
			if v.Kind != yaml.ScalarNode || p.Name != "" {
				return d.Errorf(v, path+".name", "want one name, as text")
			}
			p.Name = v.Value
		case k.Value == "manifest":
			if v.Kind != yaml.ScalarNode || v.Value == "" || kindKey != nil {
				return d.Errorf(v, path+".manifest", "want one file name, and no kind beside it")
			}
			p.Manifest = v.Value
		case kinds.Has(k.Value):
			if kindKey != nil || p.Manifest != "" {
				return d.Errorf(k, path, "a policy has one kind, or a manifest")
			}
			kindKey, body = k, v
		default:
			e := d.Errorf(k, path+"."+k.Value, "unknown field (want name and one of %v)", kinds.Names())
			e.Value = ""
			return e
		}
	}
	if p.Manifest != "" {
		return nil
	}
	if kindKey == nil {
		return d.Errorf(n, path, "missing its kind: one of %v, or manifest: FILE", kinds.Names())
	}
	p.Kind = kindKey.Value
	if p.Name == "" {
		p.Name = p.Kind
	}
	path = indexed.ReplaceAllString(path, fmt.Sprintf("[%s]", p.Name))
	v, err := kinds.DecodeKind(d, p.Kind, body, path+"."+p.Kind)
	if err != nil {
		return err
	}
	p.Config = v.(policy.Config)
	return nil
}

// MarshalSchema writes {name: x, kind: {settings}}.
func (p Policy) MarshalSchema() (*yaml.Node, error) {
	if p.Manifest != "" { // not built yet
		if p.Name == "" {
			return schema.Mapping("manifest", schema.Scalar(p.Manifest)), nil
		}
		return schema.Mapping("name", schema.Scalar(p.Name), "manifest", schema.Scalar(p.Manifest)), nil
	}
	body, err := schema.Encode(p.Config)
	if err != nil {
		return nil, err
	}
	return schema.Mapping("name", schema.Scalar(p.Name), p.Kind, body), nil
}

// ListSchema lists every policy kind's settings.
func (p *Policy) ListSchema(prefix string) []schema.Setting {
	out := []schema.Setting{{Path: prefix + ".name", Type: "text", Doc: "the policy's name in the results; default: its kind"},
		{Path: prefix + ".manifest", Type: "file", Doc: "instead of a kind: a file of your autoscaler's own config (Kubernetes HPA, Knative or Cloud Run Service, KEDA ScaledObject), read into policies"}}
	return append(out, PolicyKinds().List(prefix)...)
}

// Settings lists every setting of a scenario: path, type, default, bounds
// and doc line, for help, the README's reference and the explorer's form.
func Settings() []schema.Setting { return schema.List(&Doc{}) }

func billingNames() []string {
	var names []string
	for _, m := range BillingModels() {
		names = append(names, m.Name)
	}
	return names
}
