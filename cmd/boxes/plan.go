package main

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/queueing"
	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/sizing"
)

const planUsage = `
Usage: boxes plan --latency D (--rate R | --rates LIST) [--boxes N] [targets] [flags]

Queueing theory for the boxes of “Scalability is not performance” under random arrivals. With
--boxes, plan evaluates that fleet; without, it finds the smallest fleet
that meets every target given. With no queue, a job that finds every box
busy is missed (Erlang B, the articles' model); with an unbounded queue it
waits (exact M/D/c for fixed latency, the default; Erlang C for
exponential).

Targets (each a maximum):
  --max-miss P              probability a job is missed (no queue)
  --max-wait-prob P         probability a job waits at all
  --max-mean-wait D         mean wait
  --p99-wait D              the wait 99% of the jobs stay under
  --wait-percentile Q --max-wait D
                            the wait Q% of the jobs stay under (99.9, 50)
  --deadline D --max-wait-over P
                            probability a job waits longer than D
  --max-utilization U       offered load / boxes

The queue defaults to none for --max-miss alone and to unbounded when a
waiting target is given. --rates plans one fleet per job rate, a list
("10,100,1k,10k") or a range by decades ("10..100k"), and says whether the
headroom (the share of box time left idle) shrinks as the fleet grows.

Examples:
  boxes plan --rate 800/s --latency 100ms --max-miss 1%
  boxes plan --rate 800/s --latency 100ms --max-wait-prob 0.05 --price '$0.10/h'
  boxes plan --rate 800/s --latency 100ms --p99-wait 50ms
  boxes plan --rate 1M/s --latency 100ms --wait-percentile 99.9 --max-wait 20ms
  boxes plan --rate 40/s --latency 200ms --boxes 10 --queue unbounded --format json
  boxes plan --rates 10..100k --latency 100ms --max-wait-prob 0.01
`

