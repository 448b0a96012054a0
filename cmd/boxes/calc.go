package main

import (
	"context"
	"io"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/report/sizing"
)

const calcUsage = `
Usage: boxes calc --latency D [--capacity N] [--rate R] [--utilization U] [flags]

The equations of “Scalability is not performance” (2025) as a calculator. Give the latency of one job on
one box and any two of capacity, job rate and target utilization; calc
derives the third and prints throughput (capacity / latency), utilization
(job rate / throughput), the capacity the target needs, the cost per hour and
per million jobs, and what the same jobs cost on a serverless platform, with
the utilization at which boxes and serverless cost the same.

Serverless prices default to AWS Lambda's x86 list prices in us-east-1,
$0.20 per million requests and $0.0000166667 per GB-second, at 1769 MB (one
vCPU, so a job takes the box's latency), without the free tier. Lambda gives
CPU in proportion to memory: below 1769 MB the CPU-bound share of a job
(--cpu-bound, default all of it) runs proportionally longer, so a smaller
function is not cheaper per CPU-bound job. With
--serverless-free-tier, the first million requests and 400,000 GB-seconds of
each 730-hour month are free, and the serverless cost per million jobs is the
month's mean at the job rate.

Examples:
  boxes calc --latency 200ms --rate 40/s --utilization 0.8
  boxes calc --latency 1s --capacity 2 --rate 1/s --price '$0.10/h'
  boxes calc --latency 200ms --capacity 10 --utilization 0.5 --format json
  boxes calc --latency 1s --rate 3M/month --utilization 1 --serverless-memory 512MB --serverless-free-tier
`

func runCalc(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("calc", calcUsage, stderr)
	var latency flagvalue.Duration
	var rate flagvalue.Rate
	price := flagvalue.Price{P: boxes.Price{Amount: 0.10 / 3600, Unit: boxes.PerSecond}}
	sp := boxes.DefaultServerlessPrice()
	reqPrice := flagvalue.Price{P: sp.Request}
	gbsPrice := flagvalue.Price{P: sp.GBSecond}
	memory := flagvalue.Memory{GB: sp.MemoryGB}
	capacity := flagvalue.Int{}
	utilization := flagvalue.Float{}
	var freeTier bool
	cpuBound := flagvalue.Float{}
	format := flagvalue.NewFormat("text", "json")
	fs.Var(&latency, "latency", "time one job takes on one box (`duration`, like 200ms); required")
	fs.Var(&capacity, "capacity", "`number` of boxes")
	fs.Var(&rate, "rate", "job rate (`rate`, like 40/s or 2.4k/min)")
	fs.Var(&utilization, "utilization", "target `utilization`, in (0, 1], like 0.8")
	fs.Var(&price, "price", "price of one box (`price`, like $0.10/h or $72/month)")
	fs.Var(&reqPrice, "serverless-request", "serverless price per request (`price`)")
	fs.Var(&gbsPrice, "serverless-gb-second", "serverless price per GB-second (`price`)")
	fs.Var(&memory, "serverless-memory", "serverless memory size (`size`, like 512MB)")
	fs.BoolVar(&freeTier, "serverless-free-tier", false, "count AWS Lambda's monthly free tier")
	fs.Var(&cpuBound, "cpu-bound", "share of a job that is CPU work, in [0, 1] (default 1): below 1769 MB it runs slower on serverless")
	fs.Var(format, "format", "output `format`: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badUsage(fs, "takes no arguments, got %q", fs.Arg(0))
	}
	if !latency.Given {
		return badUsage(fs, "needs --latency")
	}
	q := boxes.Question{
		Box:        boxes.Box{Latency: latency.D, Price: price.P},
		Serverless: boxes.ServerlessPrice{Request: reqPrice.P, GBSecond: gbsPrice.P, MemoryGB: memory.GB},
	}
	if cpuBound.Given {
		q.CPUBound = &cpuBound.V
	}
	if freeTier {
		q.Serverless = q.Serverless.WithLambdaFreeTier()
	}
	if capacity.Given {
		q.Capacity = &capacity.V
	}
	if rate.Given {
		q.JobRate = &rate.R
	}
	if utilization.Given {
		q.Utilization = &utilization.V
	}
	e, err := q.Estimate()
	if err != nil {
		return usageError{err}
	}
	return writeOutput(stdout, func(w io.Writer) error {
		if format.Value == "json" {
			return sizing.WriteEstimateJSON(w, e)
		}
		return sizing.WriteEstimate(w, e)
	})
}
