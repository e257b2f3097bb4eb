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


@njit(cache=True, nogil=True)
def job_tails(p, sptr, sidx, ms, order, sinkjob, nj, tl):
    """tl[i * nj + j]: p[i] plus the longest path from the end of i to the completion of job j, -1
    where job j cannot be reached from i (order: a topological order of the current graph)."""
    n = p.shape[0]
    for h in range(n - 1, -1, -1):
        i = order[h]
        base = i * nj
        for j in range(nj):
            tl[base + j] = -1
        s = ms[i]
        if s >= 0:
            sb = s * nj
            for j in range(nj):
                if tl[sb + j] > tl[base + j]:
                    tl[base + j] = tl[sb + j]
        for k in range(sptr[i], sptr[i + 1]):
            sb = sidx[k] * nj
            for j in range(nj):
                if tl[sb + j] > tl[base + j]:
                    tl[base + j] = tl[sb + j]
        if sinkjob[i] >= 0 and tl[base + sinkjob[i]] < 0:
            tl[base + sinkjob[i]] = 0
        for j in range(nj):
            if tl[base + j] >= 0:
                tl[base + j] += p[i]


@njit(cache=True, nogil=True)
def estimate_twt(g, mp, ms, r, cj, tl, sinkjob, u, v):
    """Weighted tardiness after swapping adjacent u (before v), from the heads r and the job tails tl
    of the current sequences (Kuhpfahl and Bierwirth's estimate): exact for a job whose longest path
    avoided u and v, the longest path through them for the others."""
    p, lb, pptr, pidx, sptr, sidx, jptr, jsink, due, weight = g
    nj = jptr.shape[0] - 1
    b = ms[v]
    rv, ru = swapped_heads(p, lb, pptr, pidx, mp, r, u, v)
    total = 0
    for j in range(nj):
        tu = -1
        if b >= 0:
            tu = tl[b * nj + j]
        for k in range(sptr[u], sptr[u + 1]):
            t = tl[sidx[k] * nj + j]
            if t > tu:
                tu = t
        if sinkjob[u] == j and tu < 0:
            tu = 0
        lu = -1
        if tu >= 0:
            lu = tu + p[u]
        tv = lu
        for k in range(sptr[v], sptr[v + 1]):
            t = tl[sidx[k] * nj + j]
            if t > tv:
                tv = t
        if sinkjob[v] == j and tv < 0:
            tv = 0
        c = cj[j]
        if tv >= 0:
            via = rv + p[v] + tv
            if lu >= 0 and ru + lu > via:
                via = ru + lu
            ou = tl[u * nj + j]
            ov = tl[v * nj + j]
            # its longest path ran through u or v: the one through them now (the others are not
            # known without a full evaluation); else the longer of the old one and that one
            if (ou >= 0 and r[u] + ou == c) or (ov >= 0 and r[v] + ov == c) or via > c:
                c = via
        if c > due[j]:
            total += weight[j] * (c - due[j])
    return total
