package scenario

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
)

// policyKinds are the kinds of policy; each policy is a mapping with a name
// and exactly one of them.
var policyKinds = []string{"fixed", "hpa", "target", "scheduled", "serverless"}

func (d *decoder) policies(f *fields, sc *Scenario) error {
	n, path, ok := f.get("policies")
	if !ok {
		return d.errorf(f.node, "policies", "missing: a scenario compares at least one policy")
	}
	items, err := d.list(n, path)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return d.errorf(n, path, "empty: a scenario compares at least one policy")
	}
	names := map[string]bool{"oracle": true}
	for i, item := range items {
		ip := fmt.Sprintf("%s[%d]", path, i)
		p, err := d.policy(item, ip, sc)
		if err != nil {
			return err
		}
		if names[p.Name] {
			return d.errorf(item, ip+".name", "%q is used twice (or is the oracle's)", p.Name)
		}
		names[p.Name] = true
		sc.Policies = append(sc.Policies, p)
	}
	return nil
}

func (d *decoder) policy(n *yaml.Node, path string, sc *Scenario) (Policy, error) {
	known := append([]string{"name"}, policyKinds...)
	f, err := d.mapping(n, path, known...)
	if err != nil {
		return Policy{}, err
	}
	p := Policy{Line: resolve(n).Line}
	if err := d.str(f, "name", &p.Name); err != nil {
		return Policy{}, err
	}
	for _, k := range f.order {
		if k == "name" {
			continue
		}
		if p.Kind != "" {
			kn, kp, _ := f.get(k)
			return Policy{}, d.errorf(kn, kp, "a policy has one kind; this one already is %s", p.Kind)
		}
		p.Kind = k
	}
	if p.Kind == "" {
		return Policy{}, d.errorf(n, path, "missing its kind: one of %s", strings.Join(policyKinds, ", "))
	}
	if p.Name == "" {
		p.Name = p.Kind
	}
	body, bpath, _ := f.get(p.Kind)
	var cfg policy.Config
	switch p.Kind {
	case "fixed":
		cfg, err = d.fixed(body, bpath)
	case "hpa":
		cfg, err = d.hpa(body, bpath)
	case "target":
		cfg, err = d.target(body, bpath)
	case "scheduled":
		cfg, err = d.scheduled(body, bpath)
	case "serverless":
		s, err := d.serverless(body, bpath)
		if err != nil {
			return Policy{}, err
		}
		p.Serverless = &s
		return p, nil
	}
	if err != nil {
		return Policy{}, err
	}
	if err := cfg.Validate(); err != nil {
		return Policy{}, d.wrap(body, bpath, err)
	}
	p.Config = cfg
	return p, nil
}

// fixed reads {capacity: N} or {utilization: 0.8, at: peak|mean}.
func (d *decoder) fixed(n *yaml.Node, path string) (policy.Config, error) {
	f, err := d.mapping(n, path, "capacity", "utilization", "at")
	if err != nil {
		return nil, err
	}
	var c policy.Fixed
	if err := d.integer(f, "capacity", &c.Capacity); err != nil {
		return nil, err
	}
	if err := d.float(f, "utilization", &c.Utilization); err != nil {
		return nil, err
	}
	var at string
	if err := d.str(f, "at", &at); err != nil {
		return nil, err
	}
	c.At = policy.Basis(at)
	if c.Capacity == 0 && c.Utilization == 0 {
		c = policy.DefaultFixed()
		c.At = policy.Basis(at)
	}
	return c, nil
}

