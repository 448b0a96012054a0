#!/usr/bin/env python3
"""Reference values for the M/D/c queue, computed independently of the Go code.

Two methods that share no code or formula with queueing/mdc.go:

  spitzer: the series P(W=0) = exp(-sum_n P(A_n >= n c)/n) and
           E[Y] = sum_n E[(A_n - n c)^+]/n with A_n ~ Poisson(n a), summed term
           by term with mpmath at 40 digits (regularized incomplete gamma for
           the Poisson tails) until the terms fall below 1e-30 of the sum.
  chain:   the embedded chain Q' = max(Q - c, 0) + Poisson(a), written for the
           queue Y = max(Q - c, 0) as Lindley's recursion, iterated from an
           empty queue on a truncated support at 40 digits until the
           distribution stops changing; then Crommelin's
           P(W > kD + uD) = P(Y + Poisson(a(1-u)) >= (k+1)c).

Run:  python3 queueing/testdata/mdc_reference.py [chain | chainfloat]
"""
import sys

import mpmath as mp

mp.mp.dps = 40


def poisson_tail(mu, k):
    """P(N >= k) for N ~ Poisson(mu)."""
    if k <= 0:
        return mp.mpf(1)
    return mp.gammainc(k, 0, mu, regularized=True, maxterms=10**7)


def spitzer(c, a):
    c = mp.mpf(c)
    a = mp.mpf(a)
    s0 = mp.mpf(0)
    ey = mp.mpf(0)
    n = 1
    while True:
        mu = n * a
        k = n * c
        tail = poisson_tail(mu, k)  # P(A_n >= nc)
        pk = mp.exp(-mu + k * mp.log(mu) - mp.loggamma(k + 1))
        excess = (mu - k) * tail + k * pk  # E[(A_n - nc)^+]
        s0 += tail / n
        ey += excess / n
        if tail / n < mp.mpf(10) ** -30 * s0 and n > 3:
            break
        n += 1
        if n > 200000:
            raise RuntimeError("series too slow")
    pwait = 1 - mp.exp(-s0)
    mean_wait_D = ey / a  # E[W]/D = E[Y]/(lambda D)
    return pwait, mean_wait_D


def chain(c, a, xs, support=None):
    """Queue distribution by Lindley iteration; returns P(W>0), E[W]/D, tails."""
    a = mp.mpf(a)
    if support is None:
        support = 400
    # Poisson(a) pmf up to support + c
    K = support + c + 1
    pa = [mp.exp(-a)]
    for j in range(1, K + 1):
        pa.append(pa[-1] * a / j)
    y = [mp.mpf(0)] * (support + 1)
    y[0] = mp.mpf(1)
    for it in range(100000):
        new = [mp.mpf(0)] * (support + 1)
        # N = Y + A, then Y' = max(N - c, 0)
        for i, pi in enumerate(y):
            if pi < mp.mpf(10) ** -60:
                continue
            for j in range(0, K + 1 - i):
                n = i + j
                t = max(n - c, 0)
                if t <= support:
                    new[t] += pi * pa[j]
        diff = max(abs(new[i] - y[i]) for i in range(support + 1))
        y = new
        if diff < mp.mpf(10) ** -32:
            break
    out = []
    # P(W=0) = P(Y + A_a <= c-1)
    def tail(m, theta):
        ptheta = [mp.exp(-theta)]
        for j in range(1, m + 1):
            ptheta.append(ptheta[-1] * theta / j)
        cdf = mp.mpf(0)
        for i in range(0, min(m, support + 1)):
            s = mp.fsum(ptheta[: m - i])
            cdf += y[i] * s
        return 1 - cdf
    pw = tail(c, a)
    ey = mp.fsum(i * y[i] for i in range(support + 1))
    for x in xs:
        k = int(mp.floor(x))
        u = mp.mpf(x) - k
        out.append(tail((k + 1) * c, a * (1 - u)))
    return pw, ey / a, out, sum(y)


def chain_float(c, a, xs, support):
    """The same chain in double precision, for fleets too large for mpmath.

    Iterates until no probability moves by 1e-15 in a step; the distance
    left to the fixed point is then below 1e-15/(1 - e^{-c h(rho)}).
    """
    import math
    K = support + c + 1
    pa = [math.exp(-a)]
    for j in range(1, K + 1):
        pa.append(pa[-1] * a / j)
    cdf = []
    acc = 0.0
    for p in pa:
        acc += p
        cdf.append(acc)
    y = [0.0] * (support + 1)
    y[0] = 1.0
    for it in range(200000):
        new = [0.0] * (support + 1)
        for i, pi in enumerate(y):
            if pi < 1e-300:
                continue
            # Y' = 0 when A <= c - i
            if c - i >= 0:
                new[0] += pi * cdf[min(c - i, K)]
            for t in range(max(1, i - c), support + 1):
                j = t + c - i
                if j > K:
                    break
                new[t] += pi * pa[j]
        diff = max(abs(new[i] - y[i]) for i in range(support + 1))
        y = new
        if diff < 1e-15:
            break
    def tail(m, theta):
        pt = [math.exp(-theta)]
        for j in range(1, m + 1):
            pt.append(pt[-1] * theta / j)
        ct = []
        acc = 0.0
        for p in pt:
            acc += p
            ct.append(acc)
        tot = 0.0
        for i in range(0, min(m, support + 1)):
            tot += y[i] * ct[m - 1 - i]
        return 1 - tot
    return [tail(c, a)] + [tail((int(x) + 1) * c, a * (1 - (x - int(x)))) for x in xs], sum(y)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "chainfloat":
        xs = [0.1, 0.25, 0.5, 1]
        print("# chainfloat: c, a, [P(W>0), P(W > x D) for x in", xs, "], mass")
        for c, a, sup in [(20, 18, 400), (50, 45, 500), (100, 95, 700)]:
            tails, mass = chain_float(c, a, xs, sup)
            print(c, a, ["%.12e" % t for t in tails], mass)
        sys.exit(0)
    print("# spitzer: c, a, P(W>0), E[W]/D")
    import sys
    cases = [(1, 0.5), (1, 0.9), (2, 1), (2, 1.8), (3, 2.7), (5, 4), (10, 8), (10, 9.5),
             (20, 10), (50, 45), (100, 95), (100, 99), (1000, 950), (1000, 990),
             (10000, 9900), (100000, 99000), (100000, 99700)]
    if len(sys.argv) > 1 and sys.argv[1] == "chain":
        cases = []
    for c, a in cases:
        pw, mw = spitzer(c, a)
        print(f"{c}, {a}, {mp.nstr(pw, 15)}, {mp.nstr(mw, 15)}")
    print("# chain: c, a, P(W>0), E[W]/D, [P(W > x D) for x in xs], mass")
    xs = [0.25, 0.5, 1, 1.5, 2, 3]
    for c, a, sup in [(1, 0.5, 150), (1, 0.8, 250), (2, 1, 120), (2, 1.6, 200), (3, 2.4, 200), (5, 4, 200)]:
        pw, mw, tails, mass = chain(c, a, xs, sup)
        print(c, a, mp.nstr(pw, 15), mp.nstr(mw, 15), [mp.nstr(t, 12) for t in tails], mp.nstr(mass, 5))
