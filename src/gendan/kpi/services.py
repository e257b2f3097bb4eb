"""KPI settings (R-7.1): management changes the hours per step, the targets and the weights; one
current record, every change audited with the old and new values. A bad number is refused with a
message naming its field (`hours_<step>`, `target_<figure>`, `weight_<figure>`), nothing changed."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record, snapshot
from gendan.core.permissions import require
from gendan.engine import kpi as engine

from .models import CURRENT, KpiSettings
from .tasks import kpi_refresh_task

logger = logging.getLogger(__name__)

MAX_HOURS = Decimal(24 * 90)  # a step's target: at most 90 days
MAX_WEIGHT = Decimal(1000)
MAX_TARGET = Decimal(100_000)


def current_values() -> dict[str, dict[str, Any]]:
    """The settings in force as plain numbers (the defaults where nothing was saved)."""
    row = KpiSettings.objects.filter(pk=CURRENT).first()
    values: dict[str, dict[str, Any]] = {
        "step_hours": dict(engine.DEFAULT_STEP_HOURS),
        "targets": dict(engine.DEFAULT_TARGETS),
        "weights": {code: engine.DEFAULT_WEIGHTS.get(code, 0) for code in engine.FIGURES},
    }
    if row is not None:
        values["step_hours"] |= {k: v for k, v in row.step_hours.items() if k in engine.STEPS}
        values["targets"] |= {k: v for k, v in row.targets.items() if k in engine.FIGURES}
        values["weights"] |= {k: v for k, v in row.weights.items() if k in engine.FIGURES}
    return values


def engine_settings() -> engine.KpiSettings:
    values = current_values()
    return engine.KpiSettings(
        step_hours={k: Decimal(str(v)) for k, v in values["step_hours"].items()},
        targets={k: None if v is None else Decimal(str(v)) for k, v in values["targets"].items()},
        weights={k: Decimal(str(v)) for k, v in values["weights"].items()},
    )


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _read(
    given: Mapping[str, Any], codes, prefix: str, errors: dict, *, low: Decimal, high: Decimal, blank_ok: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code in given:
        if code not in codes:
            errors[f"{prefix}_{code}"] = _("Unknown: %(code)s.") % {"code": code}
    for code in codes:
        if code not in given:
            continue
        raw = given[code]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if blank_ok:
                out[code] = None
            else:
                errors[f"{prefix}_{code}"] = _("Give a number.")
            continue
        number = _number(raw)
        if number is None:
            errors[f"{prefix}_{code}"] = _("Give a number.")
        elif number < low or number > high:
            errors[f"{prefix}_{code}"] = _("Give a number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
        else:
            out[code] = _plain(number)
    return out


def kpi_settings_update(
    *,
    actor,
    step_hours: Mapping[str, Any] | None = None,
    targets: Mapping[str, Any] | None = None,
    weights: Mapping[str, Any] | None = None,
) -> KpiSettings:
    """Change the settings: what is given replaces the current value, the rest stays. Hours are
    above zero; targets zero or more (blank: no target; a share at most 100); weights zero or more
    (they need not add up to 100: the score divides by their sum)."""
    require(actor, KpiSettings, "change")
    errors: dict[str, str] = {}
    hours = _read(
        step_hours or {}, engine.STEPS, "hours", errors, low=Decimal("0.1"), high=MAX_HOURS, blank_ok=False
    )
    goal = _read(
        targets or {}, engine.FIGURES, "target", errors, low=Decimal(0), high=MAX_TARGET, blank_ok=True
    )
    for code, value in goal.items():
        if value is not None and engine.FIGURES[code][0] == "%" and value > 100:
            errors[f"target_{code}"] = _("A share is at most 100 %.")
    weight = _read(
        weights or {}, engine.FIGURES, "weight", errors, low=Decimal(0), high=MAX_WEIGHT, blank_ok=False
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = KpiSettings.objects.select_for_update().get_or_create(pk=CURRENT)
        before = snapshot(row) if not _created else None
        values = current_values()
        row.step_hours = values["step_hours"] | hours
        row.targets = values["targets"] | goal
        row.weights = values["weights"] | weight
        if not any(v for v in row.weights.values()):
            raise ValidationError({"weights": _("Give at least one figure a weight above zero.")})
        try:
            engine.KpiSettings(step_hours=row.step_hours, targets=row.targets, weights=row.weights)
        except engine.KpiError as exc:  # the checks above should have caught it
            raise ValidationError({"weights": str(exc)}) from exc
        row.updated_by = actor
        row.save()
        audit_record(actor=actor, obj=row, action="update", before=before, after=snapshot(row))
        # The stored reports were computed under the old settings: the overview computes live
        # until the worker has stored new ones.
        transaction.on_commit(_refresh_later)
    return row


def _refresh_later() -> None:
    try:
        kpi_refresh_task.enqueue()
    except Exception:  # the periodic refresh does it within minutes anyway
        logger.exception("could not enqueue the KPI refresh")
