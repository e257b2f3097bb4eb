from gendan.core import periodic


class _FakeTask:
    def __init__(self):
        self.enqueued = 0

    def enqueue(self):
        self.enqueued += 1


def test_a_daily_job_runs_at_the_first_tick_even_on_a_machine_booted_minutes_ago(monkeypatch):
    # time.monotonic() counts from boot: a daily job must not wait for a day of uptime first.
    monkeypatch.setattr(periodic, "_JOBS", [])
    daily = _FakeTask()
    periodic.register_periodic(daily, every_seconds=24 * 3600)
    assert periodic.run_due(now=120.0) == 1
    assert periodic.run_due(now=3600.0) == 0  # not again within the day
    assert periodic.run_due(now=120.0 + 24 * 3600) == 1
    assert daily.enqueued == 2
