"""The numba-compiled serial schedule builder of :mod:`.fastbuild` (module-level functions, so that
numba can cache the machine code on disk; imported only when the compiled builder is first used).

It does exactly what :class:`.sgs.Builder` and :func:`.sgs.build` do, on flat integer arrays (a test
checks both give the same schedule): the Python builder stays the reference and serves small problems,
the Giffler-Thompson builder and capable-to-promise; this one makes the lead-time walks on a large
factory many times faster (bench/builder.py)."""

import numpy as np
from numba import njit

NONE = -(1 << 62)  # "no time" (a time is a minute; frozen operations may lie before minute 0)


@njit(cache=True, nogil=True)
def _first_gt(arr, lo, hi, v):
    """First index in [lo, hi) of sorted ``arr`` whose value is > v (hi if none). The searches of one
    placement move forward a little at a time: a few steps from ``lo``, then a binary search."""
    for i in range(lo, min(hi, lo + 8)):
        if arr[i] > v:
            return i
    if lo + 8 >= hi:
        return hi
    a = lo + 8
    b = hi
    while a < b:  # binary search (np.searchsorted on a slice costs more here)
        m = (a + b) >> 1
        if arr[m] > v:
            b = m
        else:
            a = m + 1
    return a


@njit(cache=True, nogil=True)
def _fit(ca, cb, cc, lo, hi, clo, t, dur, split, pos):
    """Calendar.fit on the calendar stored at [lo, hi) (its cumulative work at clo...): (start, end,
    position), start NONE when the calendar ends first. ``pos``: the position returned for an earlier,
    smaller ``t`` (0 the first time): the first interval starting after t is searched from there."""
    n = hi - lo
    pos = _first_gt(ca, lo + pos, hi, t) - lo
    if dur <= 0:
        return t, t, pos
    i = pos - 1  # the interval holding t, if any, or the one before it
    if i < 0 or t >= cb[lo + i]:
        i += 1
    if split:
        if i >= n:
            return NONE, NONE, pos
        a = ca[lo + i]
        s = max(t, a)
        w = cc[clo + i] + (s - a) + dur
        if w > cc[clo + n]:
            return NONE, NONE, pos
        j = _first_gt(cc, clo + i, clo + n + 1, w - 1) - clo - 1
        if j >= n:
            return NONE, NONE, pos
        return s, ca[lo + j] + (w - cc[clo + j]), pos
    while i < n:
        s = max(t, ca[lo + i])
        if s + dur <= cb[lo + i]:
            return s, s + dur, pos
        i += 1
    return NONE, NONE, pos


@njit(cache=True, nogil=True)
def _conflict_end(ms, me, cnt, s, e, pos):
    """(End of the first busy interval of one machine overlapping [s, e), or NONE if free; position of
    the first interval ending after s, searched from ``pos``, found for an earlier, smaller s)."""
    i = _first_gt(me, pos, cnt, s)
    if i < cnt and ms[i] < e:
        return me[i], i
    return NONE, i


@njit(cache=True, nogil=True)
def _work_before(ca, cb, cc, lo, hi, clo, t):
    """Calendar.work_before: working minutes of the calendar at [lo, hi) before minute t."""
    i = _first_gt(ca, lo, hi, t) - lo - 1
    if i < 0:
        return 0
    return cc[clo + i] + min(t, cb[lo + i]) - ca[lo + i]


@njit(cache=True, nogil=True)
def _skip(me, mws, mwe, cnt, pos, t, wt, dur):
    """Skips the busy intervals of one machine before which the gap from t holds fewer than ``dur``
    working minutes (an operation of ``dur`` working minutes starting there would run into them):
    (t, its working minutes ``wt``, the first interval ending after t). Exact: every start skipped
    overlaps a busy interval, so the search finds what it found interval by interval, only without
    fitting the calendar at each of them (a full machine with a long queue made the build quadratic)."""
    i = _first_gt(me, pos, cnt, t)
    while i < cnt and mws[i] - wt < dur:
        t = me[i]
        wt = mwe[i]
        i += 1
    return t, wt, i


