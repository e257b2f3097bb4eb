"""GB/T 2828.1-2012 (ISO 2859-1) single sampling: Table 1, Tables 2-A/2-B/2-C, the switching rules.

The expected values are written out here independently of the module's tables (Table 1 by column,
the plans as a quality engineer reads them off the printed tables), so a slip in either shows."""

from decimal import Decimal

import pytest

from gendan.engine.sampling import (
    LEVELS,
    Severity,
    Switching,
    after_lot,
    code_letter,
    one_step_tighter_accept,
    plan,
    resume,
    switching_points,
)

# Table 1 read down each column: the letter for the 15 lot size ranges, 2-8 ... 500 001 and over.
RANGES = [
    (2, 8), (9, 15), (16, 25), (26, 50), (51, 90), (91, 150), (151, 280), (281, 500), (501, 1200),
    (1201, 3200), (3201, 10000), (10001, 35000), (35001, 150000), (150001, 500000), (500001, 10**7),
]  # fmt: skip
COLUMNS = {
    "S-1": "AAAABBBBCCCCDDD",
    "S-2": "AAABBBCCCDDDEEE",
    "S-3": "AABBCCDDEEFFGGH",
    "S-4": "AABCCDEEFGGHJJK",
    "I": "AABCCDEFGHJKLMN",
    "II": "ABCDEFGHJKLMNPQ",
    "III": "BCDEFGHJKLMNPQR",
}


@pytest.mark.parametrize("level", LEVELS)
def test_code_letters_at_both_ends_of_every_lot_size_range(level):
    got = [(code_letter(lo, level), code_letter(hi, level)) for lo, hi in RANGES]
    assert got == [(letter, letter) for letter in COLUMNS[level]]


def test_a_lot_of_one_unit_reads_in_the_first_range_and_is_inspected_whole():
    assert code_letter(1, "II") == "A"
    p = plan(1, "II", "6.5")
    assert (p.sample_size, p.accept, p.reject, p.hundred_percent) == (1, 0, 1, True)


def nar(p):
    """(plan letter, n, Ac, Re): what the engineer checks against the printed table."""
    return (p.plan_letter, p.sample_size, p.accept, p.reject)


# ---- Table 2-A, normal inspection --------------------------------------------------------------


def test_the_everyday_case_1000_units_level_ii():
    p = plan(1000, "II", 1.0)
    assert (p.code_letter, p.sample_size, p.accept, p.reject) == ("J", 80, 2, 3)
    assert p.severity is Severity.NORMAL and not p.hundred_percent
    # The rest of row J, where the engineer reads it: 0.65 ... 15.
    got = {aql: (plan(1000, "II", aql).accept, plan(1000, "II", aql).reject) for aql in
           ("0.15", "0.65", "1.5", "2.5", "4.0", "6.5", "10", "15")}  # fmt: skip
    assert got == {
        "0.15": (0, 1), "0.65": (1, 2), "1.5": (3, 4), "2.5": (5, 6), "4.0": (7, 8),
        "6.5": (10, 11), "10": (14, 15), "15": (21, 22),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("lot_size", "aql", "expected"),
    [
        # The zero-acceptance plans of the normal table: n x AQL stays near 0.13.
        (5, "6.5", ("A", 2, 0, 1)),
        (12, "4.0", ("B", 3, 0, 1)),
        (20, "2.5", ("C", 5, 0, 1)),
        (40, "1.5", ("D", 8, 0, 1)),
        (80, "1.0", ("E", 13, 0, 1)),
        (120, "0.65", ("F", 20, 0, 1)),
        (200, "0.40", ("G", 32, 0, 1)),
        (400, "0.25", ("H", 50, 0, 1)),
        (1000, "0.15", ("J", 80, 0, 1)),
        (2000, "0.10", ("K", 125, 0, 1)),
        (5000, "0.065", ("L", 200, 0, 1)),
        (20000, "0.040", ("M", 315, 0, 1)),
        (100000, "0.025", ("N", 500, 0, 1)),
        (200000, "0.015", ("P", 800, 0, 1)),
        (600000, "0.010", ("Q", 1250, 0, 1)),
        # Spot values across the table.
        (2000, "1.0", ("K", 125, 3, 4)),
        (2000, "10", ("K", 125, 21, 22)),
        (5000, "0.65", ("L", 200, 3, 4)),
        (5000, "6.5", ("L", 200, 21, 22)),
        (300, "2.5", ("H", 50, 3, 4)),
        (300, "4.0", ("H", 50, 5, 6)),
        (100, "2.5", ("F", 20, 1, 2)),
        (100, "4.0", ("F", 20, 2, 3)),
        (600000, "0.65", ("Q", 1250, 14, 15)),
        (600000, "1.0", ("Q", 1250, 21, 22)),
        # The top right corner: nonconformities per 100 units with small samples.
        (5, "1000", ("A", 2, 30, 31)),
        (12, "1000", ("B", 3, 44, 45)),
        (12, "650", ("B", 3, 30, 31)),
        (30, "250", ("D", 8, 30, 31)),
        (30, "400", ("D", 8, 44, 45)),
        (60, "250", ("E", 13, 44, 45)),
        (100, "65", ("F", 20, 21, 22)),
    ],
)
def test_normal_inspection_spot_values(lot_size, aql, expected):
    assert nar(plan(lot_size, "II", aql)) == expected


