package measure

import (
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// schedule is an open loop's start times as offsets from its start: the
// i-th job is due at at(i). It is safe for concurrent use.
type schedule struct {
	mu      sync.Mutex
	rate    float64
	poisson bool
	rng     *rand.Rand
	times   []time.Duration // the offsets drawn so far
}

func newSchedule(rate float64, a Arrivals) *schedule {
	s := &schedule{rate: rate, poisson: a.Kind != "uniform"}
	if s.poisson {
		s.rng = rand.New(rand.NewPCG(a.Seed, 0x6d6561737572650a))
	}
	return s
}

// at is when the i-th job (from 0) is due. Uniform: i/rate. Poisson: the sum
// of i+1 exponential gaps of mean 1/rate.
func (s *schedule) at(i uint64) time.Duration {
	if !s.poisson {
		return time.Duration(float64(i) / s.rate * 1e9)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for uint64(len(s.times)) <= i {
		last := time.Duration(0)
		if n := len(s.times); n > 0 {
			last = s.times[n-1]
		}
		gap := s.rng.ExpFloat64() / s.rate * 1e9
		s.times = append(s.times, last+time.Duration(math.Min(gap, 1e18)))
	}
	return s.times[i]
}