@njit(cache=True, nogil=True)
def _machine_add(ms, me, mws, mwe, cnt, s, e, ws, we):
    """Adds [s, e) (working minutes ws, we of its calendar) to one machine; returns its new count."""
    if e <= s:
        return cnt
    i = np.searchsorted(ms[:cnt], s, side="left")
    for k in range(cnt, i, -1):
        ms[k] = ms[k - 1]
        me[k] = me[k - 1]
        mws[k] = mws[k - 1]
        mwe[k] = mwe[k - 1]
    ms[i] = s
    me[i] = e
    mws[i] = ws
    mwe[i] = we
    return cnt + 1


@njit(cache=True, nogil=True)
def _blocked_until(pt, pl, cnt, cap, s, e, people):
    """sgs._Crew.blocked_until on the crew's load profile: ``pl[k]`` people from ``pt[k]`` to
    ``pt[k + 1]`` (none before the first point and after the last). NONE if ``people`` more fit during
    [s, e), else the end of the first stretch of [s, e) where they do not (every start before it is
    blocked too, so the search may jump there). Blocked where the load is positive and above
    ``cap - people``. The profile replaced a scan of every crew interval that might overlap (those
    started up to the longest operation before s), which made a large factory's build quadratic."""
    if e <= s or people <= 0 or cnt == 0:
        return NONE
    lim = cap - people
    k = np.searchsorted(pt[:cnt], s, side="right") - 1
    if k < 0:
        k = 0
    while k < cnt and pt[k] < e:
        if pl[k] > 0 and pl[k] > lim:
            m = k + 1
            while m < cnt and pl[m] > 0 and pl[m] > lim:
                m += 1
            return pt[m]  # the last point ends every interval (load 0 after it): m < cnt
        k += 1
    return NONE


@njit(cache=True, nogil=True)
def _point(pt, pl, cnt, t):
    """A point of the profile at t (inserted with the load there if missing): (index, new count)."""
    i = np.searchsorted(pt[:cnt], t, side="left")
    if i < cnt and pt[i] == t:
        return i, cnt
    for k in range(cnt, i, -1):
        pt[k] = pt[k - 1]
        pl[k] = pl[k - 1]
    pt[i] = t
    pl[i] = pl[i - 1] if i > 0 else 0
    return i, cnt + 1


@njit(cache=True, nogil=True)
def _crew_add(pt, pl, cnt, s, e, people):
    if e <= s or people <= 0:
        return cnt
    i, cnt = _point(pt, pl, cnt, s)
    j, cnt = _point(pt, pl, cnt, e)
    for k in range(i, j):
        pl[k] += people
    return cnt


@njit(cache=True, nogil=True)
def _state(n, fx_w, fx_m, fx_s, fx_e, fx_mi, fx_people, wc_m0, wc_nm, head, cal_lo, cal_hi, cal_clo, ca, cb, cc, mcap, ccap, start, end, mode, wcs, machine):  # fmt: skip
    """Empty machines and crews, then the frozen operations placed (filling start..machine for them).
    Returns (ms, me, mws, mwe, mcnt, cs, cpl, ccnt, placed); mws / mwe: the
    machines' busy intervals in working minutes of their centre's calendar."""
    nw = wc_nm.shape[0]
    n_mach = wc_m0[nw]
    ms = np.empty((n_mach, mcap), np.int64)
    me = np.empty((n_mach, mcap), np.int64)
    mws = np.empty((n_mach, mcap), np.int64)
    mwe = np.empty((n_mach, mcap), np.int64)
    mcnt = np.zeros(n_mach, np.int64)
    cs = np.empty((nw, 2 * ccap + 2), np.int64)  # crews: load profiles (points, load from each)
    cpl = np.empty((nw, 2 * ccap + 2), np.int64)
    ccnt = np.zeros(nw, np.int64)
    placed = np.zeros(n, np.bool_)
    for o in range(n):
        w = fx_w[o]
        if w < 0:
            continue
        s = fx_s[o]
        e = fx_e[o]
        m = fx_m[o]
        if m < 0:
            m = 0
            for k in range(wc_nm[w]):
                g = wc_m0[w] + k
                if _conflict_end(ms[g], me[g], mcnt[g], s, e, 0)[0] == NONE:
                    m = k
                    break
        ws = _work_before(ca, cb, cc, cal_lo[w], cal_hi[w], cal_clo[w], s)
        we = _work_before(ca, cb, cc, cal_lo[w], cal_hi[w], cal_clo[w], e)
        _occupy(w, wc_m0[w] + m, s, e, ws, we, fx_people[o], head, ms, me, mws, mwe, mcnt, cs, cpl, ccnt)
        start[o] = s
        end[o] = e
        mode[o] = fx_mi[o]
        wcs[o] = w
        machine[o] = m
        placed[o] = True
    return ms, me, mws, mwe, mcnt, cs, cpl, ccnt, placed


