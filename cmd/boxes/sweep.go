package main

import (
	"context"
	"io"
	"os"

	"github.com/boxes-project/boxes/internal/bounded"
	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/internal/cli/progress"
	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/sweepreport"
	"github.com/boxes-project/boxes/sweep"
)

const sweepUsage = `
Usage: boxes sweep [flags] FILE

Runs a scenario under every combination of the settings its sweep block
names, on the same traffic, and answers the decision: the cheapest policy
and configuration that meets the objective, and the Pareto front of cost
against missed jobs (and against the p99 wait, with the events engine).

  sweep:
    policies[hpa].target: 0.4..0.9 step 0.05    # a range: FROM..TO step S
    policies[hpa].min: 1..16 x2                 # or FROM..TO xF (1, 2, 4, 8, 16)
    box.latency: [100ms, 200ms]                 # or a list

A setting is named by its path in the scenario: box.latency, box.price,
policies[NAME].SETTING with the policy's name in brackets. Every
configuration is checked before any runs, and they run on every core.

--search bisects instead of running every configuration, for one or two
settings of one policy along which the objective is monotone (misses fall
as min replicas rise): it checks that on probes, and says so and runs the
grid where it is not.

--shard i/n runs the configurations whose index is i modulo n and writes a
part; boxes merge puts the parts back together, byte for byte the output of
the whole sweep. That runs a sweep as a Kubernetes Indexed Job
(--kubernetes-job prints one), a Slurm job array or xargs -P on one host.

Before any runs, the sweep's cost is estimated, as simulate's is: the
configurations (each about as costly as the first, then each as it is
built) must fit --max-memory (8GB) and --max-work (1e11 units) together,
or the sweep is refused, exit 2; --shard i/n's part is budgeted alone.

Examples:
  boxes sweep hpa-sweep.yaml
  boxes sweep hpa-sweep.yaml --format json --out sweep.json
  boxes sweep min-replicas.yaml --search
  for i in 0 1 2 3; do boxes sweep hpa-sweep.yaml --shard $i/4 --out part-$i.json & done; wait
  boxes merge part-*.json --format json
  boxes sweep hpa-sweep.yaml --kubernetes-job --shards 16 --image registry.example/boxes:1 > job.yaml
`

func runSweep(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("sweep", sweepUsage, stderr)
	format := flagvalue.NewFormat("text", "json")
	fs.Var(format, "format", "output format: text or json")
	out := fs.String("out", "", "write the output (or the part) to `file`, whole or not at all")
	html := fs.String("html", "", "also write the HTML report, with the Pareto chart, to `file`")
	shard := fs.String("shard", "", "run part `i/n` of the configurations and write it as a part for boxes merge")
	workers := fs.Int("workers", 0, "configurations run at once (0: one per core); the output does not depend on it")
	engine := fs.String("engine", "", "`engine`: fluid or events; overrides the scenario's")
	replications := fs.Int("replications", 0, "with --engine events, runs of each policy with independent seeds; overrides the scenario's")
	search := fs.Bool("search", false, "search instead of running the grid: bisect along one or two settings of one policy where the objective is monotone (checked; the grid runs where it is not)")
	job := fs.Bool("kubernetes-job", false, "print a Kubernetes Indexed Job that runs the sweep in --shards pods, and the merge step")
	shards := fs.Int("shards", 0, "with --kubernetes-job: the number of pods (shards)")
	image := fs.String("image", "", "with --kubernetes-job: an image with boxes at /boxes (see the Dockerfile)")
	jobName := fs.String("job-name", "boxes-sweep", "with --kubernetes-job: the Job's `name`")
	parallelism := fs.Int("parallelism", 0, "with --kubernetes-job: pods at once (0: all)")
	budget := addBudgetFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := budget.check(); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badUsage(fs, "takes one scenario file with a sweep block, got %d arguments", fs.NArg())
	}
	switch {
	case *workers < 0:
		return badUsage(fs, "--workers %d must not be negative", *workers)
	case *replications < 0:
		return badUsage(fs, "--replications %d must not be negative", *replications)
	}
	file := fs.Arg(0)
	data, err := bounded.ReadFile(file, stdin, "-", maxScenario)
	if err != nil {
		return usageError{err}
	}
	sw, err := sweep.Parse(data, file)
	if err != nil {
		return usageError{err}
	}
	if *job {
		if *shards < 1 || *image == "" {
			return badUsage(fs, "--kubernetes-job needs --shards N and --image IMAGE")
		}
		m, err := sweep.JobManifest(sweep.JobOptions{Name: *jobName, Image: *image, Scenario: "/scenario/" + baseName(file),
			Shards: *shards, Parallelism: *parallelism, ConfigMap: *jobName + "-scenario", ClaimName: *jobName + "-parts", PartsDir: "/parts"})
		if err != nil {
			return usageError{err}
		}
		return writeTo(stdout, *out, func(w io.Writer) error { _, err := w.Write(m); return err })
	}
	if *search {
		if *shard != "" {
			return badUsage(fs, "--search runs on one machine; give --shard or --search, not both")
		}
		// Each probe is one configuration: the first's cost is the check.
		if err := checkSweep(sw, sweep.All, *engine, *replications, 1, budget); err != nil {
			return err
		}
		o, err := sw.Search(ctx, sweep.Options{Engine: *engine, Replications: *replications, Workers: *workers}, meetsObjective)
		if err != nil {
			return usageError{err}
		}
		return writeSweep(stdout, *out, *html, format.Value, o)
	}
	sh := sweep.All
	if *shard != "" {
		if sh, err = sweep.ParseShard(*shard); err != nil {
			return usageError{err}
		}
	}
	if err := checkSweep(sw, sh, *engine, *replications, *workers, budget); err != nil {
		return err
	}
	sb := &sweep.Budget{Limit: budget.budget(), N: sw.ShardSize(sh), Workers: workersOf(*workers)}
	bar := progress.New(stderr, "sweeping")
	entries, err := sw.Run(ctx, sh, sweep.Options{Engine: *engine, Replications: *replications, Workers: *workers, Progress: bar.Update, Check: sb.Add})
	bar.Finish()
	if err != nil {
		return sweepRefusal(err)
	}
	if *shard != "" {
		part := sw.Part(sh, entries)
		return writeTo(stdout, *out, func(w io.Writer) error { _, err := part.WriteTo(w); return err })
	}
	o, err := sweep.Assemble(sw.Header(), entries, meetsObjective)
	if err != nil {
		return err
	}
	return writeSweep(stdout, *out, *html, format.Value, o)
}

