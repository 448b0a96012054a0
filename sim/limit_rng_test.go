package sim

// The limit loop's random numbers: the events engine's arrival stream.

func newLimitRNG(seed uint64) pcgRand { return newPCGRand(seed, 0x6a09e667f3bcc908) }

func fillGaps(r *pcgRand, g []float64) { r.fillExp(g) }