@njit(cache=True, nogil=True)
def _missing(n, pptr, pidx, placed):
    """Predecessors of each operation not placed yet."""
    missing = np.zeros(n, np.int64)
    for o in range(n):
        if not placed[o]:
            for x in range(pptr[o], pptr[o + 1]):
                if not placed[pidx[x]]:
                    missing[o] += 1
    return missing


@njit(cache=True, nogil=True)
def _best(
    o, lo_m, hi_m, base, pptr, pidx, optr, m_wc, m_dur, m_people, split, wc_m0, wc_nm, head,
    cal_lo, cal_hi, cal_clo, ca, cb, cc, end, ms, me, mws, mwe, mcnt, cs, cpl, ccnt,
):  # fmt: skip
    """Builder.place's search for operation o over its modes lo_m..hi_m (indices into the flat mode
    arrays) and their machines: (mode index within the op's modes, start, end, machine) of the
    earliest (end, start), mode index -1 if none fits before the end of the calendars."""
    t = base[o]
    for x in range(pptr[o], pptr[o + 1]):
        if end[pidx[x]] > t:
            t = end[pidx[x]]
    b_mi = -1
    b_s = 0
    b_e = 0
    b_k = 0
    for mm in range(lo_m, hi_m):
        w = m_wc[mm]
        dur = m_dur[mm]
        people = m_people[mm]
        lo = cal_lo[w]
        hi = cal_hi[w]
        clo = cal_clo[w]
        f_k = -1
        f_s = 0
        f_e = 0
        wt = _work_before(ca, cb, cc, lo, hi, clo, t)
        for k in range(wc_nm[w]):
            g = wc_m0[w] + k
            msg = ms[g]
            meg = me[g]
            mwsg = mws[g]
            mweg = mwe[g]
            ng = mcnt[g]
            tt = t
            wtt = wt
            cpos = 0
            mpos = 0
            while True:
                if dur > 0:
                    tt, wtt, mpos = _skip(meg, mwsg, mweg, ng, mpos, tt, wtt, dur)
                s, e, cpos = _fit(ca, cb, cc, lo, hi, clo, tt, dur, split[o], cpos)
                if s == NONE:
                    break
                if f_k >= 0 and s >= f_s and e >= f_e:
                    break
                if dur > 0:
                    c, mpos = _conflict_end(msg, meg, ng, s, e, mpos)
                    if c != NONE:
                        tt = c
                        wtt = mweg[mpos]
                        continue
                    if head[w] >= 0:
                        c = _blocked_until(cs[w], cpl[w], ccnt[w], head[w], s, e, people)
                        if c != NONE:
                            tt = max(c, s + 1)
                            wtt = _work_before(ca, cb, cc, lo, hi, clo, tt)
                            continue
                if f_k < 0 or e < f_e or (e == f_e and s < f_s):
                    f_k = k
                    f_s = s
                    f_e = e
                break
        if f_k >= 0 and (b_mi < 0 or f_e < b_e or (f_e == b_e and f_s < b_s)):
            b_mi = mm - optr[o]
            b_s = f_s
            b_e = f_e
            b_k = f_k
    return b_mi, b_s, b_e, b_k


