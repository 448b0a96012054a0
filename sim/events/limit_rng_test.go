package events

import "github.com/boxes-project/boxes/sim/internal/rng"

// The limit loop's random numbers: the events engine's arrival stream.

func newLimitRNG(seed uint64) rng.Rand { return rng.New(seed, 0x6a09e667f3bcc908) }

func fillGaps(r *rng.Rand, g []float64) { r.FillExp(g) }
