"""GB/T 2828.1-2012 (ISO 2859-1:1999) single sampling by attributes, for incoming inspection.

Pure Python on plain data. Three questions, as a quality engineer asks them:

- `code_letter(lot_size, level)`: Table 1, the sample size code letter of a lot.
- `plan(lot_size, level, aql, severity)`: Tables 2-A/2-B/2-C, the sample size n and the acceptance
  and rejection numbers Ac/Re, following the tables' arrows as the standard says (the notes under
  each table): an arrow sends you down or up the AQL's column to the first sampling plan
  below or above it, and that plan gives *both* the sample size and Ac/Re. When the sample size is
  at least the lot size, every unit is inspected (n = N, same Ac/Re).
- `after_lot(state, accepted, ...)`: the switching rules of clause 9 (Figure 1) as a pure state
  machine: normal, tightened, reduced, and the discontinuation of inspection.

The master tables are entered below as the standard prints them: one row per code letter, one
column per preferred AQL, each cell "Ac/Re", "v" (use the first plan below the arrow) or "^" (use
the first plan above). Reading them row by row against a printed copy is the way to check them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum

LEVELS: tuple[str, ...] = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")

# The preferred AQL values (in percent nonconforming, or nonconformities per 100 units above 10),
# the columns of Tables 2-A, 2-B and 2-C. Any other value is not an AQL of the standard.
AQLS: tuple[Decimal, ...] = tuple(
    Decimal(v)
    for v in (
        "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65", "1.0",
        "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65", "100", "150", "250", "400", "650",
        "1000",
    )
)  # fmt: skip


class Severity(StrEnum):
    """The severity of inspection (3.1.x of the standard: normal, tightened, reduced)."""

    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


# ---------------------------------------------------------------------------------------------
# Table 1 — Sample size code letters. One row per lot size range: its upper bound and the letters
# for S-1, S-2, S-3, S-4, I, II, III. The standard's first range is 2 to 8; a lot of 1 unit is read
# in it too (its plan is then 100 % inspection of that unit).
# ---------------------------------------------------------------------------------------------
_TABLE_1: tuple[tuple[int | None, str], ...] = (
    #  up to    S1 S2 S3 S4 I II III
    (8,        "AAAAAAB"),
    (15,       "AAAAABC"),
    (25,       "AABBBCD"),
    (50,       "ABBCCDE"),
    (90,       "BBCCCEF"),
    (150,      "BBCDDFG"),
    (280,      "BCDEEGH"),
    (500,      "BCDEFHJ"),
    (1200,     "CCEFGJK"),
    (3200,     "CDEGHKL"),
    (10000,    "CDFGJLM"),
    (35000,    "CDFHKMN"),
    (150000,   "DEGJLNP"),
    (500000,   "DEGJMPQ"),
    (None,     "DEHKNQR"),  # 500 001 and over
)  # fmt: skip

# Sample size per code letter. Tightened inspection uses the normal sizes, plus S (3150): Table 2-B
# has one more row, S, whose only plan is the target of the arrows leaving row R. Reduced inspection
# (Table 2-C) samples fewer units: the size two letters earlier, never below 2.
_NORMAL_SIZES: dict[str, int] = {
    "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50,
    "J": 80, "K": 125, "L": 200, "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000,
}  # fmt: skip
_TIGHTENED_SIZES: dict[str, int] = {**_NORMAL_SIZES, "S": 3150}
_REDUCED_SIZES: dict[str, int] = {
    "A": 2, "B": 2, "C": 2, "D": 3, "E": 5, "F": 8, "G": 13, "H": 20,
    "J": 32, "K": 50, "L": 80, "M": 125, "N": 200, "P": 315, "Q": 500, "R": 800,
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Table 2-A — Single sampling plans for normal inspection (master table). Each plan sits on a
# diagonal (one step down a row and one step left a column keep n x AQL about the same), so a row
# is the row above shifted by one column: a misplaced cell shows as a break in the pattern.
# ---------------------------------------------------------------------------------------------
# fmt: off
_TABLE_2A: dict[str, str] = {
#                0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5   4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
    "A": "    v     v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31",
    "B": "    v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45",
    "C": "    v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ^",
    "D": "    v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ^     ^",
    "E": "    v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ^     ^     ^",
    "F": "    v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^",
    "G": "    v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^",
    "H": "    v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^",
    "J": "    v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "K": "    v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "L": "    v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "M": "    v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "N": "    v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "P": "    v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "Q": "  0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "R": "    ^     ^   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
}
# fmt: on

# ---------------------------------------------------------------------------------------------
# Table 2-B — Single sampling plans for tightened inspection (master table): Table 2-A moved one
# AQL column to the right (8/9, 12/13, 18/19, 27/28, 41/42 in place of 7/8 ... 44/45). At the top
# edge row A has no 0/1 plan and rows A and B point down where the pattern would point up; row S
# (3150) has one plan, the target of the arrow down from row R at 0.025.
# ---------------------------------------------------------------------------------------------
# fmt: off
_TABLE_2B: dict[str, str] = {
#                0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5   4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
    "A": "    v     v     v     v     v     v     v     v     v     v     v     v     v     v     v     v     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28",
    "B": "    v     v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42",
    "C": "    v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ^",
    "D": "    v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ^     ^",
    "E": "    v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ^     ^     ^",
    "F": "    v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^",
    "G": "    v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^",
    "H": "    v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^",
    "J": "    v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "K": "    v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "L": "    v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "M": "    v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "N": "    v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "P": "    v     v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "Q": "    v   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "R": "  0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "S": "    .     .   1/2     .     .     .     .     .     .     .     .     .     .     .     .     .     .     .     .     .     .     .     .     .     .     .",
}
# fmt: on

# ---------------------------------------------------------------------------------------------
# Table 2-C — Single sampling plans for reduced inspection (master table), as in the 1999 edition
# of ISO 2859-1 that GB/T 2828.1-2012 follows: Re = Ac + 1 everywhere (the 1989 edition's gap
# between Ac and Re, and its "accept but return to normal" rule, are gone). Of the three tables
# this one was entered with the least outside checking: read it against a printed copy first,
# above all rows A to C (all three sample 2 units) and the diagonal where 1/2 appears twice.
#
# NOT VERIFIED, so NOT IN USE (incoming inspection never switches to reduced: quality/services.py
# passes reduced_approved=False and reads a stored "reduced" as normal). A search of public sources
# (2026-11) found no printed copy of Table 2-C. Z1.4's Table II-C is not the same table: its 1993
# and 2008 editions keep Re > Ac + 1 on reduced inspection (0/2, 1/3, 1/4, 2/5 ...). The one
# independent transcription of the 1999 layout found (a quality app's lookup table: acceptance
# numbers only, AQL 0.010 to 6.5) agrees with the rows below in every cell but one diagonal: the
# left one of the two 1/2 cells of each row is an arrow there (row J at AQL 0.65 points down to
# K: 50 units at 1/2, where this table gives J's 32 units at 1/2; rows D to R alike). One source,
# disagreeing in one diagonal, is not two that agree.
# ---------------------------------------------------------------------------------------------
# fmt: off
_TABLE_2C: dict[str, str] = {
#                0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5   4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
    "A": "    v     v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15",
    "B": "    v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22",
    "C": "    v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^",
    "D": "    v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^     ^",
    "E": "    v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^     ^     ^",
    "F": "    v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^",
    "G": "    v     v     v     v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^",
    "H": "    v     v     v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^",
    "J": "    v     v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "K": "    v     v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "L": "    v     v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "M": "    v     v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "N": "    v     v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "P": "    v   0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "Q": "  0/1     ^     v   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
    "R": "    ^     ^   1/2   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^",
}
# fmt: on

Cell = tuple[int, int] | str | None  # (Ac, Re), "v", "^", or None where the table has no cell


def _parse(table: dict[str, str]) -> dict[str, tuple[Cell, ...]]:
    """Turn the printed rows into cells, and refuse a row of the wrong width (a slip of the pen)."""
    rows: dict[str, tuple[Cell, ...]] = {}
    for letter, text in table.items():
        cells: list[Cell] = []
        for token in text.split():
            if token in ("v", "^"):
                cells.append(token)
            elif token == ".":
                cells.append(None)
            else:
                ac, re = (int(x) for x in token.split("/"))
                if re != ac + 1:  # single sampling in the 1999 edition: always Re = Ac + 1
                    raise ValueError(f"row {letter}: {token} is not a single sampling plan")
                cells.append((ac, re))
        if len(cells) != len(AQLS):
            raise ValueError(f"row {letter} has {len(cells)} cells, not {len(AQLS)}")
        rows[letter] = tuple(cells)
    return rows


@dataclass(frozen=True)
class _Master:
    sizes: dict[str, int]
    rows: dict[str, tuple[Cell, ...]]

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(self.rows)


_MASTERS: dict[Severity, _Master] = {
    Severity.NORMAL: _Master(_NORMAL_SIZES, _parse(_TABLE_2A)),
    Severity.TIGHTENED: _Master(_TIGHTENED_SIZES, _parse(_TABLE_2B)),
    Severity.REDUCED: _Master(_REDUCED_SIZES, _parse(_TABLE_2C)),
}


@dataclass(frozen=True)
class SamplingPlan:
    """What to inspect and how to decide: take `sample_size` units; accept the lot with at most
    `accept` nonconforming units (or nonconformities), do not accept it with `reject` or more.

    `code_letter` is the lot's letter from Table 1; `plan_letter` is the row whose plan is used,
    another one when an arrow was followed (it is what fixes the sample size). When the sample would
    be the whole lot or more, `hundred_percent` is set and `sample_size` is the lot size."""

    code_letter: str
    sample_size: int
    accept: int
    reject: int
    severity: Severity
    plan_letter: str
    aql: Decimal
    hundred_percent: bool = False


def code_letter(lot_size: int, level: str) -> str:
    """Table 1: the sample size code letter of a lot of `lot_size` units at inspection `level`."""
    _check_lot_size(lot_size)
    column = _level_index(level)
    for upper, letters in _TABLE_1:
        if upper is None or lot_size <= upper:
            return letters[column]
    raise AssertionError("Table 1 ends with an open range")  # pragma: no cover


def plan(
    lot_size: int, level: str, aql: float | int | str | Decimal, severity: Severity | str = Severity.NORMAL
) -> SamplingPlan:
    """The single sampling plan for a lot: Table 1 gives the code letter, the master table of the
    severity gives the plan in that letter's row and the AQL's column, following an arrow there."""
    _check_lot_size(lot_size)
    letter = code_letter(lot_size, level)
    column = aql_index(aql)
    try:
        sev = Severity(severity)
    except ValueError:
        raise ValueError(
            f"unknown severity {severity!r}: expected one of {', '.join(s.value for s in Severity)}"
        ) from None
    master = _MASTERS[sev]
    plan_letter, (ac, re) = _follow(master, letter, column)
    n = master.sizes[plan_letter]
    # The notes under Tables 2-A to 2-C: if the sample size equals or exceeds the lot size, carry
    # out 100 % inspection. Ac/Re stay those of the plan.
    whole = n >= lot_size
    return SamplingPlan(
        code_letter=letter,
        sample_size=lot_size if whole else n,
        accept=ac,
        reject=re,
        severity=sev,
        plan_letter=plan_letter,
        aql=AQLS[column],
        hundred_percent=whole,
    )


def one_step_tighter_accept(sampling_plan: SamplingPlan) -> int | None:
    """The acceptance number the same sample would have had at the next tighter AQL on normal
    inspection, for the switching score (9.3.3): the cell to the left in the plan's row of Table 2-A.
    None when there is no such plan (an arrow, or no tighter AQL): that only happens for Ac 0 or 1,
    which the switching score does not ask about."""
    column = AQLS.index(sampling_plan.aql)
    if column == 0:
        return None
    cell = _MASTERS[Severity.NORMAL].rows[sampling_plan.plan_letter][column - 1]
    return cell[0] if isinstance(cell, tuple) else None


def aql_index(aql: float | int | str | Decimal) -> int:
    """The column of a preferred AQL value; a ValueError names the accepted values otherwise."""
    try:
        value = Decimal(str(aql))
    except (InvalidOperation, ValueError):
        value = None
    if value is not None and value in AQLS:  # Decimal("1") == Decimal("1.0"): 1, 1.0, "1.0" all match
        return AQLS.index(value)
    raise ValueError(
        f"AQL {aql!r} is not a preferred value of GB/T 2828.1 (ISO 2859-1): "
        f"use one of {', '.join(str(a) for a in AQLS)}"
    )


def _check_lot_size(lot_size: int) -> None:
    if isinstance(lot_size, bool) or not isinstance(lot_size, int):
        raise ValueError(f"the lot size must be a whole number of units, not {lot_size!r}")
    if lot_size < 1:
        raise ValueError(f"the lot size must be at least 1, not {lot_size}")


def _level_index(level: str) -> int:
    if level not in LEVELS:
        raise ValueError(f"unknown inspection level {level!r}: expected one of {', '.join(LEVELS)}")
    return LEVELS.index(level)


def _follow(master: _Master, letter: str, column: int) -> tuple[str, tuple[int, int]]:
    """From the code letter's cell, follow the arrow to the first sampling plan below (v) or above
    (^) it in the same column, passing over further arrows: the notes under Tables 2-A to 2-C.

    One printed cell points off the table: row A at AQL 10 of Table 2-A points up, with no row
    above. There we take the nearest plan of row A to its left (a tighter AQL, so a plan at least
    as strict, with the smallest sample there is): A's 0/1. The code does the same for any such
    cell (to the right in the last row for an arrow down), so a slip in the data cannot loop."""
    letters = master.letters
    row = letters.index(letter)
    cell = master.rows[letter][column]
    if isinstance(cell, tuple):
        return letter, cell
    step = 1 if cell == "v" else -1  # "^" (a blank cell is only in row S, which Table 1 never gives)
    r = row + step
    while 0 <= r < len(letters):
        found = master.rows[letters[r]][column]
        if isinstance(found, tuple):
            return letters[r], found
        r += step
    edge = letters[0] if step < 0 else letters[-1]
    cells = master.rows[edge]
    scan = range(column - 1, -1, -1) if step < 0 else range(column + 1, len(AQLS))
    for c in scan:
        found = cells[c]
        if isinstance(found, tuple):
            return edge, found
    raise AssertionError(f"no plan for row {letter}, column {AQLS[column]}")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# Switching rules (clause 9, Figure 1 of GB/T 2828.1-2012 / ISO 2859-1:1999).
# ---------------------------------------------------------------------------------------------

SCORE_TO_REDUCE = 30  # 9.3.3 a): the switching score must reach 30
LOTS_TO_RETURN = 5  # 9.3.2: five consecutive lots accepted on tightened inspection
NOT_ACCEPTED_TO_STOP = 5  # 9.4: five lots not accepted while on tightened inspection


@dataclass(frozen=True)
class Switching:
    """Where a supplier's product stands in the switching scheme. Immutable: `after_lot` returns
    the next state. A new scheme starts on normal inspection (9.2) with a switching score of 0.

    - `recent`: acceptance of the last lots (at most five) on original normal inspection, oldest first.
    - `score`: the switching score (9.3.3), counted on normal inspection only.
    - `consecutive_accepted`: lots accepted in a row on tightened inspection (9.3.2).
    - `tightened_not_accepted`: lots not accepted since tightened inspection began (9.4).
    - `discontinued`: inspection under the standard is stopped until the supplier has acted (9.4).
    """

    severity: Severity = Severity.NORMAL
    recent: tuple[bool, ...] = ()
    score: int = 0
    consecutive_accepted: int = 0
    tightened_not_accepted: int = 0
    discontinued: bool = False

    @property
    def rejected_in_last_five(self) -> int:
        return sum(1 for accepted in self.recent if not accepted)


def switching_points(accepted: bool, sampling_plan: SamplingPlan, nonconforming: int | None) -> int | None:
    """The switching score's change after a lot on original normal inspection (9.3.3, single
    sampling): points to add, or None to reset the score to zero.

    - Ac 0 or 1: add 2 if the lot is accepted; otherwise reset.
    - Ac 2 or more: add 3 if the lot would have been accepted had the AQL been one step tighter
      (its nonconforming count is within that plan's Ac); otherwise reset. This asks for the count,
      not just the verdict: a lot accepted with little margin earns nothing and resets the score.
    """
    if sampling_plan.accept <= 1:
        return 2 if accepted else None
    if not accepted:
        return None
    if nonconforming is None:
        raise ValueError("with Ac 2 or more the switching score needs the number of nonconforming items")
    tighter = one_step_tighter_accept(sampling_plan)
    if tighter is None:  # pragma: no cover - Ac >= 2 always has a plan to its left in Table 2-A
        raise ValueError(f"no one-step-tighter plan for {sampling_plan}")
    return 3 if nonconforming <= tighter else None


def after_lot(
    state: Switching,
    accepted: bool,
    *,
    sampling_plan: SamplingPlan | None = None,
    nonconforming: int | None = None,
    production_steady: bool = True,
    reduced_approved: bool = True,
) -> Switching:
    """The state after one more lot on original inspection (not a resubmitted lot).

    `sampling_plan` (the plan the lot was judged by) and, when its Ac is 2 or more, `nonconforming`
    are needed on normal inspection for the switching score. `production_steady` and
    `reduced_approved` are the other two conditions of 9.3.3 (steady production; the responsible
    authority approves reduced inspection); an unsteady production also ends reduced inspection.
    """
    if state.discontinued:
        # 9.4: no lot is accepted under the standard while inspection is discontinued.
        raise ValueError("inspection is discontinued (9.4): resume it on tightened inspection first")

    if state.severity is Severity.NORMAL:
        recent = (*state.recent, accepted)[-5:]
        # 9.3.1 Normal to tightened: 2 lots out of 5 or fewer consecutive lots are not accepted on
        # original inspection.
        if sum(1 for a in recent if not a) >= 2:
            return Switching(severity=Severity.TIGHTENED)
        if sampling_plan is None:
            raise ValueError("on normal inspection the switching score needs the lot's sampling plan")
        # 9.3.3 The switching score, updated after every lot on original normal inspection.
        points = switching_points(accepted, sampling_plan, nonconforming)
        score = 0 if points is None else state.score + points
        # 9.3.3 Normal to reduced: score at least 30, production at a steady rate, and reduced
        # inspection considered desirable by the responsible authority. All three, at once.
        if score >= SCORE_TO_REDUCE and production_steady and reduced_approved:
            return Switching(severity=Severity.REDUCED)
        return replace(state, recent=recent, score=score)

    if state.severity is Severity.TIGHTENED:
        if accepted:
            run = state.consecutive_accepted + 1
            # 9.3.2 Tightened to normal: 5 consecutive lots accepted on original inspection. Normal
            # inspection starts afresh: empty history, switching score 0 (9.3.3).
            if run >= LOTS_TO_RETURN:
                return Switching(severity=Severity.NORMAL)
            return replace(state, consecutive_accepted=run)
        not_accepted = state.tightened_not_accepted + 1
        # 9.4 Discontinuation: the cumulative number of lots not accepted in a sequence of
        # consecutive lots on original tightened inspection reaches 5.
        return replace(
            state,
            consecutive_accepted=0,
            tightened_not_accepted=not_accepted,
            discontinued=not_accepted >= NOT_ACCEPTED_TO_STOP,
        )

    # Reduced inspection. 9.3.4 Reduced to normal: a lot is not accepted, or production becomes
    # irregular or delayed (or other conditions warrant it: the caller says so through
    # production_steady=False).
    if not accepted or not production_steady:
        return Switching(severity=Severity.NORMAL)
    return state


def resume(state: Switching) -> Switching:
    """9.4: after the supplier has acted to improve quality and the responsible authority agrees,
    inspection resumes, on tightened inspection, with fresh counts."""
    if not state.discontinued:
        raise ValueError("inspection is not discontinued")
    return Switching(severity=Severity.TIGHTENED)
