"""Tabu search on machine sequences (the N5 neighbourhood of Nowicki and Smutnicki) for makespan and
for total weighted tardiness.

For a job-shop-like problem (every operation on one single-machine work centre, no calendar gaps in
model coordinates, no frozen work) the best known short-time method is not a MIP/CP search but a
local search on the disjunctive graph: find a critical path, split it into blocks of operations that
follow each other on one machine, and swap the first two or the last two operations of a block. Such
a swap never creates a cycle, and its effect on the makespan can be estimated in constant time from
heads and tails. CP-SAT's generic large-neighbourhood search cannot do ten thousands of these moves
a second; this kernel, compiled with numba, does several hundred thousand.

For weighted tardiness the moves are the swaps of every pair of operations adjacent on one machine
along the critical path of every late job, each evaluated exactly (heads recomputed, a few
microseconds on a hundred operations), as in the tardiness local searches of the literature
(Kuhpfahl and Bierwirth).

The engine runs it after a short CP-SAT full search (which proves small problems optimal and gives
a bound), on the work-centre choices of the best solution so far. One independent search runs per
worker thread (numba releases the GIL), each with its own seed. The kernel works on plain integer
arrays; the functions around it turn a :class:`~.cpsat.MSol` into sequences and back.

numba is imported lazily and the kernel is compiled once per installation (a few seconds; numba's
cache then loads it in a fraction of a second). Until it is loaded in a process the engine goes on
without it, see :func:`ready`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

TABU_SLOTS = 64
MAKESPAN, TARDINESS = 0, 1
# state vector layout (int64)
IT, BEST, NOIMP, CUR, TPTR, DONE, BASE, MAXNOIMP, KIND, FLEX = range(10)
CHUNK = 2000  # iterations per kernel call between clock checks


@dataclass
class Arrays:
    """A job-shop view of the problem in model coordinates (local indices 0..n-1)."""

    ops: list[int]  # local -> global operation index
    kind: int  # MAKESPAN | TARDINESS
    p: np.ndarray
    lb: np.ndarray
    pptr: np.ndarray
    pidx: np.ndarray
    sptr: np.ndarray
    sidx: np.ndarray
    mp: np.ndarray  # machine predecessor (-1: first)
    ms: np.ndarray  # machine successor (-1: last)
    jptr: np.ndarray  # tardiness: the last operations of job j are jsink[jptr[j]:jptr[j+1]]
    jsink: np.ndarray
    due: np.ndarray
    weight: np.ndarray
    base_tenure: int
    # alternatives: operation i may run as alternative k in aptr[i]:aptr[i+1] (work centre am[k],
    # duration ad[k]); cur[i] is the one of the start (global index into am/ad)
    aptr: np.ndarray
    am: np.ndarray
    ad: np.ndarray
    cur: np.ndarray

    @property
    def flexible(self) -> bool:
        return bool((np.diff(self.aptr) > 1).any())


def applicable(cp, builder) -> bool:
    """Job-shop-like in model coordinates: single machines, exact coordinates, nothing frozen, and no
    operation that must fit inside one working period (that needs the calendar, which the graph lacks).
    """
    if builder.objective == "makespan":
        pass
    elif builder.wip_var is not None or not any(t is not None for t in builder.tard):
        return False
    if not builder.coords.exact or len(builder.free) < 2:
        return False
    if any(fx is not None for fx in cp.op_fixed):
        return False
    continuous = len(builder.coords.ref.intervals) == 1
    for o in builder.free:
        if not continuous and not cp.op_split[o]:
            return False
        for md in cp.op_modes[o]:
            if cp.wc_machines[md.wc] != 1:
                return False
            head = cp.wc_headcount[md.wc]
            if head is not None and head < md.people:
                return False
    return True


def arrays_from(cp, builder, ms) -> Arrays:
    """Sequences of the solution ``ms`` (its work centres fixed) as linked lists per machine."""
    ops = list(builder.free)
    loc = {o: i for i, o in enumerate(ops)}
    n = len(ops)
    p = np.zeros(n, np.int64)
    lb = np.zeros(n, np.int64)
    mach = [0] * n
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for i, o in enumerate(ops):
        mode = ms.mode[o]
        p[i] = builder.size[o][mode]
        lb[i] = builder.lb[o]
        mach[i] = cp.op_modes[o][mode].wc
        for q in cp.op_preds[o]:
            if q in loc:
                preds[i].append(loc[q])
                succs[loc[q]].append(i)
    pptr, pidx = _csr(preds)
    sptr, sidx = _csr(succs)
    mp = np.full(n, -1, np.int64)
    msu = np.full(n, -1, np.int64)
    by_machine: dict[int, list[int]] = {}
    for i in range(n):
        by_machine.setdefault(mach[i], []).append(i)
    for seq in by_machine.values():
        seq.sort(key=lambda i: (ms.start[ops[i]], ms.end[ops[i]], ops[i]))
        for a, b in zip(seq, seq[1:], strict=False):
            msu[a] = b
            mp[b] = a
    sinks: list[list[int]] = []
    due: list[int] = []
    weight: list[int] = []
    kind = MAKESPAN if builder.objective == "makespan" else TARDINESS
    if kind == TARDINESS:
        for j, t in enumerate(builder.tard):
            if t is not None:
                sinks.append([loc[o] for o in cp.job_sinks[j] if o in loc])
                due.append(builder.coords.t(cp.job_due[j]))
                weight.append(cp.job_weight[j])
    jptr, jsink = _csr(sinks)
    jobs = len({cp.op_job[o] for o in ops})
    base = 10 + jobs // max(1, len(by_machine))
    aptr, am = _csr([[md.wc for md in cp.op_modes[o]] for o in ops])
    _, ad = _csr([[builder.size[o][k] for k in range(len(cp.op_modes[o]))] for o in ops])
    cur = np.array([aptr[i] + ms.mode[o] for i, o in enumerate(ops)], np.int64)
    return Arrays(
        ops, kind, p, lb, pptr, pidx, sptr, sidx, mp, msu, jptr, jsink,
        np.array(due or [0], np.int64), np.array(weight or [0], np.int64), base, aptr, am, ad, cur,
    )  # fmt: skip


def _csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(lists) + 1, np.int64)
    for i, xs in enumerate(lists):
        ptr[i + 1] = ptr[i] + len(xs)
    idx = np.array([x for xs in lists for x in xs], dtype=np.int64) if ptr[-1] else np.zeros(1, np.int64)
    return ptr, idx


def search(
    a: Arrays, deadline: float, workers: int, seed: int, max_iterations: int | None = None
) -> tuple[int, np.ndarray, list[int], bool] | None:
    """Run ``workers`` independent searches until ``deadline`` (or ``max_iterations`` each, for the
    deterministic mode). Returns (objective, start per local operation, mode per local operation,
    proven optimal) of the best, or None when the sequences given are not acyclic."""
    kernel, _ = _kernels()
    results: list[tuple[int, np.ndarray, list[int], bool] | None] = [None] * max(1, workers)
    n = len(a.p)
    n_jobs = len(a.jptr) - 1
    flexible = a.flexible

    def run(k: int) -> None:
        mp, ms, p, cur = a.mp.copy(), a.ms.copy(), a.p.copy(), a.cur.copy()
        bmp, bms, bp, bcur = mp.copy(), ms.copy(), p.copy(), cur.copy()
        st = np.zeros(10, np.int64)
        st[BASE] = a.base_tenure
        st[KIND] = a.kind
        st[FLEX] = flexible
        # restart from the best after this many non-improving moves (measured on Taillard 15x15 and
        # 20x20: 200 n clearly better than 20 n; without restarts slightly worse)
        # (tardiness, JSPTWT 10x10: 1,000 n better than 200 n)
        st[MAXNOIMP] = max(10_000, (200 if a.kind == MAKESPAN else 1000) * n)
        rng = np.array([np.uint64(0x9E3779B97F4A7C15 ^ (seed * 7919 + k * 104729 + 1))], dtype=np.uint64)
        work = np.zeros(10 * n + 2 * len(a.am) + 3 * TABU_SLOTS + n_jobs + 8, np.int64)
        done = 0
        g = (p, a.lb, a.pptr, a.pidx, a.sptr, a.sidx, a.jptr, a.jsink, a.due, a.weight)
        alt = (a.aptr, a.am, a.ad)
        while True:
            chunk = CHUNK if max_iterations is None else min(CHUNK, max_iterations - done)
            if chunk <= 0:
                break
            kernel(g, alt, mp, ms, cur, bmp, bms, bp, bcur, st, rng, work, chunk)
            done += chunk
            if st[DONE] or (max_iterations is None and time.monotonic() >= deadline):
                break
        if st[DONE] < 0:
            return
        starts = _starts(a, bp, bmp, bms)
        if starts is not None:
            modes = [int(bcur[i] - a.aptr[i]) for i in range(n)]
            results[k] = (int(st[BEST]), starts, modes, bool(st[DONE] == 1))

    if workers <= 1:
        run(0)
    else:
        threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    found = [r for r in results if r is not None]
    return min(found, key=lambda r: r[0]) if found else None


def _starts(a: Arrays, p: np.ndarray, mp: np.ndarray, ms: np.ndarray) -> np.ndarray | None:
    heads = _kernels()[1]
    n = len(p)
    r = np.zeros(n, np.int64)
    q = np.zeros(n, np.int64)
    order = np.zeros(n, np.int64)
    indeg = np.zeros(n, np.int64)
    cmax = heads(p, a.lb, a.pptr, a.pidx, a.sptr, a.sidx, mp, ms, r, q, order, indeg, False)
    return None if cmax < 0 else r


def warm_up() -> None:
    """Load (or, the first time after installation, compile: a few seconds) the kernel."""
    one = np.zeros(1, np.int64)
    a = Arrays(
        [0, 1], MAKESPAN, np.ones(2, np.int64), np.zeros(2, np.int64), np.zeros(3, np.int64), one,
        np.zeros(3, np.int64), one, np.array([-1, 0]), np.array([1, -1]), np.zeros(1, np.int64), one,
        one, one, 10, np.array([0, 1, 2]), np.zeros(2, np.int64), np.ones(2, np.int64), np.array([0, 1]),
    )  # fmt: skip
    search(a, 0.0, 1, 0, 1)
    _READY.set()


def ready(wait: bool = False) -> bool:
    """Whether the kernel is loaded. If not, ``wait`` loads it now; otherwise it is loaded in the
    background and the caller goes without it this time (a time limit is a promise; compiling after a
    fresh installation takes longer than many limits)."""
    global _WARMING
    if _READY.is_set():
        return True
    if wait:
        warm_up()
        return True
    with _LOCK:
        if not _WARMING:
            _WARMING = True
            threading.Thread(target=warm_up, name="tabu-warm-up", daemon=True).start()
    return False


_COMPILED: tuple | None = None
_LOCK = threading.Lock()
_COMPILE_LOCK = threading.Lock()
_READY = threading.Event()
_WARMING = False


def _kernels():
    global _COMPILED
    with _COMPILE_LOCK:
        if _COMPILED is None:
            _COMPILED = _compile()
    return _COMPILED


def _compile():  # noqa: C901 - the numerical kernel, kept together on purpose
    from numba import njit

    @njit(cache=True, nogil=True)
    def heads_tails(p, lb, pptr, pidx, sptr, sidx, mp, ms, r, q, order, indeg, tails):
        """Heads r (earliest start) and, if asked, tails q (longest path after the end); returns the
        makespan, -1 if the graph has a cycle."""
        n = p.shape[0]
        top = 0
        for i in range(n):
            d = pptr[i + 1] - pptr[i]
            if mp[i] >= 0:
                d += 1
            indeg[i] = d
            if d == 0:
                order[top] = i
                top += 1
        head = 0
        cmax = 0
        while head < top:
            i = order[head]
            head += 1
            t = lb[i]
            m = mp[i]
            if m >= 0 and r[m] + p[m] > t:
                t = r[m] + p[m]
            for k in range(pptr[i], pptr[i + 1]):
                j = pidx[k]
                if r[j] + p[j] > t:
                    t = r[j] + p[j]
            r[i] = t
            if t + p[i] > cmax:
                cmax = t + p[i]
            for k in range(sptr[i], sptr[i + 1]):
                j = sidx[k]
                indeg[j] -= 1
                if indeg[j] == 0:
                    order[top] = j
                    top += 1
            s = ms[i]
            if s >= 0:
                indeg[s] -= 1
                if indeg[s] == 0:
                    order[top] = s
                    top += 1
        if top < n:
            return -1
        if tails:
            for h in range(n - 1, -1, -1):
                i = order[h]
                t = 0
                s = ms[i]
                if s >= 0:
                    t = q[s] + p[s]
                for k in range(sptr[i], sptr[i + 1]):
                    j = sidx[k]
                    if q[j] + p[j] > t:
                        t = q[j] + p[j]
                q[i] = t
        return cmax

    @njit(cache=True, nogil=True)
    def twt(p, r, jptr, jsink, due, weight, cj):
        total = 0
        for j in range(jptr.shape[0] - 1):
            c = 0
            for k in range(jptr[j], jptr[j + 1]):
                o = jsink[k]
                if r[o] + p[o] > c:
                    c = r[o] + p[o]
            cj[j] = c
            if c > due[j]:
                total += weight[j] * (c - due[j])
        return total

    @njit(cache=True, nogil=True)
    def rand(rng, k):
        x = rng[0]
        x ^= x >> np.uint64(12)
        x ^= x << np.uint64(25)
        x ^= x >> np.uint64(27)
        rng[0] = x
        y = x * np.uint64(0x2545F4914F6CDD1D)
        return np.int64(y % np.uint64(k))

    @njit(cache=True, nogil=True)
    def swap(mp, ms, u, v):
        """u directly before v on their machine -> v directly before u."""
        a = mp[u]
        b = ms[v]
        if a >= 0:
            ms[a] = v
        mp[v] = a
        ms[v] = u
        mp[u] = v
        ms[u] = b
        if b >= 0:
            mp[b] = u

    @njit(cache=True, nogil=True)
    def path_to(p, pptr, pidx, mp, r, end, path):
        """A critical path ending with operation ``end`` (machine arcs preferred), first operation
        first. Returns its length."""
        length = 0
        cur = end
        while cur >= 0:
            path[length] = cur
            length += 1
            nxt = -1
            m = mp[cur]
            if m >= 0 and r[m] + p[m] == r[cur]:
                nxt = m
            else:
                for k in range(pptr[cur], pptr[cur + 1]):
                    j = pidx[k]
                    if r[j] + p[j] == r[cur]:
                        nxt = j
                        break
            cur = nxt
        for h in range(length // 2):
            t = path[h]
            path[h] = path[length - 1 - h]
            path[length - 1 - h] = t
        return length

    @njit(cache=True, nogil=True)
    def n5(ms, path, length, cand, nc, mark, stamp):
        """Add the N5 moves of a path to cand (by their first operation, deduplicated with mark): the
        first pair of every block but the first, the last pair of every block but the last (a block:
        consecutive path operations on one machine)."""
        nb = 0
        h = 0
        while h < length:
            e = h
            while e + 1 < length and ms[path[e]] == path[e + 1]:
                e += 1
            nb += 1
            h = e + 1
        bi = 0
        h = 0
        while h < length:
            e = h
            while e + 1 < length and ms[path[e]] == path[e + 1]:
                e += 1
            if e > h:
                if bi > 0 and mark[path[h]] != stamp:
                    mark[path[h]] = stamp
                    cand[nc] = path[h]
                    nc += 1
                if bi < nb - 1 and mark[path[e - 1]] != stamp:
                    mark[path[e - 1]] = stamp
                    cand[nc] = path[e - 1]
                    nc += 1
            bi += 1
            h = e + 1
        return nc

    @njit(cache=True, nogil=True)
    def end_of(p, r, jptr, jsink, j, c):
        for k in range(jptr[j], jptr[j + 1]):
            o = jsink[k]
            if r[o] + p[o] == c:
                return o
        return -1

    @njit(cache=True, nogil=True)
    def estimate(p, lb, pptr, pidx, sptr, sidx, mp, ms, r, q, u, v):
        """Makespan estimate after swapping adjacent u (before v) on one machine."""
        a = mp[u]
        b = ms[v]
        rv = lb[v]
        if a >= 0 and r[a] + p[a] > rv:
            rv = r[a] + p[a]
        for k in range(pptr[v], pptr[v + 1]):
            j = pidx[k]
            if r[j] + p[j] > rv:
                rv = r[j] + p[j]
        ru = rv + p[v]
        if lb[u] > ru:
            ru = lb[u]
        for k in range(pptr[u], pptr[u + 1]):
            j = pidx[k]
            if r[j] + p[j] > ru:
                ru = r[j] + p[j]
        qu = 0
        if b >= 0:
            qu = q[b] + p[b]
        for k in range(sptr[u], sptr[u + 1]):
            j = sidx[k]
            if q[j] + p[j] > qu:
                qu = q[j] + p[j]
        qv = qu + p[u]
        for k in range(sptr[v], sptr[v + 1]):
            j = sidx[k]
            if q[j] + p[j] > qv:
                qv = q[j] + p[j]
        e1 = rv + p[v] + qv
        e2 = ru + p[u] + qu
        return e1 if e1 > e2 else e2

    @njit(cache=True, nogil=True)
    def ev(kind, g, mp, ms, w):
        """Objective of the sequences mp/ms (heads, and tails for makespan, left in w); -1 if cyclic.
        g: the problem arrays, w: the work arrays."""
        p, lb, pptr, pidx, sptr, sidx, jptr, jsink, due, weight = g
        r, q, order, indeg, cj = w
        cmax = heads_tails(p, lb, pptr, pidx, sptr, sidx, mp, ms, r, q, order, indeg, kind == 0)
        if cmax < 0 or kind == 0:
            return cmax
        return twt(p, r, jptr, jsink, due, weight, cj)

    @njit(cache=True, nogil=True)
    def candidates(kind, g, mp, ms, r, cj, path, cand, mark, onpath, stamp, rng):
        """Swap moves (by their first operation) into cand; every operation of the paths looked at
        gets onpath = stamp. Returns the number of swap moves."""
        p, lb, pptr, pidx, sptr, sidx, jptr, jsink, due, weight = g
        if kind == 0:
            n = p.shape[0]
            cmax = 0
            for i in range(n):
                if r[i] + p[i] > cmax:
                    cmax = r[i] + p[i]
            start = rand(rng, n)
            end = 0
            for h in range(n):
                i = (start + h) % n
                if r[i] + p[i] == cmax:
                    end = i
                    break
            length = path_to(p, pptr, pidx, mp, r, end, path)
            for h in range(length):
                onpath[path[h]] = stamp
            return n5(ms, path, length, cand, 0, mark, stamp)
        nc = 0
        for j in range(jptr.shape[0] - 1):
            if cj[j] > due[j] and weight[j] > 0:
                end = end_of(p, r, jptr, jsink, j, cj[j])
                length = path_to(p, pptr, pidx, mp, r, end, path)
                # every machine arc of the path: with exact evaluation the wider neighbourhood pays
                # (JSPTWT 10x10, 4 s: about 3 % lower total than N5's block ends)
                for h in range(length):
                    u = path[h]
                    onpath[u] = stamp
                    if h + 1 < length and ms[u] == path[h + 1] and mark[u] != stamp:
                        mark[u] = stamp
                        cand[nc] = u
                        nc += 1
        return nc

    @njit(cache=True, nogil=True)
    def unlink(mp, ms, u):
        a = mp[u]
        b = ms[u]
        if a >= 0:
            ms[a] = b
        if b >= 0:
            mp[b] = a
        mp[u] = -1
        ms[u] = -1
        return a, b

    @njit(cache=True, nogil=True)
    def link(mp, ms, u, a, b):
        """Put u between a and b (adjacent on one machine; -1: sequence start / end)."""
        mp[u] = a
        ms[u] = b
        if a >= 0:
            ms[a] = u
        if b >= 0:
            mp[b] = u

    @njit(cache=True, nogil=True)
    def slot_on(alt, cur, mp, ms, r0, u, wc):
        """Where u goes on work centre wc: after the operations whose heads are smaller than its own
        (a topological order of the current graph, so no cycle). Returns (before, after)."""
        aptr, am, ad = alt
        n = mp.shape[0]
        first = -1
        for i in range(n):
            if i != u and mp[i] < 0 and am[cur[i]] == wc:
                first = i
                break
        prev = -1
        x = first
        while x >= 0 and r0[x] < r0[u]:
            prev = x
            x = ms[x]
        return prev, x

    @njit(cache=True, nogil=True)
    def reassign(g, alt, mp, ms, cur, u, k, before, after):
        """Move u to alternative k, between before and after; returns where it was (a, b, old k)."""
        p = g[0]
        aptr, am, ad = alt
        a, b = unlink(mp, ms, u)
        old = cur[u]
        cur[u] = k
        p[u] = ad[k]
        link(mp, ms, u, before, after)
        return a, b, old

    @njit(cache=True, nogil=True)
    def put_back(g, alt, mp, ms, cur, u, a, b, old):
        p = g[0]
        aptr, am, ad = alt
        unlink(mp, ms, u)
        cur[u] = old
        p[u] = ad[old]
        link(mp, ms, u, a, b)

    @njit(cache=True, nogil=True)
    def is_tabu(tu, tv, texp, it, x, y):
        for s in range(64):  # noqa: SIM110 - numba: no any() over a generator
            if texp[s] > it and tu[s] == x and tv[s] == y:
                return True
        return False

    @njit(cache=True, nogil=True)
    def save(g, mp, ms, cur, bmp, bms, bp, bcur):
        p = g[0]
        for i in range(p.shape[0]):
            bmp[i] = mp[i]
            bms[i] = ms[i]
            bp[i] = p[i]
            bcur[i] = cur[i]

    @njit(cache=True, nogil=True)
    def kernel(g, alt, mp, ms, cur, bmp, bms, bp, bcur, st, rng, work, iterations):
        p, lb, pptr, pidx, sptr, sidx, jptr, jsink, due, weight = g
        aptr, am, ad = alt
        n = p.shape[0]
        na = am.shape[0]
        kind = st[8]
        flex = st[9] == 1
        r = work[0:n]
        q = work[n : 2 * n]
        order = work[2 * n : 3 * n]
        indeg = work[3 * n : 4 * n]
        path = work[4 * n : 5 * n]
        cand = work[5 * n : 6 * n]
        mark = work[6 * n : 7 * n]
        onpath = work[7 * n : 8 * n]
        r0 = work[8 * n : 9 * n]
        q0 = work[9 * n : 10 * n]
        rcu = work[10 * n : 10 * n + na]
        rck = work[10 * n + na : 10 * n + 2 * na]
        o = 10 * n + 2 * na
        tu = work[o : o + 64]
        tv = work[o + 64 : o + 128]
        texp = work[o + 128 : o + 192]
        cj = work[o + 192 :]
        w = (r, q, order, indeg, cj)
        c = ev(kind, g, mp, ms, w)
        if c < 0:
            st[5] = -1
            return
        if st[0] == 0:  # first call: the start is the best so far
            st[1] = c
            save(g, mp, ms, cur, bmp, bms, bp, bcur)
            for k in range(64):
                texp[k] = 0
        for _ in range(iterations):
            if kind == 1 and c == 0:
                st[5] = 1
                return
            it = st[0] + 1
            st[0] = it
            nc = candidates(kind, g, mp, ms, r, cj, path, cand, mark, onpath, it, rng)
            nr = 0
            if flex:  # other work centres for the operations of the paths
                for u in range(n):
                    if onpath[u] == it:
                        for k in range(aptr[u], aptr[u + 1]):
                            if am[k] != am[cur[u]]:
                                rcu[nr] = u
                                rck[nr] = k
                                nr += 1
            if nc == 0 and nr == 0 and kind == 0 and not flex:
                st[5] = 1  # one block, or no two path operations on one machine: a lower bound
                return
            for i in range(n):  # the evaluations below overwrite r and q
                r0[i] = r[i]
                q0[i] = q[i]
            best_val = -1
            best_u = -1
            best_k = -1  # -1: swap u with its successor; else: move u to alternative best_k
            ties = 0
            for m in range(nc + nr):
                if m < nc:
                    u = cand[m]
                    v = ms[u]
                    k = -1
                    tabu = is_tabu(tu, tv, texp, it, u, v)
                    if kind == 0:
                        val = estimate(p, lb, pptr, pidx, sptr, sidx, mp, ms, r0, q0, u, v)
                    else:  # exact: apply, evaluate, undo
                        swap(mp, ms, u, v)
                        val = ev(kind, g, mp, ms, w)
                        swap(mp, ms, v, u)
                else:
                    u = rcu[m - nc]
                    k = rck[m - nc]
                    tabu = is_tabu(tu, tv, texp, it, u, -1 - am[k])
                    before, after = slot_on(alt, cur, mp, ms, r0, u, am[k])
                    a, b, old = reassign(g, alt, mp, ms, cur, u, k, before, after)
                    val = ev(kind, g, mp, ms, w)
                    put_back(g, alt, mp, ms, cur, u, a, b, old)
                if val < 0 or (tabu and val >= st[1]):
                    continue
                if best_u < 0 or val < best_val:
                    best_val = val
                    best_u = u
                    best_k = k
                    ties = 1
                elif val == best_val:
                    ties += 1
                    if rand(rng, ties) == 0:
                        best_u = u
                        best_k = k
            if best_u < 0 and nc > 0:  # every move tabu and none good enough: take one at random
                best_u = cand[rand(rng, nc)]
                best_k = -1
            if best_u >= 0:
                u = best_u
                v = a = b = old = -1
                slot = st[4] % 64
                if best_k < 0:
                    v = ms[u]
                    swap(mp, ms, u, v)
                    tu[slot] = v
                    tv[slot] = u
                else:
                    before, after = slot_on(alt, cur, mp, ms, r0, u, am[best_k])
                    a, b, old = reassign(g, alt, mp, ms, cur, u, best_k, before, after)
                    tu[slot] = u
                    tv[slot] = -1 - am[old]
                c2 = ev(kind, g, mp, ms, w)
                if c2 < 0:  # cannot happen with positive durations; undo to be safe
                    if best_k < 0:
                        swap(mp, ms, v, u)
                    else:
                        put_back(g, alt, mp, ms, cur, u, a, b, old)
                    c = ev(kind, g, mp, ms, w)
                else:
                    c = c2
                    st[4] += 1
                    lo = st[6] * 6 // 10
                    if lo < 2:
                        lo = 2
                    hi = st[6] * 14 // 10 + 1
                    texp[slot] = it + lo + rand(rng, hi - lo + 1)
            else:
                c = ev(kind, g, mp, ms, w)  # the evaluations overwrote r
                st[2] = st[7]  # no move at all: restart
            st[3] = c
            if c < st[1]:
                st[1] = c
                st[2] = 0
                save(g, mp, ms, cur, bmp, bms, bp, bcur)
            else:
                st[2] += 1
            if st[2] >= st[7]:
                # back to the best sequences, then a few random swaps on a critical path
                for i in range(n):
                    mp[i] = bmp[i]
                    ms[i] = bms[i]
                    p[i] = bp[i]
                    cur[i] = bcur[i]
                c = ev(kind, g, mp, ms, w)
                kicks = 2 + rand(rng, 4)
                for _k in range(kicks):
                    cmax = 0
                    for i in range(n):
                        if r[i] + p[i] > cmax:
                            cmax = r[i] + p[i]
                    end = -1
                    if kind == 0:
                        for i in range(n):
                            if r[i] + p[i] == cmax:
                                end = i
                                break
                    else:
                        nj = jptr.shape[0] - 1
                        j0 = rand(rng, nj)
                        for h in range(nj):
                            j = (j0 + h) % nj
                            if cj[j] > due[j]:
                                end = end_of(p, r, jptr, jsink, j, cj[j])
                                break
                    if end < 0:
                        break
                    length = path_to(p, pptr, pidx, mp, r, end, path)
                    nc = 0
                    for h in range(length - 1):
                        if ms[path[h]] == path[h + 1]:
                            cand[nc] = path[h]
                            nc += 1
                    if nc == 0:
                        break
                    u = cand[rand(rng, nc)]
                    v = ms[u]
                    swap(mp, ms, u, v)
                    c2 = ev(kind, g, mp, ms, w)
                    if c2 < 0:
                        swap(mp, ms, v, u)
                        c = ev(kind, g, mp, ms, w)
                    else:
                        c = c2
                for k in range(64):
                    texp[k] = 0
                st[2] = 0
                st[3] = c

    return kernel, heads_tails
