package html

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/boxes-project/boxes/report"
)

// The per-policy paragraphs of the HTML report: what happened to each run
// and why, in the first article's words (Capacity, Throughput, JobRate,
// Utilization, missed jobs, idle boxes), built from the run's own numbers.

// Episode is a stretch of a run during which jobs were missed: the points
// of its series from Start to End (seconds from time 0), with the jobs
// missed, the highest JobRate, the Throughput of the ready boxes when the
// JobRate peaked, the JobRate just before, and the most boxes booting.
type Episode struct {
	Start, End    float64
	Missed        float64 // jobs
	PeakRate      float64 // jobs/s
	PeakAt        float64 // seconds from time 0
	Throughput    float64 // jobs/s at the peak
	RateBefore    float64 // jobs/s in the point before Start (the first point's own rate at the start)
	MostBooting   float64 // boxes
	ThroughputMin float64 // least Throughput during the episode, jobs/s
}

// Episodes finds the stretches of a series during which jobs were missed,
// in time order. A point counts when its missed rate is above a millionth
// of its JobRate (the fluid engine's sums carry rounding noise below that).
// The run ends at horizon (seconds), and its last point with it.
func Episodes(s *report.SeriesJSON, horizon float64) []Episode {
	var eps []Episode
	var cur *Episode
	iv := float64(s.Interval)
	for k := range s.Time {
		rate, missed := float64(s.JobRate[k]), float64(s.Missed[k])
		if !(missed > 1e-6*rate && missed > 0) {
			cur = nil
			continue
		}
		t := float64(s.Time[k])
		if cur == nil {
			before := rate
			if k > 0 {
				before = float64(s.JobRate[k-1])
			}
			eps = append(eps, Episode{Start: t, PeakRate: -1, RateBefore: before, ThroughputMin: math.Inf(1)})
			cur = &eps[len(eps)-1]
		}
		length := iv
		if t+iv > horizon && horizon > t {
			length = horizon - t // the last point may be shorter
		}
		cur.End = t + length
		cur.Missed += missed * length
		thr := float64(s.Throughput[k])
		if rate > cur.PeakRate {
			cur.PeakRate, cur.PeakAt, cur.Throughput = rate, t+iv/2, thr
		}
		cur.ThroughputMin = math.Min(cur.ThroughputMin, thr)
		cur.MostBooting = math.Max(cur.MostBooting, float64(s.Booting[k]))
	}
	return eps
}

// storyClock formats seconds from the start as a time of day ("12:04"), with
// the weekday when the run is longer than a day ("Tue 12:04").
func storyClock(j *report.SimulationJSON, secs float64) string {
	t, err := time.Parse(time.RFC3339, j.Scenario.Start)
	if err != nil {
		return report.Seconds(secs) + " in"
	}
	at := t.Add(time.Duration(math.Round(secs)) * time.Second)
	if float64(j.Scenario.Horizon) > 86400 {
		return at.Format("Mon 15:04")
	}
	return at.Format("15:04")
}

func plural(n float64, one, many string) string {
	if math.Abs(n-1) < 1e-9 {
		return one
	}
	return many
}

// boxesWord formats a number of boxes: "16 boxes", "1 box", "12.5 boxes".
func boxesWord(n float64) string {
	s := report.Number(math.Round(n*10) / 10)
	if n >= 1000 {
		s = report.Count(n)
	}
	return s + " " + plural(n, "box", "boxes")
}

