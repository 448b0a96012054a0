# Independent reference for TestScheduledCache: the schedule semantics of
# policy.Scheduled, evaluated with Python's zoneinfo on the local wall clock.
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
ny = ZoneInfo("America/New_York")
H = 3600
# (days as Python weekday numbers Mon=0..Sun=6 or None, from, to, capacity)
wins = [
    ({6}, 90*60, 150*60, 8),             # Sunday 01:30-02:30
    ({0,1,2,3,4}, 9*H, 17*H, 10),        # business hours
    ({4}, 22*H, 6*H, 3),                 # Friday night to Saturday 06:00
    ({5,6}, 0, 0, 2),                    # weekend, all day
]
def cap(local):
    wd = local.weekday()
    c = local.hour*H + local.minute*60 + local.second
    for days, f, t, n in wins:
        on = lambda d: d in days
        if f < t:
            if on(wd) and f <= c < t: return n
        else:
            if (on(wd) and c >= f) or (on((wd-1) % 7) and c < t): return n
    return 5
for start in [datetime(2024,3,1,7,30,tzinfo=ny), datetime(2024,10,25,23,59,59,tzinfo=ny)]:
    s = start.astimezone(timezone.utc)
    last = cap(start); changes = 0; at = 0
    while at < 21*24*H:
        v = cap((s + timedelta(seconds=at)).astimezone(ny))
        if v != last: changes += 1; last = v
        at += 61
    print(start, changes)
