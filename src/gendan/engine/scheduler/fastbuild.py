"""The compiled serial schedule builder: :func:`.sgs.build` on flat arrays, for large problems.

A schedule build of a large factory in Python spends almost all its time fitting operations into
calendars and machine gaps; the lead-time walks that improve such a factory rebuild it again and
again, so their quality is bounded by that speed. The numba kernel in :mod:`.sgs_kernel` builds the
same schedule (a test checks they agree operation by operation) an order of magnitude faster
(bench/builder.py). Like the tabu kernel it is compiled once per installation, in the background: until it
is ready, :func:`.sgs.build` keeps using the Python builder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .flat import FlatProblem, cached, csr, flatten
from .keys import Keys
from .threads import Loader

MIN_OPS = 500  # below this the Python builder is fast enough (and small problems never compile)


def serves(fp: FlatProblem) -> bool:
    """Whether the compiled builders build ``fp`` (a problem large enough, and they are loaded)."""
    return fp.n_ops >= MIN_OPS and ready()


@dataclass
class Packed:
    """A :class:`~.flat.FlatProblem` as the kernels' flat arrays, in the order of their parameters
    (built once per problem)."""

    base: np.ndarray  # earliest start from now and the job's release
    pptr: np.ndarray
    pidx: np.ndarray
    sptr: np.ndarray
    sidx: np.ndarray
    optr: np.ndarray  # modes of op o: optr[o] .. optr[o+1]
    m_wc: np.ndarray
    m_dur: np.ndarray
    m_people: np.ndarray
    split: np.ndarray
    fx_w: np.ndarray  # frozen: work centre (-1 if not frozen), machine, start, end, mode, people
    fx_m: np.ndarray
    fx_s: np.ndarray
    fx_e: np.ndarray
    fx_mi: np.ndarray
    fx_people: np.ndarray
    wc_m0: np.ndarray  # first global machine index of each centre (len nw + 1)
    wc_nm: np.ndarray
    head: np.ndarray  # headcount, -1 for none
    cal_lo: np.ndarray  # calendar intervals of centre w: ca/cb[cal_lo[w]:cal_hi[w]]
    cal_hi: np.ndarray
    cal_clo: np.ndarray  # and its cumulative work: cc[cal_clo[w]:cal_clo[w] + n + 1]
    ca: np.ndarray
    cb: np.ndarray
    cc: np.ndarray
    mcap: int  # most intervals one machine / one centre's crew can get
    ccap: int

    def args(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self))


def pack(fp: FlatProblem) -> Packed:
    return cached(fp, "_packed", _pack)


def _pack(fp: FlatProblem) -> Packed:
    n = fp.n_ops
    i64 = np.int64
    base = np.array([max(fp.now, fp.job_release[fp.op_job[o]]) for o in range(n)], i64)
    pptr, pidx = csr(fp.op_preds)
    sptr, sidx = csr(fp.op_succs)
    optr = np.zeros(n + 1, i64)
    m_wc, m_dur, m_people = [], [], []
    nw = len(fp.wc_ids)
    load = [0] * nw  # operations that may land on each centre
    fx = np.full((6, n), -1, i64)
    for o in range(n):
        modes = fp.op_modes[o]
        optr[o + 1] = optr[o] + len(modes)
        for md in modes:
            m_wc.append(md.wc)
            m_dur.append(md.duration)
            m_people.append(md.people)
        wcs = {md.wc for md in modes}
        f = fp.op_fixed[o]
        if f is not None:
            w, m, s, e = f
            wcs.add(w)
            mi = next((i for i, md in enumerate(modes) if md.wc == w), 0)
            fx[:, o] = (w, m, s, e, mi, modes[mi].people if modes[mi].wc == w else 1)
        for w in wcs:
            load[w] += 1
    wc_m0 = np.zeros(nw + 1, i64)
    for w in range(nw):
        wc_m0[w + 1] = wc_m0[w] + fp.wc_machines[w]
    ca: list[int] = []
    cb: list[int] = []
    cc: list[int] = []
    cal_lo, cal_hi, cal_clo = [], [], []
    seen: dict[int, tuple[int, int, int]] = {}
    for cal in fp.wc_cal:
        if id(cal) not in seen:  # centres share calendars: store each once
            seen[id(cal)] = (len(ca), len(ca) + len(cal.intervals), len(cc))
            ca.extend(a for a, _ in cal.intervals)
            cb.extend(b for _, b in cal.intervals)
            cc.extend(cal.cumulative_work)
        lo, hi, clo = seen[id(cal)]
        cal_lo.append(lo)
        cal_hi.append(hi)
        cal_clo.append(clo)
    return Packed(
        base, pptr, pidx, sptr, sidx, optr, np.array(m_wc, i64), np.array(m_dur, i64),
        np.array(m_people, i64), np.array(fp.op_split, np.bool_), fx[0], fx[1], fx[2], fx[3], fx[4], fx[5], wc_m0,
        np.array(fp.wc_machines, i64), np.array([-1 if h is None else h for h in fp.wc_headcount], i64),
        np.array(cal_lo, i64), np.array(cal_hi, i64), np.array(cal_clo, i64),
        np.array(ca or [0], i64), np.array(cb or [0], i64), np.array(cc or [0], i64),
        max(load, default=0) + 1, max(load, default=0) + 1,
    )  # fmt: skip


def ranks(key: Keys | list) -> tuple[np.ndarray, np.ndarray]:
    """(operation by rank, rank by operation) of a priority key; ties by operation, as the Python
    builder's heap of (key, op) breaks them (np.lexsort and sorted are stable)."""
    if isinstance(key, Keys):
        by_rank = key.order().astype(np.int64)
    else:
        by_rank = np.array(sorted(range(len(key)), key=key.__getitem__), np.int64)
    rank = np.empty(len(by_rank), np.int64)
    rank[by_rank] = np.arange(len(by_rank), dtype=np.int64)
    return by_rank, rank


