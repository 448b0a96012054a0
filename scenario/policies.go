package scenario

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
)

// policyKinds are the kinds of policy; each policy is a mapping with a name
// and exactly one of them.
var policyKinds = []string{"serverless"}

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
	switch p.Kind {
	case "serverless":
		s, err := d.serverless(body, bpath)
		if err != nil {
			return Policy{}, err
		}
		p.Serverless = &s
	}
	return p, nil
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
	if mn, mp, ok := f.get("memory"); ok {
		v, err := d.scalar(mn, mp)
		if err != nil {
			return s, err
		}
		if s.Price.MemoryGB, err = boxes.ParseMemory(v); err != nil {
			return s, d.wrap(mn, mp, err)
		}
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
