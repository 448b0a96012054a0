package policy

import (
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests name zones; do not depend on the host's zoneinfo
)

// week is a schedule with the usual shapes: business hours, a night that
// crosses midnight, a whole weekend, and a default.
func week() Scheduled {
	weekdays := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	return Scheduled{
		Default: 5,
		Windows: []Window{
			{Days: weekdays, From: 9 * time.Hour, To: 17 * time.Hour, Capacity: 10},
			{Days: []time.Weekday{time.Friday}, From: 22 * time.Hour, To: 6 * time.Hour, Capacity: 3},
			{Days: []time.Weekday{time.Saturday, time.Sunday}, Capacity: 2}, // From = To = 0: all day
		},
	}
}

// TestScheduledCalendar checks explicit instants. Weekdays and offsets were
// read from a calendar and checked with Python's zoneinfo
// (datetime(2024,3,4).strftime("%A") is Monday; America/New_York moves to
// EDT on 2024-03-10 and back to EST on 2024-11-03).
func TestScheduledCalendar(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	monday := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC) // a Monday, UTC
	h := 3600.0
	tests := []struct {
		name  string
		start time.Time
		at    float64 // seconds after start
		want  int
	}{
		{"Monday 08:59:59, before business hours: default", monday, 9*h - 1, 5},
		{"Monday 09:00, business hours open (From is inclusive)", monday, 9 * h, 10},
		{"Monday 16:59:59, still open", monday, 17*h - 1, 10},
		{"Monday 17:00, closed (To is exclusive)", monday, 17 * h, 5},
		{"Friday 12:00, business hours", monday, 4*24*h + 12*h, 10},
		{"Friday 21:59:59, default", monday, 4*24*h + 22*h - 1, 5},
		{"Friday 22:00, the night window opens", monday, 4*24*h + 22*h, 3},
		{"Saturday 05:59:59, the night window crossed midnight and wins over the weekend (first match)", monday, 5*24*h + 6*h - 1, 3},
		{"Saturday 06:00, the night window closed: weekend", monday, 5*24*h + 6*h, 2},
		{"Sunday 23:59:59, weekend", monday, 6*24*h + 24*h - 1, 2},
		{"next Monday 00:00, default again", monday, 7 * 24 * h, 5},
		{"Thursday 23:00: the night window opens on Fridays only", monday, 3*24*h + 23*h, 5},

		// Saturday 2024-03-09 00:00 EST; the clock jumps from 02:00 to
		// 03:00 on Sunday, so Monday 09:00 EDT is 56 h later, not 57 h.
		{"spring forward: Monday 08:59:59 EDT", time.Date(2024, 3, 9, 0, 0, 0, 0, ny), 56*h - 1, 5},
		{"spring forward: Monday 09:00 EDT = start + 56 h", time.Date(2024, 3, 9, 0, 0, 0, 0, ny), 56 * h, 10},
		{"spring forward: Sunday 23:59:59 EDT is still the weekend", time.Date(2024, 3, 9, 0, 0, 0, 0, ny), 47*h - 1, 2},
		{"spring forward: Monday 00:00 EDT = start + 47 h", time.Date(2024, 3, 9, 0, 0, 0, 0, ny), 47 * h, 5},
		// Saturday 2024-11-02 00:00 EDT; the clock repeats 01:00-02:00 on
		// Sunday, so Monday 09:00 EST is 58 h later.
		{"fall back: Monday 08:59:59 EST", time.Date(2024, 11, 2, 0, 0, 0, 0, ny), 58*h - 1, 5},
		{"fall back: Monday 09:00 EST = start + 58 h", time.Date(2024, 11, 2, 0, 0, 0, 0, ny), 58 * h, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, err := week().Start(Env{Start: tt.start})
			if err != nil {
				t.Fatal(err)
			}
			if got := run.Policy.Desired(&Observation{Time: tt.at}); got != tt.want {
				t.Errorf("at %v: got %d boxes, want %d", tt.start.Add(seconds(tt.at)), got, tt.want)
			}
		})
	}
}

// TestScheduledPrecedence: where windows overlap, the first in the list
// wins; outside all windows the capacity is Default.
func TestScheduledPrecedence(t *testing.T) {
	s := Scheduled{Default: 1, Windows: []Window{
		{From: 10 * time.Hour, To: 11 * time.Hour, Capacity: 7},
		{From: 8 * time.Hour, To: 12 * time.Hour, Capacity: 4},
	}}
	start := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		hour float64
		want int
	}{
		{7.5, 1},  // no window
		{8.5, 4},  // only the second
		{10.5, 7}, // both: the first wins
		{11.5, 4}, // only the second
		{12, 1},   // the second closed at 12:00
	} {
		run, _ := s.Start(Env{Start: start})
		if got := run.Policy.Desired(&Observation{Time: c.hour * 3600}); got != c.want {
			t.Errorf("%.1f h: got %d, want %d", c.hour, got, c.want)
		}
	}
}