def test_arrows_are_followed_down_and_up_and_the_arrows_plan_sets_the_sample_size():
    # J at 0.25 is an arrow up: H's plan, 50 units, Ac 0.
    up = plan(1000, "II", "0.25")
    assert (up.code_letter, *nar(up)) == ("J", "H", 50, 0, 1)
    # J at 0.40 is an arrow down: K's plan, 125 units, Ac 1.
    down = plan(1000, "II", "0.40")
    assert (down.code_letter, *nar(down)) == ("J", "K", 125, 1, 2)
    # J at 0.10 points down to K's 0/1: 125 units.
    assert nar(plan(1000, "II", "0.10")) == ("K", 125, 0, 1)
    # Down over several rows: A at 0.65 goes to F (20 units).
    assert nar(plan(500, "S-1", "0.65")) == ("F", 20, 0, 1)
    # Up out of the top right: K at 15 goes to J's 21/22 (80 units), C at 1000 to B's 44/45.
    assert nar(plan(2000, "II", "15")) == ("J", 80, 21, 22)
    assert nar(plan(20, "II", "1000")) == ("B", 3, 44, 45)
    # F at 1.0 points up to E's 0/1 (13 units).
    assert nar(plan(120, "II", "1.0")) == ("E", 13, 0, 1)
    # Up over several arrows: M at 15 passes L and K to J's 21/22.
    assert nar(plan(20000, "II", "15")) == ("J", 80, 21, 22)


def test_a_small_lot_whose_sample_would_exceed_it_is_inspected_whole():
    # 10 units, level II: letter B; AQL 0.65 points down to F's 20 units: inspect all 10, Ac 0.
    p = plan(10, "II", "0.65")
    assert (p.code_letter, p.plan_letter, p.sample_size, p.accept, p.reject, p.hundred_percent) == (
        "B", "F", 10, 0, 1, True,
    )  # fmt: skip
    # Equal counts as well: 8 units, level III, letter B (3 units)... at 1.5, D's 8 units = the lot.
    q = plan(8, "III", "1.5")
    assert (q.sample_size, q.hundred_percent) == (8, True)
    assert not plan(9, "III", "1.5").hundred_percent  # letter C, 1.5 -> D's 8 units < 9


def test_aql_is_accepted_as_number_or_text_and_kept_on_the_plan():
    assert plan(1000, "II", 1).aql == plan(1000, "II", "1.0").aql == Decimal("1.0")
    assert nar(plan(1000, "II", 0.1)) == nar(plan(1000, "II", "0.10"))


# ---- Table 2-B, tightened ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lot_size", "aql", "expected"),
    [
        (1000, "1.0", ("J", 80, 1, 2)),
        (1000, "1.5", ("J", 80, 2, 3)),
        (1000, "2.5", ("J", 80, 3, 4)),
        (1000, "4.0", ("J", 80, 5, 6)),
        (1000, "6.5", ("J", 80, 8, 9)),
        (1000, "10", ("J", 80, 12, 13)),
        (1000, "15", ("J", 80, 18, 19)),
        (1000, "0.25", ("J", 80, 0, 1)),  # normal takes H (50 units) here; tightened keeps 80
        (2000, "1.0", ("K", 125, 2, 3)),
        (2000, "15", ("J", 80, 18, 19)),  # arrow up
        (1000, "0.65", ("K", 125, 1, 2)),  # arrow down
        (1000, "0.40", ("H", 50, 0, 1)),  # arrow up (Table 2-A moved one column right)
        (5, "1000", ("A", 2, 27, 28)),
        (12, "1000", ("B", 3, 41, 42)),
        (600000, "0.010", ("R", 2000, 0, 1)),
        (600000, "0.025", ("S", 3150, 1, 2)),  # the extra row S of Table 2-B
    ],
)
def test_tightened_inspection_spot_values(lot_size, aql, expected):
    p = plan(lot_size, "III" if lot_size == 600000 else "II", aql, "tightened")
    assert p.severity is Severity.TIGHTENED
    assert nar(p) == expected


