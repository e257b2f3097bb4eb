"""Move estimates of the tabu search's kernel (:mod:`.tabu_kernel`): what a swap of two adjacent
operations does to the makespan or the weighted tardiness, from heads and tails of the current
sequences, without evaluating the new ones. numba's on-disk cache of the kernel does not notice
changes to this module: touch tabu_kernel.py after editing it."""

from numba import njit


@njit(cache=True, nogil=True)
def swapped_heads(p, lb, pptr, pidx, mp, r, u, v):
    """The heads of v and then u once adjacent u (before v) on one machine are swapped: v after u's
    machine predecessor and its own job predecessors, u after v and its own."""
    a = mp[u]
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
    return rv, ru


@njit(cache=True, nogil=True)
def estimate(p, lb, pptr, pidx, sptr, sidx, mp, ms, r, q, u, v):
    """Makespan estimate after swapping adjacent u (before v) on one machine."""
    b = ms[v]
    rv, ru = swapped_heads(p, lb, pptr, pidx, mp, r, u, v)
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


# job tails: row i (nj entries) of tl holds, for each job j, p[i] plus the longest path from the end of
# i to the completion of job j, or a value below zero (NEG plus at most the sum of the durations) when
# job j cannot be reached from i. Two rows more: row n is all NEG (the row of "no successor", so that
# the loops below have no branch and compile to vector instructions), row n + 1 is scratch. The row
# loops are written out where they are used: a call per row or per move costs more than the loop
# (numba passes every array as a structure and counts references to those taken from a tuple).
NEG = -(1 << 62)


@njit(cache=True, nogil=True)
def job_tails(p, sptr, sidx, ms, order, sinkjob, nj, tl, dirty, stamp, a, u, v):
    """The job tails of the current sequences (order: a topological order of them). With u < 0 all
    rows; else after a swap of adjacent u and v (v now before u, after a) only the rows that can have
    changed: those of a, v and u (their machine successors changed), then of every operation with a
    successor whose row changed (dirty[i] = stamp: a value not in dirty yet)."""
    n = p.shape[0]
    if u < 0:
        for j in range(nj):
            tl[n * nj + j] = NEG
    scratch = (n + 1) * nj
    for h in range(n - 1, -1, -1):
        i = order[h]
        s = ms[i]
        k0 = sptr[i]
        k1 = sptr[i + 1]
        if u >= 0 and i != u and i != v and i != a:
            need = s >= 0 and dirty[s] == stamp
            for k in range(k0, k1):
                if dirty[sidx[k]] == stamp:
                    need = True
            if not need:
                continue
        ra = (s if s >= 0 else n) * nj
        out = i * nj
        pi = p[i]
        sj = sinkjob[i]  # i ends job sj: reached with nothing after i
        diff = False
        if k1 - k0 <= 1:
            rb = (sidx[k0] if k1 > k0 else n) * nj
            for j in range(nj):
                x = tl[ra + j]
                y = tl[rb + j]
                x = (x if x > y else y) + pi
                if j == sj and x < pi:
                    x = pi
                if x != tl[out + j]:
                    diff = True
                tl[out + j] = x
        else:  # several successors besides the machine's (assemblies)
            for j in range(nj):
                tl[scratch + j] = tl[ra + j] + pi
            for k in range(k0, k1):
                rb = sidx[k] * nj
                for j in range(nj):
                    y = tl[rb + j] + pi
                    if y > tl[scratch + j]:
                        tl[scratch + j] = y
            if sj >= 0 and tl[scratch + sj] < pi:
                tl[scratch + sj] = pi
            for j in range(nj):
                if tl[scratch + j] != tl[out + j]:
                    diff = True
                tl[out + j] = tl[scratch + j]
        if diff and u >= 0:
            dirty[i] = stamp


@njit(cache=True, nogil=True)
def estimates_twt(g, mp, ms, r, cj, tl, sinkjob, cand, nc, est):
    """est[m]: the weighted tardiness after swapping cand[m] with its machine successor, from the
    heads r and the job tails tl of the current sequences (Kuhpfahl and Bierwirth's estimate): exact
    for a job whose longest path avoided the two operations, the longest path through them for the
    others."""
    p, lb, pptr, pidx, sptr, sidx, jptr, jsink, due, weight = g
    nj = jptr.shape[0] - 1
    n = p.shape[0]
    for m in range(nc):
        u = cand[m]
        v = ms[u]
        rv, ru = swapped_heads(p, lb, pptr, pidx, mp, r, u, v)
        if sptr[u + 1] - sptr[u] > 1 or sptr[v + 1] - sptr[v] > 1:
            est[m] = estimate_twt_dag(g, ms, r, cj, tl, sinkjob, u, v, rv, ru)
            continue
        # at most one successor each besides the machine's (a job shop): one branch-free pass over
        # the jobs on whole rows, a missing successor's row n (unreachable)
        b = ms[v]
        rb = (b if b >= 0 else n) * nj
        su = (sidx[sptr[u]] if sptr[u + 1] > sptr[u] else n) * nj
        sv = (sidx[sptr[v]] if sptr[v + 1] > sptr[v] else n) * nj
        ou = u * nj
        ov = v * nj
        ju = sinkjob[u]
        jv = sinkjob[v]
        pu = p[u]
        rvp = rv + p[v]
        hu = r[u]
        hv = r[v]
        total = 0
        for j in range(nj):
            x = tl[rb + j]
            y = tl[su + j]
            tu = x if x > y else y
            if j == ju and tu < 0:
                tu = 0
            lu = tu + pu
            y = tl[sv + j]
            tv = lu if lu > y else y
            if j == jv and tv < 0:
                tv = 0
            via = rvp + tv
            y = ru + lu
            if y > via:
                via = y
            c = cj[j]
            # its longest path ran through u or v: the one through them now (the others are not
            # known without a full evaluation); else the longer of the old one and that one
            if tv >= 0 and (hu + tl[ou + j] == c or hv + tl[ov + j] == c or via > c):
                c = via
            late = c - due[j]
            if late > 0:
                total += weight[j] * late
        est[m] = total


@njit(cache=True, nogil=True)
def estimate_twt_dag(g, ms, r, cj, tl, sinkjob, u, v, rv, ru):
    """:func:`estimates_twt` of one swap, for operations with several successors (assemblies)."""
    p, lb, pptr, pidx, sptr, sidx, jptr, jsink, due, weight = g
    nj = jptr.shape[0] - 1
    n = p.shape[0]
    b = ms[v]
    rb = (b if b >= 0 else n) * nj
    total = 0
    for j in range(nj):
        tu = tl[rb + j]
        for k in range(sptr[u], sptr[u + 1]):
            t = tl[sidx[k] * nj + j]
            if t > tu:
                tu = t
        if sinkjob[u] == j and tu < 0:
            tu = 0
        lu = tu + p[u]
        tv = lu
        for k in range(sptr[v], sptr[v + 1]):
            t = tl[sidx[k] * nj + j]
            if t > tv:
                tv = t
        if sinkjob[v] == j and tv < 0:
            tv = 0
        via = rv + p[v] + tv
        if ru + lu > via:
            via = ru + lu
        c = cj[j]
        if tv >= 0 and (r[u] + tl[u * nj + j] == c or r[v] + tl[v * nj + j] == c or via > c):
            c = via
        if c > due[j]:
            total += weight[j] * (c - due[j])
    return total
