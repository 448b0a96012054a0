package policy

import (
	"fmt"
	"math"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes/schema"
)

// Scheduled sets the capacity by the calendar: by time of day and day of
// week, as scheduled scaling actions do (AWS Auto Scaling scheduled actions,
// KEDA's cron scaler). It never looks at the load.
//
// The schedule is read on the wall clock of Env.Start's location at
// Env.Start + Observation.Time: a window from 09:00 to 17:00 follows the
// local clock across daylight-saving changes (on a day with a 23-hour clock
// it is still 09:00 to 17:00 local time). The first window that contains the
// moment gives the capacity; outside every window it is Default.
type Scheduled struct {
	// Default is the number of boxes outside every window.
	Default int `yaml:"default" default:"0" min:"0" max:"1000000" doc:"boxes outside every window"`
	// Windows are tried in order; the first that contains the moment wins.
	Windows []Window `yaml:"windows" doc:"stretches of the week with their own capacity; the first open one wins"`
}

// Window is a stretch of the week with its own capacity.
//
// A window opens at clock time From on each of its Days and stays open until
// the next clock time To. When To is after From both fall on the same day;
// when To is before From the window crosses midnight and closes at To on the
// following day (Days name the day it opens: Friday 22:00 to 06:00 covers
// Friday night and Saturday until 06:00). When From equals To the window is
// open for 24 hours from From, so a window with zero From and To covers its
// Days whole.
type Window struct {
	// Days are the weekdays the window opens on; empty means every day.
	Days Days `yaml:"days" doc:"weekdays it opens on (mon … sun, weekdays, weekend), a list or one name; empty for every day"`
	// From is the clock time it opens, as time since midnight, in [0, 24h).
	From time.Duration `yaml:"from" unit:"clock" default:"00:00" min:"00:00" max:"24:00" exclusive:"max" doc:"time of day it opens"`
	// To is the clock time it closes, in [0, 24h]; 24h is the end of the day.
	To time.Duration `yaml:"to" unit:"clock" default:"00:00" min:"00:00" max:"24:00" doc:"time of day it closes (before from: the next day; equal to from: 24 hours)"`
	// Capacity is the number of boxes while the window is open.
	Capacity int `yaml:"capacity,required" min:"0" max:"1000000" doc:"boxes while it is open"`
}

// Days are weekdays. A scenario writes them as a list of names ("mon" …
// "sun", or "monday" … "sunday"), or as one name, where "weekdays" is
// Monday to Friday and "weekend" Saturday and Sunday.
type Days []time.Weekday

var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// parseDays reads one name.
func parseDays(s string) (Days, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "weekdays":
		return Days{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, true
	case "weekend":
		return Days{time.Saturday, time.Sunday}, true
	}
	for i, n := range dayNames {
		if s == n || s == strings.ToLower(time.Weekday(i).String()) {
			return Days{time.Weekday(i)}, true
		}
	}
	return nil, false
}

// UnmarshalSchema reads a list of names or one name.
func (d *Days) UnmarshalSchema(dec *schema.Decoder, n *yaml.Node, path string) error {
	n = schema.Resolve(n)
	*d = nil
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for i, item := range items {
		item = schema.Resolve(item)
		p := path
		if n.Kind == yaml.SequenceNode {
			p = fmt.Sprintf("%s[%d]", path, i)
		}
		if item.Kind != yaml.ScalarNode {
			return dec.Errorf(item, p, "want a day's name, got %s", schema.Describe(item))
		}
		days, ok := parseDays(item.Value)
		if !ok {
			return dec.Errorf(item, p, "want mon, tue, wed, thu, fri, sat, sun, weekdays or weekend")
		}
		*d = append(*d, days...)
	}
	return nil
}

// MarshalSchema writes the days as a list of names.
func (d Days) MarshalSchema() (*yaml.Node, error) {
	s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	for _, w := range d {
		if w < time.Sunday || w > time.Saturday {
			return nil, fmt.Errorf("policy: %d is not a weekday", w)
		}
		s.Content = append(s.Content, schema.Scalar(dayNames[w]))
	}
	return s, nil
}

// SchemaType names the type for the reference.
func (Days) SchemaType() string { return "days" }