# ---- Table 2-C, reduced ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lot_size", "aql", "expected"),
    [
        (1000, "1.0", ("J", 32, 1, 2)),
        (1000, "1.5", ("J", 32, 2, 3)),
        (1000, "2.5", ("J", 32, 3, 4)),
        (1000, "4.0", ("J", 32, 5, 6)),
        (1000, "6.5", ("J", 32, 6, 7)),
        (1000, "10", ("J", 32, 8, 9)),
        (1000, "15", ("J", 32, 10, 11)),
        (1000, "0.15", ("J", 32, 0, 1)),
        (1000, "0.25", ("H", 20, 0, 1)),  # arrow up
        (1000, "0.40", ("K", 50, 1, 2)),  # arrow down
        (1000, "0.65", ("J", 32, 1, 2)),
        (2000, "1.0", ("K", 50, 2, 3)),
        (5, "6.5", ("A", 2, 0, 1)),
        (5, "1000", ("A", 2, 14, 15)),
    ],
)
def test_reduced_inspection_spot_values(lot_size, aql, expected):
    p = plan(lot_size, "II", aql, Severity.REDUCED)
    assert p.severity is Severity.REDUCED
    assert nar(p) == expected


def test_the_three_severities_for_the_same_lot():
    got = [(p.sample_size, p.accept, p.reject) for p in (plan(1000, "II", "1.0", s) for s in Severity)]
    assert got == [(80, 2, 3), (80, 1, 2), (32, 1, 2)]


