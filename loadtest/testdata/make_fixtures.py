#!/usr/bin/env python3
"""Writes the Locust and k6 fixtures of loadtest's tests: neither tool is
packaged by Debian, so the tests read files written here in the exact
formats the tools document, for a closed loop against c = 4 slots of
L = 200 ms, whose throughput is X(N) = min(N, 4) / 0.2 s (the boxes model).

  Locust: https://docs.locust.io/en/stable/retrieving-stats.html
          (header: stats_history_csv_header in locust/stats.py)
  k6:     https://grafana.com/docs/k6/latest/results-output/real-time/csv/

Run: python3 make_fixtures.py  (deterministic: random.seed(1))
"""
import random

random.seed(1)
L, C = 0.2, 4
STEPS = [1, 2, 4, 8, 16]
T0 = 1767225600  # 2026-01-01 00:00:00 UTC


def requests(t_start, seconds, n):
    """Completions of a closed loop of n clients: (end time, response time)."""
    out = []
    for i in range(n):
        t = t_start
        while True:
            r = max(L, n * L / C) * random.uniform(0.97, 1.06)
            if t + r > t_start + seconds:
                break
            t += r
            out.append((t, r))
    return sorted(out)


def locust():
    pct = ["50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"]
    header = (["Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s"] + pct +
              ["Total Request Count", "Total Failure Count", "Total Median Response Time",
               "Total Average Response Time", "Total Min Response Time", "Total Max Response Time",
               "Total Average Content Size"])
    rows = [",".join('"%s"' % h for h in header)]
    done = []
    t = T0
    for n in STEPS:
        done += requests(t, 10, n)
        t += 10
    count, total = 0, 0.0
    users_at = lambda s: STEPS[min(int((s - T0 - 1) // 10), len(STEPS) - 1)] if s > T0 else 0
    i = 0
    for s in range(T0, T0 + 10 * len(STEPS) + 1):
        while i < len(done) and done[i][0] <= s:
            count += 1
            total += done[i][1]
            i += 1
        recent = [r for (e, r) in done if s - 10 < e <= s]
        rps = len(recent) / 10.0
        if count:
            avg = total / count * 1000
            p = sorted(r * 1000 for r in recent) or [avg]
            pv = [str(int(round(p[min(len(p) - 1, int(q * len(p)))]))) for q in
                  [.5, .66, .75, .8, .9, .95, .98, .99, .999, .9999, 1]]
            stats = [str(int(round(avg))), "%.14f" % avg, "%.0f" % (min(r for _, r in done[:i]) * 1000),
                     "%.0f" % (max(r for _, r in done[:i]) * 1000), "3.0"]
        else:
            pv = ["N/A"] * len(pct)
            stats = ["0", "0", "0", "0", "0"]
        users = users_at(s)
        name_row = [str(s), str(users), "GET", "/", "%.6f" % rps, "0.000000"] + pv + [str(count), "0"] + stats
        agg_row = [str(s), str(users), "", "Aggregated", "%.6f" % rps, "0.000000"] + pv + [str(count), "0"] + stats
        rows.append(",".join(name_row))
        rows.append(",".join(agg_row))
    with open("locust_stats_history.csv", "w") as f:
        f.write("\n".join(rows) + "\n")


def k6():
    header = ("metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,"
              "name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata")
    rows = []
    url = "http://127.0.0.1:8080/"
    t = T0
    for n in STEPS:
        for s in range(t, t + 6):
            rows.append((s, 0, "vus,%d,%d.000000,,,,,,,,,,,,,,,," % (s, n)))
            rows.append((s, 0, "vus_max,%d,16.000000,,,,,,,,,,,,,,,," % s))
        for (e, r) in requests(t, 6, n):
            s = int(e)
            base = "%d,%%s,,,,true,,GET,%s,HTTP/1.1,default,,200,,,%s,," % (s, url, url)
            rows.append((s, 1, "http_reqs," + base % "1.000000"))
            rows.append((s, 2, "http_req_duration," + base % ("%.6f" % (r * 1000))))
            rows.append((s, 3, "http_req_failed," + base % "0.000000"))
            rows.append((s, 4, "iterations,%d,1.000000,,,,,,,,,default,,,,,,," % s))
        t += 6
    rows.sort(key=lambda x: (x[0], x[1]))
    with open("k6.csv", "w") as f:
        f.write(header + "\n" + "\n".join(r for _, _, r in rows) + "\n")


locust()
k6()
