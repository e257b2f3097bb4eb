"""Stored KPI reports (`KpiSnapshot`): what the overview of a period reads when the worker has
computed it lately.

Why: the overview of a year for twenty merchandisers is built from tens of thousands of records
(every order's review and release, every acknowledgement, plan decision, issue and delivered line);
computed on each request it took about a second on SQLite. The figures move slowly (a step is on
time or late once, an issue closes once), so the worker computes the periods people look at (this
month, quarter and year, and the ones before: the last month's and quarter's and year's reviews)
every `REFRESH_SECONDS`, and the overview reads them in one query. A row older than `FRESH_FOR`,
or computed under other KPI settings, is not used: that merchandiser's figures are computed live,
so a stopped worker or a settings change never shows stale figures for long. The page says when the
figures it shows were computed. One merchandiser's page (with the records behind every figure) is
always computed live.

A report is stored whole (every figure with the ids it counted), so the overview, its Excel and the
API show the same as when computed live."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from gendan.engine import kpi as engine
from gendan.engine.scorecard import Period, month, quarter, year

REFRESH_SECONDS = 300
FRESH_FOR = dt.timedelta(seconds=3 * REFRESH_SECONDS)


def settings_key(settings: engine.KpiSettings) -> str:
    """A fingerprint of the settings a report was computed under."""
    plain = {
        "step_hours": {k: str(v) for k, v in sorted(settings.step_hours.items())},
        "targets": {k: None if v is None else str(v) for k, v in sorted(settings.targets.items())},
        "weights": {k: str(v) for k, v in sorted(settings.weights.items())},
        "scale": [str(x) for x in settings.rating_scale],
    }
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


def stored_periods(today: dt.date) -> list[Period]:
    """The periods the worker keeps: today's month, quarter and year, and the one before each."""
    now = [
        month(today.year, today.month),
        quarter(today.year, (today.month - 1) // 3 + 1),
        year(today.year),
    ]
    return now + [p.previous() for p in now]


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def report_to_json(report: engine.Report) -> dict[str, Any]:
    return {
        "score": _num(report.score),
        "weights_used": {c: str(w) for c, w in report.weights_used.items()},
        "left_out": dict(report.left_out),
        "figures": [
            {
                "code": f.code,
                "value": _num(f.value),
                "unit": f.unit,
                "better": f.better,
                "target": _num(f.target),
                "met": f.met,
                "counted": list(f.counted),
                "missed": list(f.missed),
                "reason": f.reason,
                "points": _num(f.points),
            }
            for f in report.figures.values()
        ],
    }


def report_from_json(data: dict[str, Any], period: Period) -> engine.Report:
    figures = {
        f["code"]: engine.Figure(
            code=f["code"],
            value=_dec(f["value"]),
            unit=f["unit"],
            better=f["better"],
            target=_dec(f["target"]),
            met=f["met"],
            counted=tuple(f["counted"]),
            missed=tuple(f["missed"]),
            reason=f["reason"],
            points=_dec(f["points"]),
        )
        for f in data["figures"]
    }
    return engine.Report(
        period=period,
        figures=figures,
        score=_dec(data["score"]),
        weights_used={c: Decimal(w) for c, w in data["weights_used"].items()},
        left_out=dict(data["left_out"]),
    )
