# A closed loop for boxes' tests: users that GET / with no think time,
# stepped by a LoadTestShape through BOXES_LOCUST_STEPS, a list of
# users:seconds (like "1:6,2:6,4:8"), then stopped. Locust writes one row of
# its _stats_history.csv a second with the running User Count, so each step
# is a window of constant concurrency.
import math
import os
import time

import gevent
import locust.stats
from locust import HttpUser, LoadTestShape, constant, task

# Locust 2.12 flushes its CSV files every 10 s and never closes them, so
# the rows of a test's last seconds are lost at exit: flush every row.
locust.stats.CSV_STATS_FLUSH_INTERVAL_SEC = 0


class _HalfSecond:
    """locust.stats' gevent, whose CSV writer's sleep of a second wakes
    half-way through the next second.

    The writer stamps each row with int(time.time()) and then sleeps a
    second, so its rows drift by its own time each (20ms on a loaded
    machine) and, every 50 rows or so, two rows a second apart are
    stamped two seconds apart: a 6-second step, 3 seconds once its edges
    are dropped, would then show a third less throughput than it had.
    Woken at x.5 s, each row's stamp is its second and rows are a second
    apart."""

    def __getattr__(self, name):
        return getattr(gevent, name)

    @staticmethod
    def sleep(seconds=0, *args, **kwargs):
        if seconds == locust.stats.CSV_STATS_INTERVAL_SEC == 1:
            # The next second's x.5, even when this one's is still ahead:
            # a row of this second is written.
            now = time.time()
            seconds = math.floor(now) + 1.5 - now
        return gevent.sleep(seconds, *args, **kwargs)


locust.stats.gevent = _HalfSecond()


class Client(HttpUser):
    wait_time = constant(0)

    @task
    def get(self):
        self.client.get("/")


class Steps(LoadTestShape):
    steps = [tuple(float(v) for v in s.split(":")) for s in os.environ["BOXES_LOCUST_STEPS"].split(",")]

    def tick(self):
        t = self.get_run_time()
        for users, seconds in self.steps:
            if t < seconds:
                # Spawn the step's new users within a tenth of a second or so.
                return (int(users), 100)
            t -= seconds
        return None