// Validate reports a negative capacity, a clock time out of range or an
// unknown weekday, naming the window by its index.
func (s Scheduled) Validate() error {
	if s.Default < 0 {
		return fmt.Errorf("policy: scheduled: default %d must not be negative", s.Default)
	}
	for i, w := range s.Windows {
		if w.Capacity < 0 {
			return fmt.Errorf("policy: scheduled: windows[%d].capacity %d must not be negative", i, w.Capacity)
		}
		if w.From < 0 || w.From >= clockDay {
			return fmt.Errorf("policy: scheduled: windows[%d].from %v must be in [0s, 24h)", i, w.From)
		}
		if w.To < 0 || w.To > clockDay {
			return fmt.Errorf("policy: scheduled: windows[%d].to %v must be in [0s, 24h]", i, w.To)
		}
		for j, d := range w.Days {
			if d < time.Sunday || d > time.Saturday {
				return fmt.Errorf("policy: scheduled: windows[%d].days[%d] %d is not a weekday (0 is Sunday, 6 Saturday)", i, j, d)
			}
		}
	}
	return nil
}

// clockDay is 24 hours, the length of a clock day.
const clockDay = 24 * time.Hour

// Start returns the schedule's capacity at time 0 as the initial capacity.
// The engine asks every second (Period 1 s); the answer is cached until the
// next boundary of any window, the next midnight or the next change of the
// zone's UTC offset, so most calls cost a comparison.
func (s Scheduled) Start(env Env) (Run, error) {
	if err := s.Validate(); err != nil {
		return Run{}, err
	}
	r := &scheduleRun{start: env.Start, next: -1}
	for _, w := range s.Windows {
		var days uint8
		for _, d := range w.Days {
			days |= 1 << d
		}
		if len(w.Days) == 0 {
			days = 0x7f
		}
		r.windows = append(r.windows, window{days: days, from: w.From, to: w.To, capacity: w.Capacity})
		r.bounds = append(r.bounds, w.From, w.To)
	}
	r.fallback = s.Default
	return Run{Policy: r, Initial: r.at(0), Period: 1, Lookback: 0}, nil
}

type window struct {
	days     uint8 // bit d set: opens on weekday d
	from, to time.Duration
	capacity int
}

// open reports whether w is open at clock time c on weekday wd.
func (w window) open(wd time.Weekday, c time.Duration) bool {
	on := func(d time.Weekday) bool { return w.days&(1<<d) != 0 }
	if w.from < w.to {
		return on(wd) && c >= w.from && c < w.to
	}
	// Crosses midnight, or (from == to) lasts 24 hours from From.
	return on(wd) && c >= w.from || on((wd+6)%7) && c < w.to
}

// scheduleRun evaluates a Scheduled; it caches the capacity between the
// moments where it may change.
type scheduleRun struct {
	start    time.Time
	windows  []window
	bounds   []time.Duration // every From and To
	fallback int

	from, next float64 // the cached capacity holds for Time in [from, next)
	capacity   int
}

func (r *scheduleRun) Desired(o *Observation) int { return r.at(o.Time) }

func (r *scheduleRun) at(t float64) int {
	if t >= r.from && t < r.next {
		return r.capacity
	}
	now := r.start.Add(seconds(t))
	wd := now.Weekday()
	h, mi, sec := now.Clock()
	c := time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute +
		time.Duration(sec)*time.Second + time.Duration(now.Nanosecond())
	r.capacity = r.fallback
	for _, w := range r.windows {
		if w.open(wd, c) {
			r.capacity = w.capacity
			break
		}
	}
	// The answer can change next at a window boundary later today, at
	// midnight (the weekday changes) or when the zone's offset changes (the
	// clock jumps). Until then the clock runs with real time, so a clock
	// time b is reached b − c from now.
	next := now.Add(clockDay - c)
	for _, b := range r.bounds {
		if b > c {
			next = minTime(next, now.Add(b-c))
		}
	}
	if _, end := now.ZoneBounds(); !end.IsZero() && end.After(now) {
		next = minTime(next, end)
	}
	r.from = t
	r.next = float64(next.Sub(r.start)) / 1e9
	if !(r.next > t) { // a Duration overflow far from Start: do not cache
		r.next = math.Inf(-1)
	}
	return r.capacity
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
