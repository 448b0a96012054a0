package sim

// Intervals are 95% confidence half-widths of a replicated result's means.
type Intervals struct {
	Cost, IdleCost, BoxHours                       float64
	Arrived, Served, Missed, TimedOut, Lost, Queued float64
	Late                                           float64
	BusyFraction, Utilization                      float64
	WaitMean, WaitP50, WaitP90, WaitP99, WaitP999  float64
	ResponseMean, ResponseP50, ResponseP90         float64
	ResponseP99, ResponseP999                      float64
	WaitProbability, MeanQueued, Value             float64
}
