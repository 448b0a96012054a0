// Package queueing holds the closed forms and exact computations of
// queueing theory for the boxes-and-jobs model: what random arrivals do to
// a fleet of c identical boxes, and the fewest boxes that meet a target.
//
// The first article's boxes take a fixed Latency per job and have no queue: a
// job that finds every box busy is missed. Under random (Poisson) arrivals
// at JobRate λ, with offered load a = λ·Latency erlangs:
//
//   - no queue: P(miss) is Erlang B, B(c, a), for fixed and exponential
//     latency alike (ErlangB);
//   - an unbounded first-come-first-served queue, exponential latency: the
//     M/M/c queue, Erlang C (ErlangC), the mean wait C·L/(c − a)
//     (MMcMeanWait) and the tail C·exp(−(c − a)t/L) (MMcWaitOver); one box
//     is M/M/1 (MM1MeanWait);
//   - an unbounded queue, fixed latency (the articles'): the M/D/c queue,
//     computed exactly, not approximated: P(wait) and the mean wait from
//     Spitzer's identity as contour integrals (MDcWaitProbability,
//     MDcMeanWait), the tail P(W > t) from Crommelin's embedded chain
//     (MDcWaitOver); one box is the M/D/1 queue of Pollaczek–Khinchine
//     (MD1MeanWait);
//   - exponential latency and a deadline after which a waiting job leaves:
//     the M/M/c+D queue, whose timeout probability is MMcDTimeout.
//
// System ties these to the articles' words (Boxes, JobRate, Latency) and
// Smallest finds the fewest boxes for Targets. Every function is pure and
// safe for concurrent use; none overflows for fleets of 100,000 boxes or
// more (recursions, logarithms and transforms, no factorials).
//
// The headroom the first article calls "a hard question" follows: the
// utilization a fleet may run at for the same target rises with the load,
// because a large fleet's busy boxes vary by about √a around a, a smaller
// share of it.
package queueing
