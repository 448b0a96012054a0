# A closed loop for boxes' tests: users that GET / with no think time,
# stepped by a LoadTestShape through BOXES_LOCUST_STEPS, a list of
# users:seconds (like "1:6,2:6,4:8"), then stopped. Locust writes one row of
# its _stats_history.csv a second with the running User Count, so each step
# is a window of constant concurrency.
import os

import locust.stats
from locust import HttpUser, LoadTestShape, constant, task

# Locust 2.12 flushes its CSV files every 10 s and never closes them, so
# the rows of a test's last seconds are lost at exit: flush every row.
locust.stats.CSV_STATS_FLUSH_INTERVAL_SEC = 0


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
