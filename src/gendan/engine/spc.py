"""Quality records' arithmetic (R-4.2): Pareto, first-pass yield, control charts. Plain data in and
out, no Django.

- Pareto: counts per category, largest first, each with its share and the cumulative share of the
  total; categories beyond the first `top` are summed into one "other" bar, always drawn last (it
  is not a cause to work on, so it never takes a rank).
- First-pass yield (FPY) of a step: units good the first time / units started. The rolled
  throughput yield (RTY) of a route is the product of its steps' FPYs: the chance a unit passes
  every step without scrap or rework.
- X̄-R chart (subgroups of a constant size n, 2 ≤ n ≤ 10): each subgroup's mean X̄ᵢ and range Rᵢ;
  centre lines X̄̄ = mean of the X̄ᵢ and R̄ = mean of the Rᵢ; limits
      X̄ chart: UCL = X̄̄ + A2·R̄, LCL = X̄̄ − A2·R̄
      R chart:  UCL = D4·R̄,     LCL = D3·R̄
  with A2, D3, D4 from the standard table of control chart constants (ISO 7870-2 / GB/T 17989.2,
  the same as ASTM STP 15D and Montgomery's Appendix VI).
- Subgroups of measured values: one inspection's values of a characteristic (the rational
  subgroup: units of one lot, taken together), every subgroup cut to the size most inspections
  reached; or the values in time order cut into groups of n consecutive ones.
- Capability from the X̄-R chart: σ̂ = R̄ / d2 (within subgroups); Cp = (USL − LSL) / 6σ̂,
  Cpk = min(USL − X̄̄, X̄̄ − LSL) / 3σ̂ (below 1.33 a process is not capable by the usual rule).
- p chart (proportion nonconforming, sample sizes may differ): pᵢ = dᵢ / nᵢ; centre
  p̄ = Σdᵢ / Σnᵢ; limits per point UCLᵢ = p̄ + 3·√(p̄(1−p̄)/nᵢ), LCLᵢ = p̄ − 3·√(p̄(1−p̄)/nᵢ),
  the LCL clipped at 0 (and the UCL at 1): a proportion cannot leave [0, 1].
- Rules (Western Electric / Nelson): rule 1, a point beyond a control limit; rule 2, nine points
  in a row on the same side of the centre line (a point exactly on it ends the run). Every point
  of such a run is flagged, so a reader sees the whole run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

RUN_LENGTH = 9  # Nelson rule 2 (Western Electric's rule 4 uses 8; the standard ISO 7870-2 uses 9)


class SpcError(ValueError):
    """Data a chart cannot be drawn from (the message says why)."""


# Control chart constants for subgroups of size n (ISO 7870-2 table 2): A2, D3, D4 (and d2, the
# mean range of a standard normal sample of n, from which A2 = 3 / (d2·√n)).
CONSTANTS: dict[int, tuple[float, float, float, float]] = {
    #   A2     D3     D4     d2
    2: (1.880, 0.000, 3.267, 1.128),
    3: (1.023, 0.000, 2.574, 1.693),
    4: (0.729, 0.000, 2.282, 2.059),
    5: (0.577, 0.000, 2.114, 2.326),
    6: (0.483, 0.000, 2.004, 2.534),
    7: (0.419, 0.076, 1.924, 2.704),
    8: (0.373, 0.136, 1.864, 2.847),
    9: (0.337, 0.184, 1.816, 2.970),
    10: (0.308, 0.223, 1.777, 3.078),
}


# ---------------------------------------------------------------- Pareto


@dataclass(frozen=True)
class ParetoRow:
    category: str
    count: float  # a number of defects, or a quantity scrapped
    percent: float  # share of the total, 0–100
    cumulative: float  # this row and all before it, 0–100
    is_other: bool = False


def pareto(
    counts: Mapping[str, float] | Iterable[tuple[str, float]], *, top: int = 8, other: str = "other"
) -> list[ParetoRow]:
    """Rows largest first (ties by category), with percent = count / total × 100 and the running
    cumulative percent. Counts of the same category are added; zero counts are left out. With more
    than `top` categories, those after the first `top` become one row named `other`, last."""
    if top < 1:
        raise SpcError("top must be at least 1")
    totals: dict[str, float] = {}
    for category, count in counts.items() if isinstance(counts, Mapping) else counts:
        if count < 0:
            raise SpcError(f"negative count for {category!r}")
        totals[category] = totals.get(category, 0) + count
    ranked = sorted(((c, n) for c, n in totals.items() if n > 0), key=lambda cn: (-cn[1], cn[0]))
    total = sum(n for _c, n in ranked)
    if not total:
        return []
    bars: list[tuple[str, float, bool]] = [(c, n, False) for c, n in ranked[:top]]
    rest = sum(n for _c, n in ranked[top:])
    if rest:
        bars.append((other, rest, True))
    rows: list[ParetoRow] = []
    running = 0.0
    for category, count, is_other in bars:
        running += count
        rows.append(
            ParetoRow(
                category=category,
                count=count,
                percent=100 * count / total,
                cumulative=100 * running / total,
                is_other=is_other,
            )
        )
    return rows


# ---------------------------------------------------------------- yield


@dataclass(frozen=True)
class YieldRow:
    key: str
    started: float
    good: float  # good the first time
    fpy: float | None  # good / started, 0–1; None when nothing was started


def first_pass_yield(started: float, good: float) -> float | None:
    """Units good the first time / units started, in [0, 1]; None when nothing was started (no
    yield is not a yield of 0)."""
    started, good = float(started), float(good)
    if started <= 0:
        return None
    if good < 0:
        raise SpcError("good units cannot be negative")
    return min(good / started, 1.0)


def yields(groups: Iterable[tuple[str, float, float]]) -> list[YieldRow]:
    """(key, started, good) per group (a work centre, a week, an operation) → FPY per group, in the
    order given; the same key twice is added up."""
    totals: dict[str, list[float]] = {}
    for key, started, good in groups:
        pair = totals.setdefault(key, [0.0, 0.0])
        pair[0] += float(started)
        pair[1] += float(good)
    return [YieldRow(k, s, g, first_pass_yield(s, g)) for k, (s, g) in totals.items()]


def rolled_throughput_yield(step_yields: Iterable[float | None]) -> float | None:
    """RTY = FPY₁ × FPY₂ × … of the steps of one route; steps without a yield are left out; None
    when no step has one."""
    known = [y for y in step_yields if y is not None]
    if not known:
        return None
    return math.prod(known)


# ---------------------------------------------------------------- control charts


@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: float
    ucl: float
    lcl: float
    beyond: bool = False  # rule 1
    run: bool = False  # rule 2
    size: int | None = None  # the subgroup's size (n, or a p chart's sample)

    @property
    def out_of_control(self) -> bool:
        return self.beyond or self.run


@dataclass(frozen=True)
class ControlChart:
    kind: str  # "xbar", "r" or "p"
    centre: float
    points: tuple[ChartPoint, ...]

    @property
    def ucl(self) -> float:
        """The upper limit (the widest one when limits differ per point)."""
        return max(p.ucl for p in self.points)

    @property
    def lcl(self) -> float:
        return min(p.lcl for p in self.points)

    @property
    def signals(self) -> list[ChartPoint]:
        return [p for p in self.points if p.out_of_control]


def rule_beyond_limits(values: Sequence[float], ucl: Sequence[float], lcl: Sequence[float]) -> list[bool]:
    """Rule 1: value > UCL or value < LCL (a point on a limit is inside)."""
    return [v > u or v < lo for v, u, lo in zip(values, ucl, lcl, strict=True)]


def rule_run(values: Sequence[float], centre: float, *, length: int = RUN_LENGTH) -> list[bool]:
    """Rule 2: `length` or more points in a row strictly on one side of the centre line; every
    point of such a run is flagged."""
    flags = [False] * len(values)
    start, side = 0, 0
    for i, value in enumerate([*values, centre]):  # the sentinel closes the last run
        here = (value > centre) - (value < centre)
        if here != side or here == 0:
            if side and i - start >= length:
                flags[start:i] = [True] * (i - start)
            start, side = i, here
    return flags


def _chart(kind: str, centre: float, labels, values, ucls, lcls, sizes) -> ControlChart:
    beyond = rule_beyond_limits(values, ucls, lcls)
    run = rule_run(values, centre)
    points = tuple(
        ChartPoint(label=lb, value=v, ucl=u, lcl=lo, beyond=b, run=r, size=n)
        for lb, v, u, lo, b, r, n in zip(labels, values, ucls, lcls, beyond, run, sizes, strict=True)
    )
    return ControlChart(kind=kind, centre=centre, points=points)


def xbar_r(subgroups: Sequence[tuple[str, Sequence[float]]]) -> tuple[ControlChart, ControlChart]:
    """(label, measured values) per subgroup, oldest first → (X̄ chart, R chart). Every subgroup has
    the same size n, 2 ≤ n ≤ 10, and there are at least two subgroups."""
    if len(subgroups) < 2:
        raise SpcError("at least two subgroups are needed")
    sizes = {len(values) for _label, values in subgroups}
    if len(sizes) != 1:
        raise SpcError("every subgroup must have the same size")
    n = sizes.pop()
    if n not in CONSTANTS:
        raise SpcError("a subgroup has 2 to 10 measurements")
    a2, d3, d4, _d2 = CONSTANTS[n]
    labels = [label for label, _values in subgroups]
    means = [math.fsum(float(v) for v in values) / n for _label, values in subgroups]
    ranges = [float(max(values)) - float(min(values)) for _label, values in subgroups]
    grand = math.fsum(means) / len(means)
    rbar = math.fsum(ranges) / len(ranges)
    k = len(subgroups)
    xbar = _chart("xbar", grand, labels, means, [grand + a2 * rbar] * k, [grand - a2 * rbar] * k, [n] * k)
    r = _chart("r", rbar, labels, ranges, [d4 * rbar] * k, [d3 * rbar] * k, [n] * k)
    return xbar, r


def p_chart(subgroups: Sequence[tuple[str, int, int]]) -> ControlChart:
    """(label, nonconforming d, inspected n) per subgroup, oldest first → the p chart, limits per
    point from its own n. Subgroups with n = 0 are left out (nothing inspected: no point)."""
    kept = []
    for label, defective, inspected in subgroups:
        if inspected < 0 or defective < 0:
            raise SpcError(f"negative count in {label!r}")
        if defective > inspected:
            raise SpcError(f"more nonconforming than inspected in {label!r}")
        if inspected:
            kept.append((label, int(defective), int(inspected)))
    if not kept:
        raise SpcError("nothing was inspected")
    pbar = sum(d for _l, d, _n in kept) / sum(n for _l, _d, n in kept)
    sigmas = [math.sqrt(pbar * (1 - pbar) / n) for _l, _d, n in kept]
    return _chart(
        "p",
        pbar,
        [label for label, _d, _n in kept],
        [d / n for _l, d, n in kept],
        [min(1.0, pbar + 3 * s) for s in sigmas],
        [max(0.0, pbar - 3 * s) for s in sigmas],
        [n for _l, _d, n in kept],
    )


# ---------------------------------------------------------------- subgroups and capability


MAX_SUBGROUP = max(CONSTANTS)


@dataclass(frozen=True)
class Subgroups:
    n: int  # values per subgroup
    groups: tuple[tuple[str, tuple[float, ...]], ...]  # (label, its n values), oldest first
    left_out: int = 0  # inspections with fewer than n values


def by_inspection(inspections: Sequence[tuple[str, Sequence[float]]]) -> Subgroups:
    """(label, values in unit order) per inspection, oldest first → subgroups of the size most
    inspections reached (at most 10): an inspection with more values gives its first n, one with
    fewer is left out (and counted). n is 0 when no inspection has two values."""
    sizes = [min(len(values), MAX_SUBGROUP) for _label, values in inspections if len(values) >= 2]
    if not sizes:
        return Subgroups(0, (), len(inspections))
    # The most frequent size; of two as frequent, the larger (more values, a better estimate of R).
    n = max(set(sizes), key=lambda size: (sizes.count(size), size))
    groups = tuple(
        (label, tuple(float(v) for v in values[:n])) for label, values in inspections if len(values) >= n
    )
    return Subgroups(n, groups, len(inspections) - len(groups))


def consecutive(values: Sequence[tuple[str, float]], n: int) -> Subgroups:
    """(label, value) in time order → groups of n consecutive values, each labelled by its last
    value's label; the oldest values that do not fill a group are left out, so the newest value
    is always charted."""
    if n not in CONSTANTS:
        raise SpcError("a subgroup has 2 to 10 measurements")
    skip = len(values) % n
    kept = values[skip:]
    groups = tuple(
        (kept[i + n - 1][0], tuple(float(v) for _label, v in kept[i : i + n])) for i in range(0, len(kept), n)
    )
    return Subgroups(n, groups, 0)


@dataclass(frozen=True)
class Capability:
    sigma: float  # σ̂ = R̄ / d2
    cp: float | None
    cpk: float | None


def capability(grand_mean: float, rbar: float, n: int, lsl: float, usl: float) -> Capability:
    """Cp and Cpk of a process in control, σ estimated within subgroups (R̄ / d2). None when every
    subgroup's range is 0 (a gauge too coarse to see the variation: no estimate)."""
    if n not in CONSTANTS:
        raise SpcError("a subgroup has 2 to 10 measurements")
    if usl <= lsl:
        raise SpcError("the upper specification limit must be above the lower one")
    sigma = rbar / CONSTANTS[n][3]
    if sigma <= 0:
        return Capability(sigma, None, None)
    return Capability(sigma, (usl - lsl) / (6 * sigma), min(usl - grand_mean, grand_mean - lsl) / (3 * sigma))