func runPlan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("plan", planUsage, stderr)
	var latency flagvalue.Duration
	var rate flagvalue.Rate
	var price flagvalue.Price
	var boxesN flagvalue.Int
	var maxMiss, maxWaitProb, maxWaitOver, maxUtil flagvalue.Prob
	var maxMeanWait, deadline, p99Wait, maxWait flagvalue.Duration
	var waitPct flagvalue.Float
	var rates string
	service := flagvalue.NewChoice("fixed", "exponential")
	queue := flagvalue.NewChoice("auto", "none", "unbounded")
	format := flagvalue.NewFormat("text", "json")
	fs.Var(&latency, "latency", "time one job takes on one box (`duration`, like 100ms); the mean for exponential; required")
	fs.Var(&rate, "rate", "job rate (`rate`, like 800/s or 2.4k/min)")
	fs.StringVar(&rates, "rates", "", "job rates for a headroom table: a `list` (10,100,1k) or decades (10..100k)")
	fs.Var(&boxesN, "boxes", "evaluate this many boxes instead of finding the fewest")
	fs.Var(&price, "price", "price of one box (`price`, like $0.10/h), for the cost")
	fs.Var(service, "service", "latency: fixed (as in the articles) or exponential")
	fs.Var(queue, "queue", "what a job that finds every box busy does: none (missed) or unbounded (waits); auto picks from the targets")
	fs.Var(&maxMiss, "max-miss", "target: maximum probability a job is missed (`P`, like 0.01 or 1%)")
	fs.Var(&maxWaitProb, "max-wait-prob", "target: maximum probability a job waits (`P`)")
	fs.Var(&maxMeanWait, "max-mean-wait", "target: maximum mean wait (`duration`)")
	fs.Var(&deadline, "deadline", "the wait --max-wait-over is about (`duration`)")
	fs.Var(&maxWaitOver, "max-wait-over", "target: maximum probability a job waits longer than --deadline (`P`)")
	fs.Var(&p99Wait, "p99-wait", "target: 99% of the jobs wait at most this long (`duration`); --wait-percentile 99 --max-wait D")
	fs.Var(&waitPct, "wait-percentile", "the `percentile` --max-wait is about, in (0, 100), like 99.9")
	fs.Var(&maxWait, "max-wait", "target: the --wait-percentile of the wait is at most this (`duration`)")
	fs.Var(&maxUtil, "max-utilization", "target: maximum utilization, offered load / boxes (`U`, like 0.8)")
	fs.Var(format, "format", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{errorf("plan takes no arguments, got %q", fs.Arg(0))}
	}

	// A percentile target is the tail target it means:
	// "p99 wait ≤ D" ⇔ P(wait > D) ≤ 1%.
	switch {
	case p99Wait.Given && (waitPct.Given || maxWait.Given):
		return usageError{errorf("give --p99-wait, or --wait-percentile with --max-wait, not both")}
	case waitPct.Given != maxWait.Given:
		return usageError{errorf("--wait-percentile and --max-wait go together")}
	case (p99Wait.Given || maxWait.Given) && (deadline.Given || maxWaitOver.Given):
		return usageError{errorf("a wait percentile target and --deadline/--max-wait-over say the same thing: give one")}
	case waitPct.Given && !(waitPct.V > 0 && waitPct.V < 100):
		return usageError{errorf("--wait-percentile %g must be in (0, 100)", waitPct.V)}
	case p99Wait.Given:
		deadline, maxWaitOver.V, maxWaitOver.Given = p99Wait, 0.01, true
	case maxWait.Given:
		deadline, maxWaitOver.V, maxWaitOver.Given = maxWait, 1-waitPct.V/100, true
	}

	// Check the flags together before any work.
	switch {
	case !latency.Given:
		return usageError{errorf("plan needs --latency")}
	case latency.D <= 0:
		return usageError{errorf("--latency %v must be positive", latency.D)}
	case rate.Given && rates != "":
		return usageError{errorf("give --rate or --rates, not both")}
	case !rate.Given && rates == "":
		return usageError{errorf("plan needs --rate (or --rates for a headroom table)")}
	case rate.Given && (rate.R < 0 || math.IsInf(float64(rate.R), 0)):
		return usageError{errorf("--rate %v must be finite and not negative", float64(rate.R))}
	case boxesN.Given && boxesN.V < 0:
		return usageError{errorf("--boxes %d must not be negative", boxesN.V)}
	case boxesN.Given && rates != "":
		return usageError{errorf("--boxes evaluates one fleet; --rates finds one per rate: give one of them")}
	case deadline.Given && !maxWaitOver.Given:
		return usageError{errorf("--deadline needs --max-wait-over (the probability of waiting longer)")}
	case maxWaitOver.Given && !deadline.Given:
		return usageError{errorf("--max-wait-over needs --deadline")}
	case deadline.Given && deadline.D < 0:
		return usageError{errorf("--deadline %v must not be negative", deadline.D)}
	case maxMeanWait.Given && maxMeanWait.D <= 0:
		return usageError{errorf("--max-mean-wait %v must be positive", maxMeanWait.D)}
	case price.Given && price.P.Unit != boxes.PerSecond:
		return usageError{errorf("--price %v must be a price per time (like $0.10/h)", price.P)}
	case price.Given && !(price.P.Amount >= 0):
		return usageError{errorf("--price %v must not be negative", price.P)}
	}
	targets := queueing.Targets{
		MaxMiss:        maxMiss.V,
		MaxWaitProb:    maxWaitProb.V,
		MaxMeanWait:    maxMeanWait.D.Seconds(),
		Deadline:       deadline.D.Seconds(),
		MaxWaitOver:    maxWaitOver.V,
		MaxUtilization: maxUtil.V,
	}
	waiting := maxWaitProb.Given || maxMeanWait.Given || maxWaitOver.Given
	var q queueing.Queue
	switch queue.Value {
	case "none":
		if waiting {
			return usageError{errorf("--queue none: jobs are missed, never wait; the waiting targets (--max-wait-prob, --max-mean-wait, --max-wait-over) need --queue unbounded")}
		}
		q = queueing.NoQueue
	case "unbounded":
		if maxMiss.Given {
			return usageError{errorf("--queue unbounded: jobs wait instead of being missed; --max-miss needs --queue none")}
		}
		q = queueing.Unbounded
	default:
		if waiting && maxMiss.Given {
			return usageError{errorf("--max-miss is for no queue and the waiting targets for an unbounded queue: give --queue and the targets of one")}
		}
		if waiting {
			q = queueing.Unbounded
		}
	}
	if !boxesN.Given && targets.Empty() {
		return usageError{errorf("plan needs --boxes or a target (--max-miss, --max-wait-prob, --max-mean-wait, --deadline with --max-wait-over, --max-utilization)")}
	}
	svc, _ := queueing.ParseService(service.Value)
	sys := queueing.System{JobRate: float64(rate.R), Latency: latency.D.Seconds(), Service: svc, Queue: q}

	one := func(s queueing.System) (sizing.PlanRow, error) {
		if !boxesN.Given {
			c, err := queueing.Smallest(s, targets)
			if err != nil {
				return sizing.PlanRow{}, err
			}
			s.Boxes = c
		}
		p, err := queueing.Evaluate(s, targets)
		if err != nil {
			return sizing.PlanRow{}, err
		}
		return sizing.PlanRow{Plan: p, Priced: price.Given, CostPerHour: price.P.PerHour() * float64(p.Boxes)}, nil
	}

	if rates == "" {
		sys.Boxes = boxesN.V
		row, err := one(sys)
		if err != nil {
			return usageError{err}
		}
		err = writeOutput(stdout, func(w io.Writer) error {
			if format.Value == "json" {
				return sizing.WritePlanJSON(w, row)
			}
			return sizing.WritePlan(w, row)
		})
		if err == nil && !row.Met && !row.Targets.Empty() {
			return unmetError{errorf("plan: %d boxes do not meet the targets", row.Boxes)}
		}
		return err
	}
	list, err := boxes.ParseRates(rates)
	if err != nil {
		return usageError{fmt.Errorf("--rates %q: %w", rates, err)}
	}
	rows := make([]sizing.PlanRow, 0, len(list))
	for _, r := range list {
		if err := ctx.Err(); err != nil {
			return err
		}
		s := sys
		s.JobRate = float64(r)
		row, err := one(s)
		if err != nil {
			return usageError{fmt.Errorf("--rates %s: at %g/s: %w", rates, float64(r), err)}
		}
		rows = append(rows, row)
	}
	err = writeOutput(stdout, func(w io.Writer) error {
		if format.Value == "json" {
			return sizing.WriteHeadroomJSON(w, rows)
		}
		return sizing.WriteHeadroom(w, rows)
	})
	for _, r := range rows {
		if err == nil && !r.Met && !r.Targets.Empty() {
			return unmetError{errorf("plan: at %s the fleet does not meet the targets", report.JobsPerSecond(r.JobRate))}
		}
	}
	return err
}