@njit(cache=True, nogil=True)
def build(
    by_rank, rank, forced, base, pptr, pidx, sptr, sidx, optr, m_wc, m_dur, m_people, split,
    fx_w, fx_m, fx_s, fx_e, fx_mi, fx_people,
    wc_m0, wc_nm, head, cal_lo, cal_hi, cal_clo, ca, cb, cc, mcap, ccap,
    start, end, mode, wcs, machine,
):  # fmt: skip
    """Serial schedule generation: frozen operations first, then among ready operations the one with
    the smallest rank (``by_rank[rank]`` is the operation), each at its earliest feasible (end, start)
    over its modes and machines. ``forced[o]`` >= 0 forces a mode. Fills start..machine; returns -1, or
    the operation that does not fit before the end of its work centres' calendars."""
    n = rank.shape[0]
    ms, me, mws, mwe, mcnt, cs, cpl, ccnt, placed = _state(
        n, fx_w, fx_m, fx_s, fx_e, fx_mi, fx_people, wc_m0, wc_nm, head, cal_lo, cal_hi, cal_clo, ca, cb, cc,
        mcap, ccap,
        start, end, mode, wcs, machine,
    )  # fmt: skip
    missing = _missing(n, pptr, pidx, placed)
    # the search of each placement is _best's, written out here: a call per operation with thirty
    # array arguments made the whole build a quarter slower (the lead-time walks' bottleneck). The
    # property tests check both builders against the Python ones.
    heap = np.empty(n, np.int64)  # ranks
    size = 0
    for o in range(n):
        if not placed[o] and missing[o] == 0:
            size = _push(heap, size, rank[o])
    while size > 0:
        r = heap[0]
        size = _pop(heap, size)
        o = by_rank[r]
        t = base[o]
        for x in range(pptr[o], pptr[o + 1]):
            if end[pidx[x]] > t:
                t = end[pidx[x]]
        b_mi = -1
        b_s = 0
        b_e = 0
        b_k = 0
        lo_m = optr[o]
        hi_m = optr[o + 1]
        if forced[o] >= 0:
            lo_m = optr[o] + forced[o]
            hi_m = lo_m + 1
        for mm in range(lo_m, hi_m):
            w = m_wc[mm]
            dur = m_dur[mm]
            people = m_people[mm]
            lo = cal_lo[w]
            hi = cal_hi[w]
            clo = cal_clo[w]
            f_k = -1
            f_s = 0
            f_e = 0
            wt = _work_before(ca, cb, cc, lo, hi, clo, t)
            for k in range(wc_nm[w]):
                g = wc_m0[w] + k
                msg = ms[g]
                meg = me[g]
                mwsg = mws[g]
                mweg = mwe[g]
                ng = mcnt[g]
                tt = t
                wtt = wt
                cpos = 0
                mpos = 0
                while True:
                    if dur > 0:
                        tt, wtt, mpos = _skip(meg, mwsg, mweg, ng, mpos, tt, wtt, dur)
                    s, e, cpos = _fit(ca, cb, cc, lo, hi, clo, tt, dur, split[o], cpos)
                    if s == NONE:
                        break
                    if f_k >= 0 and s >= f_s and e >= f_e:
                        break
                    if dur > 0:
                        c, mpos = _conflict_end(msg, meg, ng, s, e, mpos)
                        if c != NONE:
                            tt = c
                            wtt = mweg[mpos]
                            continue
                        if head[w] >= 0:
                            c = _blocked_until(cs[w], cpl[w], ccnt[w], head[w], s, e, people)
                            if c != NONE:
                                tt = max(c, s + 1)
                                wtt = _work_before(ca, cb, cc, lo, hi, clo, tt)
                                continue
                    if f_k < 0 or e < f_e or (e == f_e and s < f_s):
                        f_k = k
                        f_s = s
                        f_e = e
                    break
            if f_k >= 0 and (b_mi < 0 or f_e < b_e or (f_e == b_e and f_s < b_s)):
                b_mi = mm - optr[o]
                b_s = f_s
                b_e = f_e
                b_k = f_k
        if b_mi < 0:
            return o
        mm = optr[o] + b_mi
        w = m_wc[mm]
        ws = _work_before(ca, cb, cc, cal_lo[w], cal_hi[w], cal_clo[w], b_s)
        we = _work_before(ca, cb, cc, cal_lo[w], cal_hi[w], cal_clo[w], b_e)
        _occupy(
            w, wc_m0[w] + b_k, b_s, b_e, ws, we, m_people[mm], head, ms, me, mws, mwe, mcnt, cs, cpl, ccnt,
        )  # fmt: skip
        start[o] = b_s
        end[o] = b_e
        mode[o] = b_mi
        wcs[o] = w
        machine[o] = b_k
        placed[o] = True
        for x in range(sptr[o], sptr[o + 1]):
            q = sidx[x]
            if not placed[q]:
                missing[q] -= 1
                if missing[q] == 0:
                    size = _push(heap, size, rank[q])
    return -1


