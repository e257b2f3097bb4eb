"""The numba-compiled kernel of :mod:`.tabu` (module-level functions, so that numba can cache the
machine code on disk; imported only when the tabu search is first used)."""

import numpy as np
from numba import njit

# numba's cache does not see changes to the module below: after editing it, touch this file too
from .tabu_estimates import estimate, estimates_twt, job_tails

# the layout of the state vector and the tabu list size; tabu.py repeats them (it must not import
# numba) and a test checks both agree. Kept here so that numba's cache sees any change to them.
IT, BEST, NOIMP, CUR, TPTR, DONE, BASE, MAXNOIMP, KIND, FLEX, EXACT = range(11)
SLOTS = 64


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
            # (a lower total than N5's block ends, bench/README.md)
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
    for s in range(SLOTS):  # noqa: SIM110 - numba: no any() over a generator
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
    kind = st[KIND]
    flex = st[FLEX] == 1
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
    tu = work[o : o + SLOTS]
    tv = work[o + SLOTS : o + 2 * SLOTS]
    texp = work[o + 2 * SLOTS : o + 3 * SLOTS]
    nj = jptr.shape[0] - 1
    o += 3 * SLOTS
    cj = work[o : o + nj + 1]
    o += nj + 1
    sinkjob = work[o : o + n]
    est = work[o + n : o + 2 * n]
    sel = work[o + 2 * n : o + 3 * n]
    dirty = work[o + 3 * n : o + 4 * n]
    tl = work[o + 4 * n : o + 4 * n + (n + 2) * nj]
    exact = st[EXACT]
    estimating = kind == 1 and exact > 0
    tails = False  # whether tl holds the job tails of the current sequences
    if estimating:
        for i in range(n):
            sinkjob[i] = -1
        for j in range(nj):
            for k in range(jptr[j], jptr[j + 1]):
                sinkjob[jsink[k]] = j
    w = (r, q, order, indeg, cj)
    c = ev(kind, g, mp, ms, w)
    if c < 0:
        st[DONE] = -1
        return
    if st[IT] == 0:  # first call: the start is the best so far
        st[BEST] = c
        save(g, mp, ms, cur, bmp, bms, bp, bcur)
        for k in range(SLOTS):
            texp[k] = 0
    for _ in range(iterations):
        if kind == 1 and c == 0:
            st[DONE] = 1
            return
        it = st[IT] + 1
        st[IT] = it
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
            st[DONE] = 1  # one block, or no two path operations on one machine: a lower bound
            return
        for i in range(n):  # the evaluations below overwrite r and q
            r0[i] = r[i]
            q0[i] = q[i]
        ns = nc
        if estimating and exact < nc:
            # tardiness above tabu.ESTIMATE_ABOVE operations: estimate every swap from heads and
            # job tails, evaluate exactly only the ``exact`` best admissible estimates
            if not tails:
                job_tails(p, sptr, sidx, ms, order, sinkjob, nj, tl, dirty, it, -1, -1, -1)
                tails = True
            estimates_twt(g, mp, ms, r0, cj, tl, sinkjob, cand, nc, est)
            for m in range(nc):
                u = cand[m]
                if est[m] >= st[BEST] and is_tabu(tu, tv, texp, it, u, ms[u]):
                    est[m] = -1
            ns = 0
            for _t in range(exact):
                pick = -1
                for m in range(nc):
                    if est[m] >= 0 and (pick < 0 or est[m] < est[pick]):
                        pick = m
                if pick < 0:
                    break
                est[pick] = -1
                sel[ns] = cand[pick]
                ns += 1
        else:
            for m in range(nc):
                sel[m] = cand[m]
        best_val = -1
        best_u = -1
        best_k = -1  # -1: swap u with its successor; else: move u to alternative best_k
        ties = 0
        # one exact evaluation (estimated moves): when it is the move made, keep it applied rather
        # than undo it, apply it again and evaluate it again
        keep = kind == 1 and ns + nr == 1
        kept = False
        for m in range(ns + nr):
            if m < ns:
                u = sel[m]
                v = ms[u]
                k = -1
                tabu = is_tabu(tu, tv, texp, it, u, v)
                if kind == 0:
                    val = estimate(p, lb, pptr, pidx, sptr, sidx, mp, ms, r0, q0, u, v)
                else:  # exact: apply, evaluate, undo
                    swap(mp, ms, u, v)
                    val = ev(kind, g, mp, ms, w)
                    kept = keep and val >= 0 and not (tabu and val >= st[BEST])
                    if not kept:
                        swap(mp, ms, v, u)
            else:
                u = rcu[m - ns]
                k = rck[m - ns]
                tabu = is_tabu(tu, tv, texp, it, u, -1 - am[k])
                before, after = slot_on(alt, cur, mp, ms, r0, u, am[k])
                a, b, old = reassign(g, alt, mp, ms, cur, u, k, before, after)
                val = ev(kind, g, mp, ms, w)
                put_back(g, alt, mp, ms, cur, u, a, b, old)
            if val < 0 or (tabu and val >= st[BEST]):
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
            slot = st[TPTR] % SLOTS
            if best_k < 0:
                if kept:  # applied and evaluated above
                    v = mp[u]
                else:
                    v = ms[u]
                    swap(mp, ms, u, v)
                tu[slot] = v
                tv[slot] = u
            else:
                before, after = slot_on(alt, cur, mp, ms, r0, u, am[best_k])
                a, b, old = reassign(g, alt, mp, ms, cur, u, best_k, before, after)
                tu[slot] = u
                tv[slot] = -1 - am[old]
            c2 = best_val if kept else ev(kind, g, mp, ms, w)
            if c2 < 0:  # cannot happen with positive durations; undo to be safe
                if best_k < 0:
                    swap(mp, ms, v, u)
                else:
                    put_back(g, alt, mp, ms, cur, u, a, b, old)
                c = ev(kind, g, mp, ms, w)
            else:
                c = c2
                if tails and best_k < 0:
                    # the swap changed three machine arcs: only rows before them change (order:
                    # the new graph's, from the evaluation just made)
                    job_tails(p, sptr, sidx, ms, order, sinkjob, nj, tl, dirty, it, mp[v], u, v)
                else:
                    tails = False
                st[TPTR] += 1
                lo = st[BASE] * 6 // 10
                if lo < 2:
                    lo = 2
                hi = st[BASE] * 14 // 10 + 1
                texp[slot] = it + lo + rand(rng, hi - lo + 1)
        else:
            c = ev(kind, g, mp, ms, w)  # the evaluations overwrote r
            st[NOIMP] = st[MAXNOIMP]  # no move at all: restart
        st[CUR] = c
        if c < st[BEST]:
            st[BEST] = c
            st[NOIMP] = 0
            save(g, mp, ms, cur, bmp, bms, bp, bcur)
        else:
            st[NOIMP] += 1
        if st[NOIMP] >= st[MAXNOIMP]:
            # back to the best sequences, then a few random swaps on a critical path
            for i in range(n):
                mp[i] = bmp[i]
                ms[i] = bms[i]
                p[i] = bp[i]
                cur[i] = bcur[i]
            tails = False
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
            for k in range(SLOTS):
                texp[k] = 0
            st[NOIMP] = 0
            st[CUR] = c
