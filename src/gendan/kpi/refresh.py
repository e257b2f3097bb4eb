"""The worker's write of the stored KPI reports (snapshots.py): every active merchandiser's report of
each period people look at, from one collection of the records over all of them."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from gendan.accounts.choices import Role
from gendan.accounts.models import User

from .collect import collect
from .models import KpiSnapshot
from .selectors import effective_settings, report_of
from .snapshots import report_to_json, settings_key, stored_periods

logger = logging.getLogger(__name__)


def kpi_snapshots_refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute and store the reports of `stored_periods`; returns how many were stored. The
    rows of other periods are removed (a month that is no longer this one or the last)."""
    as_of = timezone.localtime(now)
    periods = stored_periods(as_of.date())
    ids = list(User.objects.filter(role=Role.MERCHANDISER, is_active=True).values_list("pk", flat=True))
    settings = effective_settings()
    key = settings_key(settings)
    found = collect(ids, min(p.start for p in periods), max(p.end for p in periods), refs=False)
    rows = [
        KpiSnapshot(
            period_key=period.key,
            merchandiser_id=pk,
            computed_at=as_of,
            settings_key=key,
            report=report_to_json(report_of(found.of(pk), period, as_of, settings)),
        )
        for period in periods
        for pk in ids
    ]
    try:
        with transaction.atomic():
            KpiSnapshot.objects.all().delete()
            KpiSnapshot.objects.bulk_create(rows, batch_size=200)
    except IntegrityError:  # another worker stored the same reports at the same moment
        logger.info("KPI snapshots were being refreshed by another worker")
        return 0
    return len(rows)