// hpa reads a HorizontalPodAutoscaler. Its behavior block uses Kubernetes'
// own field names, so that a spec's behavior can be pasted in; an HPA with
// no behavior block takes the path Kubernetes takes without one.
func (d *decoder) hpa(n *yaml.Node, path string) (policy.Config, error) {
	f, err := d.mapping(n, path, "metric", "target", "min", "max", "sync_period", "window", "delay", "tolerance", "behavior")
	if err != nil {
		return nil, err
	}
	h := policy.DefaultHPA()
	var metric string
	if err := d.str(f, "metric", &metric); err != nil {
		return nil, err
	}
	if metric != "" {
		h.Metric = policy.Metric(metric)
	}
	if tn, tp, ok := f.get("target"); ok {
		if h.Metric == policy.MetricJobRate {
			var r float64
			if err := d.rate(f, "target", &r); err != nil {
				return nil, err
			}
			h.TargetRate = boxes.Rate(r)
		} else if err := d.float(f, "target", &h.Target); err != nil {
			return nil, err
		}
		_, _ = tn, tp
	} else if h.Metric == policy.MetricJobRate {
		return nil, d.errorf(n, join(path, "target"), "missing: the jobs per second per box to hold")
	}
	if err := d.integer(f, "min", &h.MinReplicas); err != nil {
		return nil, err
	}
	if err := d.integer(f, "max", &h.MaxReplicas); err != nil {
		return nil, err
	}
	if err := d.duration(f, "sync_period", &h.SyncPeriod); err != nil {
		return nil, err
	}
	if err := d.duration(f, "window", &h.Window); err != nil {
		return nil, err
	}
	if err := d.duration(f, "delay", &h.Delay); err != nil {
		return nil, err
	}
	if _, _, ok := f.get("tolerance"); ok {
		var tol float64
		if err := d.float(f, "tolerance", &tol); err != nil {
			return nil, err
		}
		h.ScaleUp.Tolerance, h.ScaleDown.Tolerance = tol, tol
	}
	bn, bpath, ok := f.get("behavior")
	if !ok {
		h.Legacy = true
		return h, nil
	}
	if resolve(bn).Tag == "!!null" {
		return h, nil
	}
	b, err := d.mapping(bn, bpath, "scaleUp", "scaleDown")
	if err != nil {
		return nil, err
	}
	if rn, rp, ok := b.get("scaleUp"); ok {
		if err := d.scalingRules(rn, rp, &h.ScaleUp); err != nil {
			return nil, err
		}
	}
	if rn, rp, ok := b.get("scaleDown"); ok {
		if err := d.scalingRules(rn, rp, &h.ScaleDown); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// scalingRules reads an HPAScalingRules; fields left out keep their defaults,
// as the Kubernetes API server fills them.
func (d *decoder) scalingRules(n *yaml.Node, path string, r *policy.ScalingRules) error {
	f, err := d.mapping(n, path, "stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance")
	if err != nil {
		return err
	}
	if sn, sp, ok := f.get("stabilizationWindowSeconds"); ok {
		var secs int
		if err := d.integer(f, "stabilizationWindowSeconds", &secs); err != nil {
			return err
		}
		if secs < 0 || secs > 3600 {
			return d.errorf(sn, sp, "%d must be in [0, 3600]", secs)
		}
		r.Stabilization = time.Duration(secs) * time.Second
	}
	var sel string
	if err := d.str(f, "selectPolicy", &sel); err != nil {
		return err
	}
	if sel != "" {
		r.Select = policy.Select(sel)
	}
	if err := d.float(f, "tolerance", &r.Tolerance); err != nil {
		return err
	}
	pn, pp, ok := f.get("policies")
	if !ok {
		return nil
	}
	items, err := d.list(pn, pp)
	if err != nil {
		return err
	}
	r.Policies = nil
	for i, item := range items {
		ip := fmt.Sprintf("%s[%d]", pp, i)
		pf, err := d.mapping(item, ip, "type", "value", "periodSeconds")
		if err != nil {
			return err
		}
		var typ string
		var sp policy.ScalingPolicy
		var secs int
		if err := d.str(pf, "type", &typ); err != nil {
			return err
		}
		if err := d.integer(pf, "value", &sp.Value); err != nil {
			return err
		}
		if err := d.integer(pf, "periodSeconds", &secs); err != nil {
			return err
		}
		sp.Type, sp.Period = policy.PolicyType(typ), time.Duration(secs)*time.Second
		r.Policies = append(r.Policies, sp)
	}
	return nil
}

// target reads the first seed's plain scaler: {utilization: 0.5}, with
// optional min and max.
func (d *decoder) target(n *yaml.Node, path string) (policy.Config, error) {
	f, err := d.mapping(n, path, "utilization", "min", "max")
	if err != nil {
		return nil, err
	}
	if err := d.require(f, "utilization"); err != nil {
		return nil, err
	}
	var u float64
	if err := d.float(f, "utilization", &u); err != nil {
		return nil, err
	}
	h := policy.HoldUtilization(u)
	if err := d.integer(f, "min", &h.MinReplicas); err != nil {
		return nil, err
	}
	if err := d.integer(f, "max", &h.MaxReplicas); err != nil {
		return nil, err
	}
	return h, nil
}

var weekdays = map[string][]time.Weekday{
	"sun": {time.Sunday}, "mon": {time.Monday}, "tue": {time.Tuesday}, "wed": {time.Wednesday},
	"thu": {time.Thursday}, "fri": {time.Friday}, "sat": {time.Saturday},
	"weekdays": {time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	"weekend":  {time.Saturday, time.Sunday},
}

// scheduled reads {default: N, windows: [{days, from, to, capacity}]}.
func (d *decoder) scheduled(n *yaml.Node, path string) (policy.Config, error) {
	f, err := d.mapping(n, path, "default", "windows")
	if err != nil {
		return nil, err
	}
	var s policy.Scheduled
	if err := d.integer(f, "default", &s.Default); err != nil {
		return nil, err
	}
	wn, wp, ok := f.get("windows")
	if !ok {
		return s, nil
	}
	items, err := d.list(wn, wp)
	if err != nil {
		return nil, err
	}
	for i, item := range items {
		ip := fmt.Sprintf("%s[%d]", wp, i)
		wf, err := d.mapping(item, ip, "days", "from", "to", "capacity")
		if err != nil {
			return nil, err
		}
		if err := d.require(wf, "capacity"); err != nil {
			return nil, err
		}
		var w policy.Window
		if err := d.integer(wf, "capacity", &w.Capacity); err != nil {
			return nil, err
		}
		clock := func(s string) (time.Duration, error) {
			secs, err := parseClock(s)
			return time.Duration(secs * float64(time.Second)), err
		}
		if err := field(d, wf, "from", &w.From, clock); err != nil {
			return nil, err
		}
		if err := field(d, wf, "to", &w.To, clock); err != nil {
			return nil, err
		}
		if dn, dp, ok := wf.get("days"); ok {
			names, err := d.list(dn, dp)
			if err != nil {
				return nil, err
			}
			for j, dnode := range names {
				v, err := d.scalar(dnode, fmt.Sprintf("%s[%d]", dp, j))
				if err != nil {
					return nil, err
				}
				days, ok := weekdays[strings.ToLower(v)[:min(len(v), 3)]]
				if lv := strings.ToLower(v); lv == "weekdays" || lv == "weekend" {
					days, ok = weekdays[lv], true
				}
				if !ok {
					return nil, d.errorf(dnode, fmt.Sprintf("%s[%d]", dp, j), "unknown day %q (want mon … sun, weekdays or weekend)", v)
				}
				w.Days = append(w.Days, days...)
			}
		}
		s.Windows = append(s.Windows, w)
	}
	return s, nil
}

func (d *decoder) serverless(n *yaml.Node, path string) (policy.Serverless, error) {
	s := policy.DefaultServerless()
	if resolve(n).Kind == yaml.ScalarNode && resolve(n).Tag == "!!null" {
		return s, nil
	}
	f, err := d.mapping(n, path, "concurrency_limit", "scale_up_burst", "scale_up_rate", "cold_start",
		"bill_cold_start", "keep_alive", "memory", "request_price", "gb_second_price", "free_tier")
	if err != nil {
		return s, err
	}
	if err := d.integer(f, "concurrency_limit", &s.ConcurrencyLimit); err != nil {
		return s, err
	}
	if err := d.integer(f, "scale_up_burst", &s.ScaleUpBurst); err != nil {
		return s, err
	}
	var rate float64 = float64(s.ScaleUpRate)
	if err := d.rate(f, "scale_up_rate", &rate); err != nil {
		return s, err
	}
	s.ScaleUpRate = boxes.Rate(rate)
	if err := d.duration(f, "cold_start", &s.ColdStart); err != nil {
		return s, err
	}
	if err := d.boolean(f, "bill_cold_start", &s.BillColdStart); err != nil {
		return s, err
	}
	if err := d.duration(f, "keep_alive", &s.KeepAlive); err != nil {
		return s, err
	}
	if err := field(d, f, "memory", &s.Price.MemoryGB, boxes.ParseMemory); err != nil {
		return s, err
	}
	if err := d.price(f, "request_price", &s.Price.Request); err != nil {
		return s, err
	}
	if err := d.price(f, "gb_second_price", &s.Price.GBSecond); err != nil {
		return s, err
	}
	if err := d.boolean(f, "free_tier", &s.FreeTier); err != nil {
		return s, err
	}
	if err := s.Validate(); err != nil {
		return s, d.wrap(n, path, err)
	}
	return s, nil
}