def build(fp: FlatProblem, key: Keys | list, modes: list[int] | None = None) -> tuple[list[int], ...]:
    """The compiled :func:`.sgs.build` (the caller checks :func:`ready` first): start, end, mode, work
    centre and machine of every operation."""
    n = fp.n_ops
    by_rank, rank = ranks(key)
    forced = np.full(n, -1, np.int64) if modes is None else np.array(modes, np.int64)
    out = [np.zeros(n, np.int64) for _ in range(5)]
    bad = _kernels()[0](by_rank, rank, forced, *pack(fp).args(), *out)
    return _result(fp, bad, out)


def build_gt(fp: FlatProblem, key: Keys | list) -> tuple[list[int], ...]:
    """The compiled :func:`.sgs.build_gt` (without its deadline: this one takes milliseconds)."""
    _, rank = ranks(key)
    out = [np.zeros(fp.n_ops, np.int64) for _ in range(5)]
    bad = _kernels()[1](rank, *pack(fp).args(), *out)
    return _result(fp, bad, out)


def _result(fp: FlatProblem, bad: int, out: list[np.ndarray]) -> tuple[list[int], ...]:
    if bad >= 0:
        raise fp.err(bad, "cannot be placed before the end of its work centres' calendars; extend them")
    return tuple(a.tolist() for a in out)


def warm_up() -> None:
    """Load (or, the first time after installation, compile: a few seconds) the kernel, by building a
    one-operation schedule with a frozen operation and a crew (every path the types go through)."""
    from .model import Frozen, Job, Mode, Operation, Problem, WorkCentre

    wc = WorkCentre("w", headcount=1)
    ops = (
        Operation("a", (Mode("w", 1),), frozen=Frozen(0, "w")),
        Operation("b", (Mode("w", 1),), splittable=False),
    )
    fp = flatten(Problem((Job("j", ops),), (wc,)))
    build(fp, [0, 1])
    build_gt(fp, [0, 1])


def ready(*, wait: bool = False, up_to: float = 0.0) -> bool:
    """Whether the kernel is loaded. If not, ``wait`` loads it now; otherwise it is loaded in the
    background, and the caller waits for it ``up_to`` seconds at most before using the Python builder
    meanwhile. Loading it from numba's cache takes about a second, but beside a thread busy in Python
    the loading thread gets the GIL so rarely that it takes eight: a caller with work for it waits."""
    return _KERNEL.ready(wait=wait, up_to=up_to)


_KERNEL = Loader(warm_up, "builder-warm-up")


def _kernels() -> tuple[Callable[..., Any], Callable[..., Any]]:
    from . import sgs_kernel  # imports numba: on first use only

    return sgs_kernel.build, sgs_kernel.build_gt
