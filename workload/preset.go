package workload

import (
	"fmt"
	"sort"
	"strings"

	"github.com/boxes-project/boxes"
)

const (
	minute = 60.0
	hour   = 3600.0
	day    = 86400.0
)

// presets are four JobRate curves with different peaks and valleys, like the
// first article's figure of example job rates: a flat line, a daily wave, a
// bursty load and a growing one. Each has ±5–10% seeded noise per minute.
var presets = map[string]func(seed uint64) Curve{
	// flat: 50 jobs/s all day.
	"flat": func(seed uint64) Curve {
		return Noise{Curve: Constant(50), Sigma: 0.05, Interval: minute, Seed: seed}
	},
	// daily: a wave around 50 jobs/s, peak five times the trough, at 14:00.
	"daily": func(seed uint64) Curve {
		return Noise{Curve: Daily{Mean: 50, Ratio: 5, Period: day, Peak: 14 * hour}, Sigma: 0.05, Interval: minute, Seed: seed}
	},
	// bursty: 30 jobs/s with five spikes a day, of 2 to 15 minutes and
	// 60 to 300 extra jobs/s.
	"bursty": func(seed uint64) Curve {
		return Noise{Curve: Sum{
			Constant(30),
			Burst{Start: 3*hour + 10*minute, Duration: 5 * minute, Height: 120, Every: day},
			Burst{Start: 9*hour + 40*minute, Duration: 15 * minute, Height: 60, Every: day},
			Burst{Start: 12*hour + 5*minute, Duration: 2 * minute, Height: 300, Every: day},
			Burst{Start: 16*hour + 30*minute, Duration: 10 * minute, Height: 90, Every: day},
			Burst{Start: 21*hour + 15*minute, Duration: 4 * minute, Height: 200, Every: day},
		}, Sigma: 0.1, Interval: minute, Seed: seed}
	},
	// growing: 10 jobs/s doubling every 8 hours, eight times as much a day
	// later: a launch that takes off.
	"growing": func(seed uint64) Curve {
		return Noise{Curve: Exponential{From: 10, Doubling: 8 * hour}, Sigma: 0.05, Interval: minute, Seed: seed}
	},
}

// PresetNames lists the presets in alphabetical order.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Preset returns the named preset curve with its noise seeded by seed.
func Preset(name string, seed uint64) (Curve, error) {
	p, ok := presets[name]
	if !ok {
		return nil, fmt.Errorf("workload: unknown preset %s (want one of %s)", boxes.Quote(name), strings.Join(PresetNames(), ", "))
	}
	return p(seed), nil
}
