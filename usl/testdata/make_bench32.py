# Writes bench32.csv: 32 throughput measurements of a synthetic system with
# lambda = 100/s, sigma = 0.03, kappa = 0.0005, each multiplied by noise
# uniform in [0.95, 1.05] from a seeded generator, rounded to 0.1/s.
# Run: /usr/bin/python3 make_bench32.py > bench32.csv
import random
rng = random.Random(20250715)
print("# synthetic: lambda=100/s sigma=0.03 kappa=0.0005, 5% uniform noise (make_bench32.py)")
print("concurrency,throughput")
for i in range(32):
    n = 1 + 3 * i
    x = 100 * n / (1 + 0.03 * (n - 1) + 0.0005 * n * (n - 1))
    x *= rng.uniform(0.95, 1.05)
    print(f"{n},{x:.1f}")
