package shape

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/workload"
)

// Constant is the same rate all the time; "constant: 40/s" is short for
// "constant: {rate: 40/s}".
type Constant struct {
	Rate boxes.Rate `yaml:"rate,short,required" min:"0/s" doc:"jobs per second"`
}

func (c *Constant) Curve(Env) (workload.Curve, error) { return workload.Constant(c.Rate), nil }

// Daily is workload.Daily: Mean × (1 + A cos(2π (t − Peak)/Period)), with
// A = (Ratio − 1)/(Ratio + 1).
type Daily struct {
	Mean   boxes.Rate    `yaml:"mean,required" min:"0/s" doc:"mean jobs per second over a period"`
	Ratio  float64       `yaml:"ratio" default:"3" min:"1" max:"1000000" doc:"peak rate over trough rate (1 is flat)"`
	Period time.Duration `yaml:"period" default:"24h" min:"1s" doc:"length of one cycle"`
	Peak   At            `yaml:"peak" default:"14:00" doc:"when the first peak is: a time of day, or a duration after time 0"`
}

func (d *Daily) Curve(env Env) (workload.Curve, error) {
	return workload.Daily{Mean: float64(d.Mean), Ratio: d.Ratio, Period: d.Period.Seconds(), Peak: d.Peak.Seconds(env)}, nil
}

// Burst is workload.Burst: Height more jobs per second for Duration from
// Start, repeated every Every when it is positive.
type Burst struct {
	Start    At            `yaml:"start,required" doc:"when it starts: a time of day, or a duration after time 0"`
	Duration time.Duration `yaml:"duration,required" min:"0s" exclusive:"min" doc:"how long it lasts"`
	Height   boxes.Rate    `yaml:"height,required" min:"0/s" doc:"jobs per second added"`
	Every    time.Duration `yaml:"every" default:"0s" min:"0s" doc:"repeat period; 0s for once"`
}

func (b *Burst) Curve(env Env) (workload.Curve, error) {
	return workload.Burst{Start: b.Start.Seconds(env), Duration: b.Duration.Seconds(), Height: float64(b.Height), Every: b.Every.Seconds()}, nil
}

// Linear moves from From to To over Over, and keeps the slope after.
type Linear struct {
	From boxes.Rate    `yaml:"from,required" doc:"jobs per second at time 0"`
	To   boxes.Rate    `yaml:"to,required" doc:"jobs per second after over"`
	Over time.Duration `yaml:"over,required" min:"0s" exclusive:"min" doc:"how long the move from from to to takes"`
}

func (l *Linear) Curve(Env) (workload.Curve, error) {
	return workload.Linear{From: float64(l.From), Slope: float64(l.To-l.From) / l.Over.Seconds()}, nil
}

// Exponential doubles every Doubling, or goes from From to To over Over.
type Exponential struct {
	From     boxes.Rate     `yaml:"from,required" min:"0/s" exclusive:"min" doc:"jobs per second at time 0"`
	Doubling *time.Duration `yaml:"doubling" doc:"time to double (negative halves); or give to and over"`
	To       *boxes.Rate    `yaml:"to" min:"0/s" exclusive:"min" doc:"jobs per second reached after over (with over, instead of doubling)"`
	Over     *time.Duration `yaml:"over" min:"0s" exclusive:"min" doc:"how long reaching to takes"`
}

// Validate wants doubling, or to and over.
func (e *Exponential) Validate() error {
	switch {
	case e.Doubling != nil && e.To == nil && e.Over == nil:
		if *e.Doubling == 0 {
			return errors.New("doubling must not be 0s")
		}
	case e.Doubling == nil && e.To != nil && e.Over != nil:
		if *e.To == e.From {
			return errors.New("from and to must differ")
		}
	default:
		return errors.New("give either doubling, or to and over")
	}
	return nil
}

func (e *Exponential) Curve(Env) (workload.Curve, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	c := workload.Exponential{From: float64(e.From)}
	if e.Doubling != nil {
		c.Doubling = e.Doubling.Seconds()
	} else {
		// from × 2^(over/doubling) = to
		c.Doubling = e.Over.Seconds() * 0.6931471805599453 / math.Log(float64(*e.To)/float64(e.From))
	}
	return c, nil
}

// Steps is a rate that jumps.
type Steps struct {
	Initial boxes.Rate `yaml:"initial" default:"0/s" min:"0/s" doc:"jobs per second before the first step"`
	Steps   []Step     `yaml:"steps" doc:"the jumps, in order of time"`
}

// Step is one jump of Steps.
type Step struct {
	At   At         `yaml:"at,required" doc:"when the rate jumps"`
	Rate boxes.Rate `yaml:"rate,required" min:"0/s" doc:"jobs per second from then on"`
}