// TestScheduledFullDayFromNoon: From == To is 24 hours from From, so a
// Tuesday window at 12:00-12:00 covers Tuesday noon to Wednesday noon.
func TestScheduledFullDayFromNoon(t *testing.T) {
	s := Scheduled{Default: 0, Windows: []Window{{Days: []time.Weekday{time.Tuesday}, From: 12 * time.Hour, To: 12 * time.Hour, Capacity: 9}}}
	monday := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		at   float64 // hours after Monday 00:00
		want int
	}{
		{24 + 11.99, 0}, // Tuesday 11:59
		{24 + 12, 9},    // Tuesday 12:00
		{48 + 11.99, 9}, // Wednesday 11:59
		{48 + 12, 0},    // Wednesday 12:00
	} {
		run, _ := s.Start(Env{Start: monday})
		if got := run.Policy.Desired(&Observation{Time: c.at * 3600}); got != c.want {
			t.Errorf("%.2f h after Monday: got %d, want %d", c.at, got, c.want)
		}
	}
}

// TestScheduledCache walks one run through three weeks around both New York
// changes of offset, asking every 61 s, and compares each answer with a
// fresh run's (which has nothing cached): the cache must never hold an
// answer past a change. The number of changes seen on the walk comes from
// an independent implementation of the same rules on Python's zoneinfo:
// `python3 testdata/scheduled_ref.py` prints 45 and 47. (A week has 15:
// business hours open and close 10 times, the Friday night, Saturday 06:00,
// Monday 00:00, and the Sunday 01:30-02:30 window twice. On 2024-11-03 the
// clock runs 01:00-02:00 twice, so that window also closes at the second
// 01:00 and opens again at the second 01:30.)
func TestScheduledCache(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		start   time.Time
		changes int
	}{
		{time.Date(2024, 3, 1, 7, 30, 0, 0, ny), 45},
		{time.Date(2024, 10, 25, 23, 59, 59, 0, ny), 47},
	} {
		s := week()
		sunday := Window{Days: []time.Weekday{time.Sunday}, From: 90 * time.Minute, To: 150 * time.Minute, Capacity: 8}
		s.Windows = append([]Window{sunday}, s.Windows...)
		run, err := s.Start(Env{Start: c.start})
		if err != nil {
			t.Fatal(err)
		}
		changes := 0
		last := run.Initial
		for at := 0.0; at < 21*24*3600; at += 61 {
			fresh, _ := s.Start(Env{Start: c.start})
			want := fresh.Policy.Desired(&Observation{Time: at})
			got := run.Policy.Desired(&Observation{Time: at})
			if got != want {
				t.Fatalf("start %v, at %v: cached run says %d, a fresh run %d", c.start, c.start.Add(seconds(at)), got, want)
			}
			if got != last {
				changes++
				last = got
			}
		}
		if changes != c.changes {
			t.Errorf("start %v: %d changes in three weeks, want %d", c.start, changes, c.changes)
		}
	}
}

func TestScheduledValidate(t *testing.T) {
	tests := []struct {
		s    Scheduled
		want string
	}{
		{Scheduled{Default: -1}, "default -1"},
		{Scheduled{Windows: []Window{{Capacity: -2}}}, "windows[0].capacity -2"},
		{Scheduled{Windows: []Window{{}, {From: 24 * time.Hour}}}, "windows[1].from 24h0m0s must be in [0s, 24h)"},
		{Scheduled{Windows: []Window{{From: -time.Second}}}, "windows[0].from -1s"},
		{Scheduled{Windows: []Window{{To: 25 * time.Hour}}}, "windows[0].to 25h0m0s must be in [0s, 24h]"},
		{Scheduled{Windows: []Window{{Days: []time.Weekday{time.Monday, 7}}}}, "windows[0].days[1] 7 is not a weekday"},
	}
	for _, tt := range tests {
		err := tt.s.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "policy: scheduled: ") {
			t.Errorf("%+v: got %v, want an error with %q", tt.s, err, tt.want)
		}
		if _, err := tt.s.Start(Env{}); err == nil {
			t.Errorf("%+v: Start accepted an invalid schedule", tt.s)
		}
	}
	if err := week().Validate(); err != nil {
		t.Errorf("week: %v", err)
	}
	if err := (Scheduled{}).Validate(); err != nil {
		t.Errorf("zero Scheduled (no boxes, ever): %v", err)
	}
	ok := Scheduled{Windows: []Window{{From: 23 * time.Hour, To: 24 * time.Hour}}}
	if err := ok.Validate(); err != nil {
		t.Errorf("To = 24h: %v", err)
	}
}

func TestScheduledStart(t *testing.T) {
	// Monday 10:00 UTC: business hours.
	run, err := week().Start(Env{Start: time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if run.Initial != 10 || run.Period != 1 || run.Lookback != 0 {
		t.Errorf("got Initial %d, Period %g, Lookback %g; want 10, 1, 0", run.Initial, run.Period, run.Lookback)
	}
}

func ExampleScheduled() {
	s := Scheduled{
		Default: 2,
		Windows: []Window{{
			Days:     []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
			From:     9 * time.Hour,
			To:       17 * time.Hour,
			Capacity: 12,
		}},
	}
	run, err := s.Start(Env{Start: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)}) // a Monday
	if err != nil {
		panic(err)
	}
	for _, hour := range []float64{8, 9, 16, 17} {
		fmt.Printf("Monday %02.0f:00: %d boxes\n", hour, run.Policy.Desired(&Observation{Time: hour * 3600}))
	}
	// Output:
	// Monday 08:00: 2 boxes
	// Monday 09:00: 12 boxes
	// Monday 16:00: 12 boxes
	// Monday 17:00: 2 boxes
}

func BenchmarkScheduledDesired(b *testing.B) {
	run, err := week().Start(Env{Start: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	o := &Observation{}
	b.ReportAllocs()
	for b.Loop() {
		o.Time++
		run.Policy.Desired(o)
	}
}
