package html

import (
	"context"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/scenario"
)

// simulate runs a scenario given as YAML and returns its JSON form with
// series.
func simulate(t *testing.T, yaml string) *report.SimulationJSON {
	t.Helper()
	sc, err := scenario.Parse([]byte(yaml), "story.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := sc.Run(context.Background(), scenario.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	j := report.NewSimulationJSON(out, true)
	return &j
}

const storyBox = `
horizon: 24h
step: 1s
box: {latency: 200ms, price: $0.10/h, boot: 90s}
billing: per-second
`

// TestStories checks the paragraphs of runs whose story is known from the
// first article's equations, worked by hand:
func TestStories(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		want  []string // parts the paragraph must contain
		avoid []string // and must not
	}{
		{
			// A fixed fleet below the peak: 10 boxes of 200 ms give
			// Throughput = Capacity / Latency = 50/s. The JobRate is 40/s
			// with 40/s more from 12:00 to 12:30, so (80 − 50) × 1,800 s =
			// 54,000 jobs are missed, 54,000 / (40 × 86,400 + 40 × 1,800) =
			// 1.5% of the 3,528,000 that arrived, for 30m00s. Utilization is
			// 40/50 = 0.8 for 23.5 h and 80/50 = 1.6 for 0.5 h: mean
			// (0.8 × 84,600 + 1.6 × 1,800) / 86,400 = 0.82, above the band.
			// Cost 10 × 24 h × $0.10 = $24.00; busy box-seconds (40 × 84,600
			// + 50 × 1,800) × 0.2 = 694,800 of 864,000, so idle is 169,200
			// box-s = $4.70, 19.6%.
			name: "fixed fleet below the peak",
			yaml: storyBox + `
workload:
  sum:
    - constant: 40/s
    - burst: {start: "12:00", duration: 30m, height: 40/s}
policies:
  - name: ten
    fixed: {capacity: 10}
`,
			want: []string{"Capacity was fixed at 10 boxes: a Throughput of 50/s", "from 12:00 to 12:30", "peaking at 80/s",
				"missed 54,000 jobs (1.5% of those that arrived)", "for 30m00s.", "Utilization averaged 0.82", "above the band",
				"It cost $24.00", "$4.70 of it (19.6%) paid for idle boxes"},
			avoid: []string{"boot", "missed no job", "stretches"},
		},
		{
			// Sized for the peak at utilization 0.5 on a flat 40/s: 40 × 0.2
			// / 0.5 = 16 boxes, Throughput 80/s, Utilization 0.5 all day; half
			// the $38.40 (16 × 24 h × $0.10) pays for idle boxes.
			name: "fixed for the peak, flat load",
			yaml: storyBox + `
workload: {constant: 40/s}
policies:
  - name: safe
    fixed: {utilization: 0.5, at: peak}
`,
			want: []string{"fixed at 16 boxes: a Throughput of 80/s", "It missed no job", "peaked at 40/s",
				"Utilization averaged 0.50 (95th percentile 0.50), inside the 0.50–0.80 band", "It cost $38.40", "$19.20 of it (50.0%) paid for idle boxes"},
			avoid: []string{"jumped"},
		},
		{
			// An HPA behind a spike: 40/s, then 160/s from 12:00 for 20
			// minutes. Boxes booted when the spike arrives are ready 90 s
			// later, so the spike is missed meanwhile.
			name: "HPA behind a spike",
			yaml: storyBox + `
workload:
  sum:
    - constant: 40/s
    - burst: {start: "12:00", duration: 20m, height: 120/s}
policies:
  - name: hpa
    hpa: {metric: cpu, target: 0.7, min: 2, max: 100, behavior: {}}
`,
			want:  []string{"Capacity followed the load", "Around 12:00 the JobRate jumped from 40/s to 160/s", "take 1m30s to boot", "Boot delay: 100.0% of the missed jobs arrived while boxes it had asked for were still booting"},
			avoid: []string{"fixed at", "pinned"},
		},
		{
			// The same spike against an HPA capped at 20 boxes (100 jobs/s):
			// it wants 160 × 0.2 / 0.7 ≈ 46 boxes for the spike's 20 minutes
			// and is pinned at its max, the cause the story must name (not
			// boot time, issue 10).
			name: "HPA pinned at max",
			yaml: storyBox + `
workload:
  sum:
    - constant: 40/s
    - burst: {start: "12:00", duration: 20m, height: 120/s}
policies:
  - name: hpa
    hpa: {metric: utilization, target: 0.7, min: 2, max: 20, behavior: {}}
`,
			want:  []string{"It was pinned at its max: for 20m", "wanted more boxes than its max allowed"},
			avoid: []string{"Boot delay", "the spike was missed until they were ready"},
		},
		{
			// A fixed fleet with a queue, every job simulated: 10 boxes of
			// 200 ms jobs at 40/s is M/D/10 at offered load 8, where a job
			// waits with probability 0.3847 (queueing.MDcWaitProbability;
			// the engine's theory tests check this value). Nothing is
			// missed: the jobs wait.
			name: "fixed fleet with a queue, per job",
			yaml: storyBox + `
engine: events
jobs: {queue: {kind: unbounded}}
workload: {constant: 40/s}
policies:
  - name: ten
    fixed: {capacity: 10}
`,
			want:  []string{"It missed no job: when the JobRate was above its Throughput, jobs waited in the queue (38.", "% of them waited; mean wait"},
			avoid: []string{"jobs are missed", "Throughput stayed above the JobRate"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := simulate(t, tt.yaml)
			got := Story(j, 1)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("the story lacks %q:\n%s", w, got)
				}
			}
			for _, a := range tt.avoid {
				if strings.Contains(got, a) {
					t.Errorf("the story has %q:\n%s", a, got)
				}
			}
		})
	}
}

