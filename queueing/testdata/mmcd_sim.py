#!/usr/bin/env python3
"""Monte Carlo check of the M/M/c+D timeout probability (MMcDTimeout).

Jobs arrive as a Poisson stream at rate a (mean latency 1), take exponential
time with mean 1, and are served first come first served by c boxes; a job
whose start would come more than d after its arrival leaves at once, taking
no box time. Because jobs are placed in arrival order, each job takes the box
that frees first, and leaves if that is too late.

Run: python3 queueing/testdata/mmcd_sim.py   (Python's random, seed 1)
"""
import heapq
import random


def simulate(c, a, d, n, seed=1):
    rng = random.Random(seed)
    free = [0.0] * c  # times the boxes free up
    t = 0.0
    timeouts = 0
    waited = 0
    for _ in range(n):
        t += rng.expovariate(a)
        f = heapq.heappop(free)
        if f - t > d:
            timeouts += 1
            heapq.heappush(free, f)
            continue
        start = max(t, f)
        if start > t:
            waited += 1
        heapq.heappush(free, start + rng.expovariate(1.0))
    return timeouts / n, waited / n


if __name__ == "__main__":
    n = 4_000_000
    for c, a, d in [(1, 0.8, 1.0), (3, 2.5, 0.5), (10, 11.0, 0.2), (20, 18.0, 0.05)]:
        p, w = simulate(c, a, d, n)
        # standard error of a proportion, for the test's tolerance
        se = (p * (1 - p) / n) ** 0.5
        print(f"{{{c}, {a}, {d}, {p:.6f}, {se:.1e}}}, // P(wait) {w:.4f}")
