package scenario

import (
	"context"
	"fmt"
	"math"
	"testing"
)

// TestCloudRunRequestBilling bills a small run by hand from Cloud Run's
// pricing (cloud.google.com/run/pricing, Tier 1, read 2026-12-04:
// request-based $0.000024 a vCPU-second, $0.0000025 a GiB-second, $0.40 a
// million requests; instance-based $0.000018 a vCPU-second) and billing
// settings (cloud.google.com/run/docs/configuring/billing-settings:
// request-based billing charges an instance "only when they process
// requests, when they start, and when they shut down"; instance-based "for
// the entire lifecycle").
//
// 2 requests/s of 500 ms for 100 s on instances of 1 vCPU and 512 MiB
// serving one request at a time: one instance busy on average (λ × L), and
// Cloud Run keeps ceil(1 / 0.6) = 2 instances (its 60% targets).
//
//   - request-based: the busy instance-time, 100 s × 1 busy = 100 s, at
//     1 × 0.000024 + 0.5 × 0.0000025 = $0.00002525 a second, plus 200
//     requests × $0.40 / 10⁶: $0.002525 + $0.00008 = $0.002605;
//   - instance-based: both instances' lives, 200 s, at 0.000018 +
//     0.5 × 0.0000025 = $0.00001925 a second: $0.00385.
//
// On the fluid engine the load is exact. On the events engine the
// arrivals are Poisson (200 ± 14): the request-based bill is within 20% of
// the same figure, however many instances Cloud Run's on-demand starts add
// for the bursts (idle instances cost nothing there); the instance-based
// bill depends on that count and is only checked to be higher.
func TestCloudRunRequestBilling(t *testing.T) {
	const doc = `
horizon: 100s
engine: %s
box: {latency: 500ms, boot: 0s}
workload: {constant: 2/s}
policies:
  - {name: request, cloudrun: {max_concurrency: 1, price: {billing: request}}}
  - {name: instance, cloudrun: {max_concurrency: 1, price: {billing: instance}}}
`
	for _, c := range []struct {
		engine string
		tol    float64 // relative
	}{{EngineFluid, 1e-9}, {EngineEvents, 0.2}} {
		sc, err := Parse(fmt.Appendf(nil, doc, c.engine), "cloudrun.yaml")
		if err != nil {
			t.Fatal(err)
		}
		out, err := sc.Run(context.Background(), Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []float64{0.002605, 0.00385} {
			r := out.Runs[i].Result
			if c.engine == EngineEvents && i == 1 {
				if r.Cost <= out.Runs[0].Result.Cost {
					t.Errorf("events: instance billing $%g, want above request billing $%g", r.Cost, out.Runs[0].Result.Cost)
				}
			} else if math.Abs(r.Cost-want) > c.tol*want {
				t.Errorf("%s, %s billing: $%.7f, want $%.7f", c.engine, out.Runs[i].Name, r.Cost, want)
			}
			if n := len(r.Series.Cost); n == 0 || r.Series.Cost[n-1] != r.Cost {
				t.Errorf("%s, %s billing: the cost series ends at %v, not the cost $%g", c.engine, out.Runs[i].Name, r.Series.Cost, r.Cost)
			}
		}
	}
}
