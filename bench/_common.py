"""Shared helpers of the benchmark scripts: instance parsing (standard JSSP, Brandimarte FJSP, JSPTWT)."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SKIP_SUFFIXES = {".md", ".csv", ".json", ".py", ".txt~"}


@dataclass
class Instance:
    name: str
    fmt: str  # standard | brandimarte | twt
    n_jobs: int
    n_machines: int
    # jobs[j] = list of operations, each a list of (machine, duration) alternatives (0-based machines)
    jobs: list[list[list[tuple[int, int]]]]
    due: list[int] | None = None
    weight: list[int] | None = None

    @property
    def n_ops(self) -> int:
        return sum(len(j) for j in self.jobs)


def _lines(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text().splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        out.append(s.split())
    return out


def parse(path: Path, fmt_hint: str | None = None) -> Instance:
    rows = _lines(path)
    head = rows[0]
    n, m = int(head[0]), int(float(head[1]))
    body = rows[1 : 1 + n]
    fmt = fmt_hint
    if fmt not in ("standard", "brandimarte", "twt"):
        first = body[0]
        if len(head) >= 3:
            fmt = "brandimarte"
        elif len(first) == 2 * m:
            fmt = "standard"
        elif len(first) == 2 * m + 2:
            fmt = "twt"
        else:
            fmt = "brandimarte"
    name = path.name[: -len(path.suffix)] if path.suffix in (".txt", ".fjs", ".jss") else path.name
    if fmt in ("standard", "twt"):
        toks = [int(x) for r in body for x in r]
        k = 0
        jobs, due, weight = [], [], []
        for _ in range(n):
            if fmt == "twt":
                due.append(toks[k])
                weight.append(toks[k + 1])
                k += 2
            ops = []
            for _ in range(m):
                ops.append([(toks[k], toks[k + 1])])
                k += 2
            jobs.append(ops)
        return Instance(
            name, fmt, n, m, jobs, due if fmt == "twt" else None, weight if fmt == "twt" else None
        )
    toks = [int(float(x)) for r in body for x in r]
    k = 0
    jobs = []
    raw_machines = []
    for _ in range(n):
        n_ops = toks[k]
        k += 1
        ops = []
        for _ in range(n_ops):
            cnt = toks[k]
            k += 1
            alts = []
            for _ in range(cnt):
                alts.append((toks[k], toks[k + 1]))
                raw_machines.append(toks[k])
                k += 2
            ops.append(alts)
        jobs.append(ops)
    one_based = min(raw_machines) >= 1 and max(raw_machines) == m if raw_machines else True
    if one_based or min(raw_machines, default=1) >= 1:
        jobs = [[[(mc - 1, d) for mc, d in op] for op in job] for job in jobs]
    return Instance(name, "brandimarte", n, m, jobs)


def read_bounds(folder: Path) -> dict[str, dict[str, str]]:
    f = folder / "bounds.csv"
    if not f.exists():
        return {}
    with f.open() as fh:
        return {row["name"]: row for row in csv.DictReader(fh)}


def instances(folder: Path) -> list[tuple[Path, str | None]]:
    bounds = read_bounds(folder)
    out = []
    for p in sorted(folder.iterdir()):
        if not p.is_file() or p.name.startswith(".") or p.suffix in SKIP_SUFFIXES and p.suffix != ".txt":
            continue
        if p.name in ("README", "LICENSE"):
            continue
        name = p.name[: -len(p.suffix)] if p.suffix in (".txt", ".fjs", ".jss") else p.name
        row = bounds.get(name, {})
        fmt = row.get("format") or ("twt" if "best_known_twt" in row else None)
        out.append((p, fmt))
    return out


def best_known(folder: Path, name: str, objective: str) -> int | None:
    row = read_bounds(folder).get(name)
    if not row:
        return None
    key = "best_known_twt" if objective == "twt" else "upper_bound"
    val = (row.get(key) or "").strip()
    try:
        return int(float(val)) if val else None
    except ValueError:
        return None


def gap(value: int | None, best: int | None) -> float | None:
    if value is None or best is None:
        return None
    if best == 0:
        return 0.0 if value == 0 else None
    return 100.0 * (value - best) / best


def write_json(path: str | None, rows: list[dict]) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(rows, indent=1))