func (s *Steps) Curve(env Env) (workload.Curve, error) {
	c := workload.Steps{Initial: float64(s.Initial)}
	for _, st := range s.Steps {
		c.Steps = append(c.Steps, workload.Step{At: st.At.Seconds(env), Rate: float64(st.Rate)})
	}
	return c, nil
}

// Parts are a sum's parts.
type Parts []Node

func (p *Parts) curves(env Env) ([]workload.Curve, error) {
	if len(*p) == 0 {
		return nil, errors.New("needs at least one part")
	}
	out := make([]workload.Curve, len(*p))
	for i, n := range *p {
		c, err := n.Curve(env)
		if err != nil {
			return nil, fmt.Errorf("[%d].%w", i, err)
		}
		out[i] = c
	}
	return out, nil
}

func (p *Parts) Curve(env Env) (workload.Curve, error) {
	cs, err := p.curves(env)
	return workload.Sum(cs), err
}

// ListSchema lists a sum as one setting.
func (p *Parts) ListSchema(prefix string) []schema.Setting {
	return []schema.Setting{{Path: prefix, Type: "list of workloads", Doc: "the parts, each a workload node"}}
}

// Product is a product's parts.
type Product []Node

func (p *Product) Curve(env Env) (workload.Curve, error) {
	cs, err := (*Parts)(p).curves(env)
	return workload.Product(cs), err
}

// ListSchema lists a product as one setting.
func (p *Product) ListSchema(prefix string) []schema.Setting { return (*Parts)(p).ListSchema(prefix) }

// UnmarshalSchema reads the parts.
func (p *Product) UnmarshalSchema(d *schema.Decoder, n *yaml.Node, path string) error {
	return d.Decode(n, (*[]Node)(p), path)
}

// Clamp bounds a rate.
type Clamp struct {
	Min boxes.Rate `yaml:"min" default:"0/s" min:"0/s" doc:"lowest jobs per second"`
	Max boxes.Rate `yaml:"max" default:"0/s" min:"0/s" doc:"highest jobs per second; 0/s for no bound"`
	Of  Node       `yaml:"of,required" doc:"the workload bounded"`
}

func (c *Clamp) Curve(env Env) (workload.Curve, error) {
	of, err := c.Of.Curve(env)
	return workload.Clamp{Curve: of, Min: float64(c.Min), Max: float64(c.Max)}, err
}

// Noise is workload.Noise: a random factor exp(σZ − σ²/2) per interval.
type Noise struct {
	Sigma    float64       `yaml:"sigma" default:"0.1" min:"0" max:"5" doc:"standard deviation of the factor's log; 0.1 is about ±10%"`
	Interval time.Duration `yaml:"interval" default:"1m" min:"1ms" doc:"how long each factor holds"`
	Seed     *uint64       `yaml:"seed" doc:"seeds the factors; default: derived from the scenario's seed and the node's place"`
	Of       Node          `yaml:"of,required" doc:"the workload jittered"`
}

func (n *Noise) Curve(env Env) (workload.Curve, error) {
	of, err := n.Of.Curve(env)
	return workload.Noise{Curve: of, Sigma: n.Sigma, Interval: n.Interval.Seconds(), Seed: seedOf(n.Seed)}, err
}

// Poisson is workload.Poisson: whole random job counts.
type Poisson struct {
	Seed *uint64 `yaml:"seed" doc:"seeds the counts; default: derived from the scenario's seed and the node's place"`
	Of   Node    `yaml:"of,required" doc:"the workload counted"`
}

func (p *Poisson) Curve(env Env) (workload.Curve, error) {
	of, err := p.Of.Curve(env)
	return workload.Poisson{Curve: of, Seed: seedOf(p.Seed)}, err
}

// Preset is a named workload; "preset: spiky" is short for {name: spiky}.
type Preset struct {
	Name string  `yaml:"name,short,required" doc:"the preset's name"`
	Seed *uint64 `yaml:"seed" doc:"seeds its noise; default: derived from the scenario's seed"`
}

// Validate checks the name.
func (p *Preset) Validate() error {
	for _, n := range workload.PresetNames() {
		if n == p.Name {
			return nil
		}
	}
	return fmt.Errorf("unknown preset %s (want one of %s)", schema.Quote(p.Name), strings.Join(workload.PresetNames(), ", "))
}

func (p *Preset) Curve(Env) (workload.Curve, error) { return workload.Preset(p.Name, seedOf(p.Seed)) }

func seedOf(p *uint64) uint64 {
	if p == nil {
		return 0
	}
	return *p
}