// TestEpisodes finds the fixed fleet's one stretch in the hand-made
// simulation: points 5 to 7 (50 to 80 minutes in) at 35, 40 and 35 jobs/s
// against 30/s, so (5 + 10 + 5) × 600 = 12,000 jobs missed, peaking at 40/s.
func TestEpisodes(t *testing.T) {
	j := smallSimulation()
	eps := Episodes(j.Results[1].Series, float64(j.Scenario.Horizon))
	if len(eps) != 1 {
		t.Fatalf("%d episodes, want 1: %+v", len(eps), eps)
	}
	e := eps[0]
	if e.Start != 3000 || e.End != 4800 || e.Missed != 12000 || e.PeakRate != 40 || e.Throughput != 30 || e.RateBefore != 30 {
		t.Errorf("episode %+v", e)
	}
}

// TestEpisodesShortLastPoint: a run of 15 s in points of 10 s missing 1
// job/s in the first and 2 in the second, whose last point lasts 5 s:
// 1 × 10 + 2 × 5 = 20 jobs, ending at 15 s (not 30 jobs and 20 s).
func TestEpisodesShortLastPoint(t *testing.T) {
	s := &report.SeriesJSON{Interval: 10, Time: []report.Float{0, 10}, JobRate: []report.Float{10, 10},
		Missed: []report.Float{1, 2}, Throughput: []report.Float{9, 8}, Booting: []report.Float{0, 0}}
	eps := Episodes(s, 15)
	if len(eps) != 1 || eps[0].Missed != 20 || eps[0].End != 15 {
		t.Fatalf("episodes %+v, want one of 20 jobs ending at 15 s", eps)
	}
}

// TestOracleStory: the oracle's paragraph says what it is and what it paid.
func TestOracleStory(t *testing.T) {
	j := smallSimulation()
	got := Story(j, 0)
	if !strings.Contains(got, "just in time") || !strings.Contains(got, report.Money(float64(j.Results[0].Cost))) {
		t.Errorf("oracle story: %s", got)
	}
}