const mergeUsage = `
Usage: boxes merge [flags] PART...

Puts the parts of a sharded sweep (boxes sweep --shard i/n --out PART)
together and prints what the whole sweep prints, byte for byte. It refuses
parts of different scenarios, a shard missing or given twice.

Examples:
  boxes merge part-*.json
  boxes merge --format json --out sweep.json parts/*.json
`

func runMerge(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("merge", mergeUsage, stderr)
	format := flagvalue.NewFormat("text", "json")
	fs.Var(format, "format", "output format: text or json")
	out := fs.String("out", "", "write the output to `file`, whole or not at all")
	html := fs.String("html", "", "also write the HTML report, with the Pareto chart, to `file`")
	budget := addBudgetFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return badUsage(fs, "needs the parts to merge")
	}
	if err := budget.check(); err != nil {
		return err
	}
	if err := checkInputs("merge", fs.Args(), budget); err != nil {
		return err
	}
	var parts []*sweep.Part
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return usageError{err}
		}
		p, err := sweep.ReadPart(f, name)
		f.Close()
		if err != nil {
			return usageError{err}
		}
		parts = append(parts, p)
	}
	entries, err := sweep.Merge(parts)
	if err != nil {
		return usageError{err}
	}
	o, err := sweep.Assemble(parts[0].Header(), entries, meetsObjective)
	if err != nil {
		return usageError{err}
	}
	return writeSweep(stdout, *out, *html, format.Value, o)
}

func writeSweep(stdout io.Writer, out, html, format string, o *sweep.OutputJSON) error {
	if html != "" {
		if err := writeHTMLFile(html, func(w io.Writer) error { return sweepreport.WriteHTML(w, o) }); err != nil {
			return err
		}
	}
	return writeTo(stdout, out, func(w io.Writer) error {
		if format == "json" {
			return sweepreport.WriteJSON(w, o)
		}
		return sweepreport.WriteText(w, o)
	})
}

// writeTo writes to the file out (whole or not at all) or, when out is "",
// to stdout.
func writeTo(stdout io.Writer, out string, render func(io.Writer) error) error {
	if out != "" {
		return writeFileAtomic(out, render)
	}
	return writeOutput(stdout, render)
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

// meetsObjective is the verdict of the scenario's objective (its slo:
// block) on a result, as simulate reports it in the result's slo.
func meetsObjective(r *report.ResultJSON) bool { return r.SLO != nil && r.SLO.Met }
