"""The plan checks (R-2.2): load per work centre per day, people per shift, kit check."""

import datetime as dt
from decimal import Decimal

from gendan.engine.kitcheck import Need, Supply, kit_check
from gendan.engine.loadcheck import Booking, Centre, load_by_day, people_by_shift
from gendan.engine.scheduler import Calendar

DAY = 1440
TODAY = dt.date(2026, 3, 2)  # a Monday


def day_shift() -> Calendar:
    return Calendar.from_shifts(TODAY, 14, [("08:00", "17:00")])


def test_load_counts_working_minutes_per_day_against_machines_times_the_calendar():
    centres = {"CNC": Centre(day_shift(), machines=2)}
    # 08:00 Monday to 12:00 Tuesday: 540 working minutes on Monday, 240 on Tuesday.
    own = Booking("CNC", 8 * 60, DAY + 12 * 60)
    loads = load_by_day([own], centres)
    assert [(d.day, d.own, d.capacity, d.overloaded) for d in loads] == [
        (0, 540, 1080, False),
        (1, 240, 1080, False),
    ]


def test_a_day_with_more_work_than_machines_can_do_is_overloaded():
    centres = {"CNC": Centre(day_shift(), machines=1)}
    bookings = [Booking("CNC", 8 * 60, 17 * 60), Booking("CNC", 8 * 60, 12 * 60, own=False)]
    (monday,) = load_by_day(bookings, centres)
    assert (monday.own, monday.other, monday.capacity) == (540, 240, 540)
    assert monday.overloaded and monday.percent == 144


def test_days_only_the_schedule_in_force_uses_are_not_reported():
    centres = {"CNC": Centre(day_shift())}
    loads = load_by_day([Booking("CNC", DAY + 480, DAY + 600, own=False)], centres)
    assert loads == []


def test_people_needed_at_once_in_a_shift_against_headcount():
    centres = {"ASM": Centre(day_shift(), machines=3, headcount=4)}
    bookings = [
        Booking("ASM", 480, 600, people=3),
        Booking("ASM", 540, 700, people=2, own=False),  # overlaps 09:00-10:00: 5 people
        Booking("ASM", DAY + 480, DAY + 600, people=2),
    ]
    shifts = people_by_shift(bookings, centres)
    assert [(s.start // DAY, s.needed, s.short) for s in shifts] == [(0, 5, True), (1, 2, False)]


def test_a_centre_without_headcount_is_not_checked():
    centres = {"ASM": Centre(day_shift())}
    assert people_by_shift([Booking("ASM", 480, 600, people=9)], centres) == []


def test_kit_check_serves_needs_in_date_order_from_stock_less_allocations():
    needs = [
        Need("steel", Decimal(30), TODAY + dt.timedelta(days=10), lead_time_days=7),
        Need("steel", Decimal(50), TODAY + dt.timedelta(days=3), lead_time_days=7),
    ]
    supplies = {"steel": Supply(on_hand=Decimal(100), allocated=Decimal(40))}
    late, early = kit_check(needs, supplies, TODAY)
    assert early.shortage == 0 and early.covered_on is None
    assert late.shortage == 20 and late.covered_on == TODAY + dt.timedelta(days=7)
    assert late.short and not late.late  # bought today it is there by day 7, needed on day 10


def test_a_shortage_the_lead_time_cannot_cover_in_time_is_late():
    (line,) = kit_check(
        [Need("glue", Decimal(5), TODAY + dt.timedelta(days=2), lead_time_days=14)], {}, TODAY
    )
    assert line.shortage == 5 and line.covered_on == TODAY + dt.timedelta(days=14) and line.late


def test_stock_on_order_covers_a_shortage_on_its_arrival_date():
    arrival = TODAY + dt.timedelta(days=4)
    needs = [
        Need("bolt", Decimal(10), TODAY + dt.timedelta(days=1), lead_time_days=20),
        Need("bolt", Decimal(10), TODAY + dt.timedelta(days=6), lead_time_days=20),
    ]
    supplies = {"bolt": Supply(on_order=Decimal(25), on_order_date=arrival)}
    first, second = kit_check(needs, supplies, TODAY)
    assert (first.shortage, first.covered_on) == (10, arrival)
    assert (second.shortage, second.covered_on) == (0, None)  # the order arrived before day 6


def test_each_arrival_covers_only_the_needs_on_or_after_its_date():
    day = lambda n: TODAY + dt.timedelta(days=n)  # noqa: E731
    needs = [Need("bolt", Decimal(10), day(5), lead_time_days=30), Need("bolt", Decimal(10), day(9))]
    supplies = {"bolt": Supply(arrivals=((day(8), Decimal(10)), (day(3), Decimal(4))))}
    first, second = kit_check(needs, supplies, TODAY)
    # Day 5: the 4 of day 3 are there, the other 6 only come with day 8's arrival (too late).
    assert (first.shortage, first.covered_on, first.late) == (6, day(8), True)
    assert first.on_order == 14
    # Day 9: what day 8 brought beyond the 6 is 4; 6 more must be bought (no lead time: today).
    assert (second.shortage, second.covered_on) == (6, TODAY)


def test_plans_in_force_come_first_on_what_is_on_order_when_stock_is_not_enough():
    arrival = TODAY + dt.timedelta(days=2)
    supplies = {"bolt": Supply(on_hand=Decimal(5), allocated=Decimal(15), arrivals=((arrival, Decimal(20)),))}
    (line,) = kit_check([Need("bolt", Decimal(12), TODAY + dt.timedelta(days=4), 20)], supplies, TODAY)
    # Others need 10 more than the 5 in stock: they take 10 of the 20 arriving; 10 are left for us.
    assert (line.shortage, line.covered_on) == (2, TODAY + dt.timedelta(days=20))
