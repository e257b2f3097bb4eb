import datetime as dt

from gendan.engine.scheduler import Calendar

MON = dt.date(2026, 11, 23)  # a Monday


def two_shifts(**kw):
    return Calendar.from_shifts(MON, 14, [("06:00", "14:00"), ("14:00", "22:00")], **kw)


def test_from_shifts_two_shifts_weekdays_only():
    cal = two_shifts()
    assert cal.intervals[0] == (360, 1320)
    assert len(cal.intervals) == 10  # 2 weeks x 5 days, the two shifts merge
    assert cal.total_work == 10 * 16 * 60


def test_breaks_holidays_overtime_and_night_shift():
    cal = Calendar.from_shifts(
        MON,
        7,
        [("22:00", "06:00")],
        breaks=[("02:00", "02:30")],
        holidays=[MON + dt.timedelta(days=2)],
        overtime={MON + dt.timedelta(days=5): [("08:00", "12:00")]},
    )
    # Monday night runs into Tuesday with a break at 02:00
    assert cal.intervals[0] == (22 * 60, 26 * 60)
    assert cal.intervals[1] == (26 * 60 + 30, 30 * 60)
    # Wednesday is a holiday: no shift starts that day
    assert not cal.is_working(2 * 1440 + 23 * 60)
    # Saturday overtime morning
    assert cal.is_working(5 * 1440 + 9 * 60)


def test_fit_splittable_and_not():
    cal = two_shifts(holidays=[MON + dt.timedelta(days=1)])
    # 60 min from 21:30 Monday: 30 min Monday, holiday Tuesday, 30 min Wednesday 06:00
    s, e = cal.fit(21 * 60 + 30, 60, splittable=True)
    assert (s, e) == (21 * 60 + 30, 2 * 1440 + 6 * 60 + 30)
    assert cal.work_between(s, e) == 60
    # the same operation not splittable waits for Wednesday's shift
    assert cal.fit(21 * 60 + 30, 60, splittable=False) == (2 * 1440 + 360, 2 * 1440 + 420)
    # before any work: starts at the first working minute
    assert cal.fit(0, 10) == (360, 370)
    # beyond the calendar
    assert cal.fit(0, 10**7) is None


def test_continuous_and_work_index():
    cal = Calendar.continuous()
    assert cal.fit(5, 7) == (5, 12)
    c2 = Calendar.from_intervals([(10, 20), (30, 40)])
    assert c2.work_before(35) == 15
    assert c2.time_of_work(15) == 35
    assert c2.next_working(20) == 30