# ---- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1000, "IV", "1.0"), "unknown inspection level 'IV'"),
        ((1000, "s-1", "1.0"), "unknown inspection level 's-1'"),
        ((1000, "II", "0.3"), "AQL '0.3' is not a preferred value"),
        ((1000, "II", 2.0), "AQL 2.0 is not a preferred value"),
        ((1000, "II", "abc"), "AQL 'abc' is not a preferred value"),
        ((0, "II", "1.0"), "the lot size must be at least 1, not 0"),
        ((-5, "II", "1.0"), "the lot size must be at least 1, not -5"),
        ((10.5, "II", "1.0"), "whole number"),
        ((1000, "II", "1.0", "strict"), "unknown severity 'strict'"),
    ],
)
def test_clear_errors(args, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        plan(*args)


# ---- switching rules ---------------------------------------------------------------------------

J10 = plan(1000, "II", "1.0")  # 80 units, Ac 2 Re 3; one step tighter (0.65): Ac 1
J015 = plan(1000, "II", "0.15")  # 80 units, Ac 0 Re 1


def run(state, outcomes, **kw):
    for accepted in outcomes:
        state = after_lot(state, accepted, **kw)
    return state


def test_normal_to_tightened_when_two_of_five_consecutive_lots_are_not_accepted():
    s = run(Switching(), [True, False, True, True], sampling_plan=J015)
    assert s.severity is Severity.NORMAL and s.rejected_in_last_five == 1
    s = after_lot(s, False, sampling_plan=J015)  # the 2nd rejection within 5 lots
    assert s.severity is Severity.TIGHTENED
    assert (s.consecutive_accepted, s.tightened_not_accepted, s.score) == (0, 0, 0)


def test_two_rejections_six_lots_apart_do_not_tighten():
    s = run(Switching(), [False, True, True, True, True, False], sampling_plan=J015)
    assert s.severity is Severity.NORMAL
    assert s.recent == (True, True, True, True, False) and s.rejected_in_last_five == 1


def test_tightened_to_normal_after_five_consecutive_accepted_lots():
    s = Switching(severity=Severity.TIGHTENED)
    s = run(s, [True, True, True, True])
    assert s.severity is Severity.TIGHTENED and s.consecutive_accepted == 4
    s = after_lot(s, False)  # the run starts again
    s = run(s, [True, True, True, True])
    assert s.severity is Severity.TIGHTENED and s.consecutive_accepted == 4
    s = after_lot(s, True)
    assert s == Switching(severity=Severity.NORMAL)  # normal afresh: no history, score 0


def test_switching_score_points_for_single_sampling():
    # Ac 0 or 1: +2 if accepted, else reset.
    assert switching_points(True, J015, 0) == 2
    assert switching_points(False, J015, 1) is None
    # Ac 2 or more: +3 only if accepted at one AQL step tighter (here Ac 1); else reset.
    assert one_step_tighter_accept(J10) == 1
    assert switching_points(True, J10, 1) == 3
    assert switching_points(True, J10, 2) is None  # accepted, but not with Ac 1
    assert switching_points(False, J10, 3) is None
    with pytest.raises(ValueError, match="number of nonconforming"):
        switching_points(True, J10, None)


def test_normal_to_reduced_when_the_score_reaches_30_and_production_is_steady():
    s = run(Switching(), [True] * 9, sampling_plan=J10, nonconforming=1)
    assert (s.severity, s.score) == (Severity.NORMAL, 27)
    s = after_lot(s, True, sampling_plan=J10, nonconforming=0)
    assert s == Switching(severity=Severity.REDUCED)
    # With Ac 0 plans it takes 15 accepted lots at +2.
    s = run(Switching(), [True] * 14, sampling_plan=J015, nonconforming=0)
    assert (s.severity, s.score) == (Severity.NORMAL, 28)
    assert after_lot(s, True, sampling_plan=J015).severity is Severity.REDUCED


def test_a_lot_accepted_with_little_margin_resets_the_score():
    s = run(Switching(), [True] * 9, sampling_plan=J10, nonconforming=1)
    s = after_lot(s, True, sampling_plan=J10, nonconforming=2)
    assert (s.severity, s.score) == (Severity.NORMAL, 0)


def test_no_reduced_inspection_without_steady_production_or_the_authoritys_approval():
    s = run(Switching(), [True] * 10, sampling_plan=J10, nonconforming=0, production_steady=False)
    assert (s.severity, s.score) == (Severity.NORMAL, 30)
    s = after_lot(s, True, sampling_plan=J10, nonconforming=0, reduced_approved=False)
    assert (s.severity, s.score) == (Severity.NORMAL, 33)
    assert after_lot(s, True, sampling_plan=J10, nonconforming=0).severity is Severity.REDUCED


def test_reduced_to_normal_on_a_lot_not_accepted_or_irregular_production():
    reduced = Switching(severity=Severity.REDUCED)
    assert after_lot(reduced, True) == reduced
    assert after_lot(reduced, False) == Switching(severity=Severity.NORMAL)
    assert after_lot(reduced, True, production_steady=False) == Switching(severity=Severity.NORMAL)


def test_inspection_is_discontinued_when_five_lots_are_not_accepted_on_tightened():
    s = Switching(severity=Severity.TIGHTENED)
    s = run(s, [False, True, False, True, True, False, False])
    assert (s.tightened_not_accepted, s.discontinued) == (4, False)
    s = after_lot(s, False)
    assert (s.severity, s.tightened_not_accepted, s.discontinued) == (Severity.TIGHTENED, 5, True)
    with pytest.raises(ValueError, match="discontinued"):
        after_lot(s, True)
    assert resume(s) == Switching(severity=Severity.TIGHTENED)


def test_after_lot_is_pure():
    s = Switching()
    t = after_lot(s, False, sampling_plan=J015)
    assert s == Switching() and t is not s and t.recent == (False,)
    with pytest.raises(AttributeError):
        t.score = 5  # type: ignore[misc]


def test_normal_inspection_needs_the_plan_for_the_score():
    with pytest.raises(ValueError, match="sampling plan"):
        after_lot(Switching(), True)


def test_the_arrows_at_the_edges_of_the_tables():
    # Table 2-A, row A at 10 points up with nothing above: A's own 0/1 (at 6.5), 2 units.
    assert nar(plan(5, "II", "10")) == ("A", 2, 0, 1)
    # Row R at 0.010 and 0.015 points up: Q's 0/1 (1250 units), P's 0/1 (800 units).
    assert nar(plan(600000, "III", "0.010")) == ("Q", 1250, 0, 1)
    assert nar(plan(600000, "III", "0.015")) == ("P", 800, 0, 1)
    # Table 2-B: row R at 0.015 points up to Q's 0/1; at 0.025 down to row S (3150 units).
    assert nar(plan(600000, "III", "0.015", "tightened")) == ("Q", 1250, 0, 1)
    assert nar(plan(600000, "III", "0.025", "tightened")) == ("S", 3150, 1, 2)
    # Table 2-B, rows A and B at 10 point down (row A has no 0/1 plan): D's 1/2, 8 units.
    assert code_letter(50, "S-1") == "A" and code_letter(100, "S-1") == "B"
    assert nar(plan(50, "S-1", "10", "tightened")) == ("D", 8, 1, 2)
    assert nar(plan(100, "S-1", "10", "tightened")) == ("D", 8, 1, 2)
    # Table 2-C: row R at 0.015 points up to P's 0/1 (315 units); 0.025 is R's own 1/2.
    assert nar(plan(600000, "III", "0.015", "reduced")) == ("P", 315, 0, 1)
    assert nar(plan(600000, "III", "0.025", "reduced")) == ("R", 800, 1, 2)


def test_every_level_aql_and_severity_gives_a_plan_no_larger_than_the_lot():
    lots = [1, 2, 3, 8, 9, 50, 51, 1200, 1201, 500000, 500001, 2_000_000]
    for severity in Severity:
        for level in LEVELS:
            for aql in ("0.010", "0.10", "1.0", "10", "1000", "0.015", "0.65", "15", "65"):
                for lot in lots:
                    p = plan(lot, level, aql, severity)
                    assert p.reject == p.accept + 1
                    if p.hundred_percent:
                        assert p.sample_size == lot
                    else:
                        assert 2 <= p.sample_size < lot