// Story is the paragraph about result i of a simulation: its Capacity and
// Throughput, when and why it missed jobs, its Utilization and what it
// paid, for idle boxes too, against the oracle. It needs the result's
// series for the when and why, and falls back to the totals without them.
func Story(j *report.SimulationJSON, i int) string {
	r := &j.Results[i]
	sc := &j.Scenario
	latency := float64(sc.Latency)
	var b strings.Builder
	say := func(format string, args ...any) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, format, args...)
	}
	if r.Kind == "oracle" {
		say("The oracle knows the JobRate in advance and boots exactly the boxes each moment needs, just in time, at Utilization %s:", report.Ratio(float64(sc.OracleUtilization)))
		say("it paid %s for %s box-hours: the cheapest box fleet that misses no job at its utilization.", report.Money(float64(r.Cost)), strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", float64(r.BoxHours)), "0"), "."))
		return b.String()
	}
	s := r.Series

	// Capacity and Throughput.
	fixed := false
	if s != nil && len(s.Ready) > 0 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range s.Ready {
			lo, hi = math.Min(lo, float64(x)), math.Max(hi, float64(x))
		}
		booted := false
		for _, x := range s.Booting {
			if x > 0 {
				booted = true
			}
		}
		switch {
		case r.Kind == "serverless":
			say("The platform scaled for it, between %s and %s at once (Throughput up to %s).", report.Number(math.Round(lo*10)/10), boxesWord(hi), report.JobsPerSecond(hi/latency))
		case hi-lo < 1e-9 && !booted:
			fixed = true
			say("Capacity was fixed at %s: a Throughput of %s (Capacity / Latency = %s / %s).",
				boxesWord(hi), report.JobsPerSecond(hi/latency), report.Number(hi), report.Seconds(latency))
		default:
			say("Capacity followed the load between %s and %s ready (Throughput %s to %s); boxes take %s to boot.",
				report.Number(math.Round(lo*10)/10), boxesWord(hi), report.JobsPerSecond(lo/latency), report.JobsPerSecond(hi/latency), report.Seconds(float64(sc.Boot)))
		}
	}

	// Missed jobs: when and why. With a queue (the per-job engine), jobs
	// the Throughput could not take at once waited instead.
	missed := float64(r.Jobs.Missed)
	queued := r.Wait != nil && sc.Jobs != nil && sc.Jobs.Queue != "none"
	switch {
	case queued && (missed <= 0 || missed < 1e-9*float64(r.Jobs.Arrived)):
		say("It missed no job: when the JobRate was above its Throughput, jobs waited in the queue (%s of them waited; mean wait %s, 99th percentile %s).",
			report.Percent(float64(r.Queue.WaitProbability)), report.Seconds(float64(r.Wait.Mean)), report.Seconds(float64(r.Wait.P99)))
	case missed <= 0 || missed < 1e-9*float64(r.Jobs.Arrived):
		say("It missed no job: its Throughput stayed above the JobRate, which peaked at %s.", report.JobsPerSecond(float64(j.Workload.PeakRate)))
	case s == nil:
		say("It missed %s jobs (%s): for %s the JobRate was above its Throughput.", report.Count(missed), report.Percent(float64(r.Jobs.MissedFraction)), report.Seconds(float64(r.SecondsOverCapacity)))
	default:
		eps := Episodes(s, float64(sc.Horizon))
		if len(eps) == 0 {
			say("It missed %s jobs (%s), too few to show at the charts' resolution.", report.Count(missed), report.Percent(float64(r.Jobs.MissedFraction)))
			break
		}
		worst := eps[0]
		for _, e := range eps[1:] {
			if e.Missed > worst.Missed {
				worst = e
			}
		}
		switch {
		case fixed:
			first, last, peak := eps[0], eps[len(eps)-1], eps[0]
			for _, e := range eps {
				if e.PeakRate > peak.PeakRate {
					peak = e
				}
			}
			again := ""
			if len(eps) > 1 {
				again = ", on and off,"
			}
			say("The JobRate rose above that Throughput%s from %s to %s, peaking at %s around %s: Utilization went above 1 and jobs were missed.",
				again, storyClock(j, first.Start), storyClock(j, last.End), report.JobsPerSecond(peak.PeakRate), storyClock(j, peak.PeakAt))
		case r.Kind == "serverless":
			say("Around %s the JobRate reached %s, faster than the platform would add instances (Throughput %s): jobs were missed.",
				storyClock(j, worst.Start), report.JobsPerSecond(worst.PeakRate), report.JobsPerSecond(worst.Throughput))
		case report.CauseSentence(r, float64(sc.Boot)) != "":
			// The cause measured from its decisions and series.
			if worst.PeakRate > 1.2*worst.RateBefore {
				say("Around %s the JobRate jumped from %s to %s while the ready boxes gave %s.", storyClock(j, worst.Start),
					report.JobsPerSecond(worst.RateBefore), report.JobsPerSecond(worst.PeakRate), report.JobsPerSecond(worst.Throughput))
			} else {
				say("From %s to %s the JobRate (up to %s) was above the Throughput of the ready boxes (%s at its peak).",
					storyClock(j, worst.Start), storyClock(j, worst.End), report.JobsPerSecond(worst.PeakRate), report.JobsPerSecond(worst.Throughput))
			}
			say("%s", report.CauseSentence(r, float64(sc.Boot)))
		case worst.PeakRate > 1.2*worst.RateBefore:
			say("Around %s the JobRate jumped from %s to %s while the ready boxes gave %s;", storyClock(j, worst.Start),
				report.JobsPerSecond(worst.RateBefore), report.JobsPerSecond(worst.PeakRate), report.JobsPerSecond(worst.Throughput))
			if worst.MostBooting > 0 {
				say("the boxes it started take %s to boot (about %s booting at once), so the spike was missed until they were ready.", report.Seconds(float64(sc.Boot)), boxesWord(math.Round(worst.MostBooting)))
			} else {
				say("it did not start boxes in time, so the spike was missed.")
			}
		default:
			say("From %s to %s the JobRate (up to %s) stayed above the Throughput of the ready boxes (%s): the policy scaled too little or too late.",
				storyClock(j, worst.Start), storyClock(j, worst.End), report.JobsPerSecond(worst.PeakRate), report.JobsPerSecond(worst.Throughput))
		}
		in := "In all"
		if len(eps) == 1 {
			in = "In that stretch"
		}
		say("%s it missed %s jobs (%s of those that arrived); the load exceeded capacity for %s", in, report.Count(missed), report.Percent(float64(r.Jobs.MissedFraction)), report.Seconds(float64(r.SecondsOverCapacity)))
		if len(eps) > 1 {
			b.WriteString(fmt.Sprintf(", in %d stretches.", len(eps)))
		} else {
			b.WriteString(".")
		}
	}

	// Utilization against the band.
	u, p95 := float64(r.Utilization.Mean), float64(r.Utilization.P95)
	switch {
	case math.IsInf(u, 0) || math.IsNaN(u):
	case u < TargetBand[0]:
		say("Utilization averaged %s, below the %s–%s band: most of its box time was idle boxes waiting for jobs.", report.Ratio(u), report.Ratio(TargetBand[0]), report.Ratio(TargetBand[1]))
	case u <= TargetBand[1] && p95 <= 1:
		say("Utilization averaged %s (95th percentile %s), inside the %s–%s band.", report.Ratio(u), report.Ratio(p95), report.Ratio(TargetBand[0]), report.Ratio(TargetBand[1]))
	case p95 > 1 && queued:
		say("Utilization averaged %s and was above 1 at least 5%% of the time (95th percentile %s): the fail state, where the queue grows and jobs wait longer the longer it lasts.", report.Ratio(u), report.Ratio(p95))
	case p95 > 1:
		say("Utilization averaged %s and was above 1 at least 5%% of the time (95th percentile %s): the fail state, where jobs are missed.", report.Ratio(u), report.Ratio(p95))
	default:
		say("Utilization averaged %s (95th percentile %s), above the band: little headroom.", report.Ratio(u), report.Ratio(p95))
	}

	// Cost against the oracle, idle boxes included.
	cost, idle := float64(r.Cost), float64(r.IdleCost)
	vs := float64(r.CostVsOracle)
	switch {
	case vs == 0 || math.IsNaN(vs):
		say("It cost %s.", report.Money(cost))
	case vs < 1-1e-9 && missed > 0:
		say("It cost %s, ×%s the oracle's %s: less, because it did not serve every job.", report.Money(cost), report.Factor(vs), report.Money(float64(r.OracleCost)))
	case vs < 1-1e-9 && queued:
		say("It cost %s, ×%s the oracle's %s: less, because its jobs waited instead of each finding a ready box.", report.Money(cost), report.Factor(vs), report.Money(float64(r.OracleCost)))
	case vs < 1-1e-9:
		say("It cost %s, ×%s the oracle's %s: its billing beats boxes at the oracle's utilization.", report.Money(cost), report.Factor(vs), report.Money(float64(r.OracleCost)))
	default:
		say("It cost %s, ×%s the oracle's %s.", report.Money(cost), report.Factor(vs), report.Money(float64(r.OracleCost)))
	}
	if cost > 0 && idle > 0.005*cost {
		what := "idle boxes, booting or waiting for jobs"
		if fixed {
			what = "idle boxes waiting for jobs"
		}
		say("%s of it (%s) paid for %s.", report.Money(idle), report.Percent(idle/cost), what)
	}
	return b.String()
}