@njit(cache=True, nogil=True)
def build_gt(
    rank, base, pptr, pidx, sptr, sidx, optr, m_wc, m_dur, m_people, split,
    fx_w, fx_m, fx_s, fx_e, fx_mi, fx_people,
    wc_m0, wc_nm, head, cal_lo, cal_hi, cal_clo, ca, cb, cc, mcap, ccap,
    start, end, mode, wcs, machine,
):  # fmt: skip
    """Giffler-Thompson style active schedule, as :func:`.sgs.build_gt`: take the ready operation that
    can finish first; among the ready operations competing for its work centre that could start before
    that, place the one with the smallest rank. Same results and return value as :func:`build`."""
    n = rank.shape[0]
    ms, me, mws, mwe, mcnt, cs, cpl, ccnt, placed = _state(
        n, fx_w, fx_m, fx_s, fx_e, fx_mi, fx_people, wc_m0, wc_nm, head, cal_lo, cal_hi, cal_clo, ca, cb, cc,
        mcap, ccap,
        start, end, mode, wcs, machine,
    )  # fmt: skip
    missing = _missing(n, pptr, pidx, placed)
    c_mi = np.zeros(n, np.int64)  # each ready operation's best placement now
    c_s = np.zeros(n, np.int64)
    c_e = np.zeros(n, np.int64)
    c_k = np.zeros(n, np.int64)
    ready = np.empty(n, np.int64)
    nr = 0
    for o in range(n):
        if not placed[o] and missing[o] == 0:
            mi, s, e, k = _best(
                o, optr[o], optr[o + 1], base, pptr, pidx, optr, m_wc, m_dur, m_people, split, wc_m0,
                wc_nm, head, cal_lo, cal_hi, cal_clo, ca, cb, cc, end, ms, me, mws, mwe, mcnt, cs, cpl, ccnt,
            )  # fmt: skip
            if mi < 0:
                return o
            c_mi[o], c_s[o], c_e[o], c_k[o] = mi, s, e, k
            ready[nr] = o
            nr += 1
    while nr > 0:
        star = ready[0]
        for i in range(1, nr):
            o = ready[i]
            if c_e[o] < c_e[star] or (c_e[o] == c_e[star] and rank[o] < rank[star]):
                star = o
        cstar = c_e[star]
        wstar = m_wc[optr[star] + c_mi[star]]
        chosen = -1
        at = -1
        for i in range(nr):
            o = ready[i]
            competes = m_wc[optr[o] + c_mi[o]] == wstar and c_s[o] < cstar
            if competes and (chosen < 0 or rank[o] < rank[chosen]):
                chosen = o
                at = i
        if chosen < 0:
            chosen = star
            for i in range(nr):
                if ready[i] == star:
                    at = i
        nr -= 1
        ready[at] = ready[nr]
        mm = optr[chosen] + c_mi[chosen]
        ws = _work_before(ca, cb, cc, cal_lo[wstar], cal_hi[wstar], cal_clo[wstar], c_s[chosen])
        we = _work_before(ca, cb, cc, cal_lo[wstar], cal_hi[wstar], cal_clo[wstar], c_e[chosen])
        _occupy(
            wstar, wc_m0[wstar] + c_k[chosen], c_s[chosen], c_e[chosen], ws, we, m_people[mm], head, ms, me,
            mws, mwe, mcnt, cs, cpl, ccnt,
        )  # fmt: skip
        start[chosen] = c_s[chosen]
        end[chosen] = c_e[chosen]
        mode[chosen] = c_mi[chosen]
        wcs[chosen] = wstar
        machine[chosen] = c_k[chosen]
        placed[chosen] = True
        # the ready operations whose best placement the new one took away: placed anew. (The Python
        # builder places every ready operation that could use the centre anew; the others find the
        # same placement again: taking capacity only removes options, and theirs is still there.)
        a_s = c_s[chosen]
        a_e = c_e[chosen]
        a_k = c_k[chosen]
        for i in range(nr):
            o = ready[i]
            if (
                m_wc[optr[o] + c_mi[o]] == wstar
                and c_s[o] < a_e
                and a_s < c_e[o]
                and (c_k[o] == a_k or head[wstar] >= 0)
            ):
                mi, s, e, k = _best(
                    o, optr[o], optr[o + 1], base, pptr, pidx, optr, m_wc, m_dur, m_people, split, wc_m0,
                    wc_nm, head, cal_lo, cal_hi, cal_clo, ca, cb, cc, end, ms, me, mws, mwe, mcnt, cs, cpl, ccnt,
                )  # fmt: skip
                if mi < 0:
                    return o
                c_mi[o], c_s[o], c_e[o], c_k[o] = mi, s, e, k
        for x in range(sptr[chosen], sptr[chosen + 1]):
            q = sidx[x]
            if not placed[q]:
                missing[q] -= 1
                if missing[q] == 0:
                    mi, s, e, k = _best(
                        q, optr[q], optr[q + 1], base, pptr, pidx, optr, m_wc, m_dur, m_people, split,
                        wc_m0, wc_nm, head, cal_lo, cal_hi, cal_clo, ca, cb, cc, end, ms, me, mws, mwe, mcnt, cs, cpl, ccnt,
                    )  # fmt: skip
                    if mi < 0:
                        return q
                    c_mi[q], c_s[q], c_e[q], c_k[q] = mi, s, e, k
                    ready[nr] = q
                    nr += 1
    return -1


@njit(cache=True, nogil=True)
def _occupy(w, g, s, e, ws, we, people, head, ms, me, mws, mwe, mcnt, cs, cpl, ccnt):
    """[s, e) (working minutes ws, we) taken on machine g of centre w and, if the centre has a
    headcount, by its people."""
    mcnt[g] = _machine_add(ms[g], me[g], mws[g], mwe[g], mcnt[g], s, e, ws, we)
    if head[w] >= 0 and e > s and people > 0:
        ccnt[w] = _crew_add(cs[w], cpl[w], ccnt[w], s, e, people)


@njit(cache=True, nogil=True)
def _push(heap, size, v):
    i = size
    heap[i] = v
    while i > 0:
        p = (i - 1) // 2
        if heap[p] <= heap[i]:
            break
        heap[p], heap[i] = heap[i], heap[p]
        i = p
    return size + 1


@njit(cache=True, nogil=True)
def _pop(heap, size):
    """Removes the smallest; returns the new size."""
    size -= 1
    heap[0] = heap[size]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and heap[c + 1] < heap[c]:
            c += 1
        if heap[i] <= heap[c]:
            break
        heap[i], heap[c] = heap[c], heap[i]
        i = c
    return size
