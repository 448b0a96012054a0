# Reference fits of the Universal Scalability Law with SciPy, run offline:
#   cd usl/testdata && /usr/bin/python3 reference.py > reference.pyout   (SciPy 1.10.1, Debian bookworm python3-scipy)
# scipy.optimize.curve_fit with bounds lambda >= 0, 0 <= sigma <= 1, kappa >= 0 (method "trf",
# analytic Jacobian), standard errors sqrt(diag(pcov)), intervals estimate -/+ t(0.975, df) * se.
import numpy as np
from scipy.optimize import curve_fit
from scipy.stats import t as student_t

def usl(n, lam, sigma, kappa):
    return lam * n / (1 + sigma * (n - 1) + kappa * n * (n - 1))

def jac(n, lam, sigma, kappa):
    d = 1 + sigma * (n - 1) + kappa * n * (n - 1)
    return np.stack([n / d, -lam * n * (n - 1) / d**2, -lam * n**2 * (n - 1) / d**2], axis=1)

def fit(name, n, x):
    n, x = np.asarray(n, float), np.asarray(x, float)
    p, cov = curve_fit(usl, n, x, p0=[max(x / n), 0.01, 0.0001], jac=jac,
                       bounds=([0, 0, 0], [np.inf, 1, np.inf]), method="trf",
                       xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=100000)
    df = len(n) - 3
    se = np.sqrt(np.diag(cov))
    q = student_t.ppf(0.975, df)
    print("##", name)
    for k, v, s in zip(("lambda", "sigma", "kappa"), p, se):
        print(f"{k} {v:.10g} se {s:.10g} ci [{v - q * s:.10g}, {v + q * s:.10g}]")
    r = x - usl(n, *p)
    print(f"sse {np.sum(r**2):.12g} r.squared {1 - np.sum(r**2) / np.sum((x - x.mean())**2):.10g} t {q:.12g}")
    print()

fit("specsdm91", [1, 18, 36, 72, 108, 144, 216], [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2])
fit("raytracer", [1, 4, 8, 12, 16, 20, 24, 28, 32, 48, 64], [20, 78, 130, 170, 190, 200, 210, 230, 260, 280, 310])
b = np.loadtxt("bench32.csv", delimiter=",", comments="#", skiprows=2)
fit("bench32", b[:, 0], b[:, 1])
