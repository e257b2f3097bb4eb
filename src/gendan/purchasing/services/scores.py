"""Purchasing's service rating of a supplier for a period (R-3.4): one per supplier and period,
entered again to change it; every change audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record, snapshot
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.engine.scorecard import PeriodError, parse_period
from gendan.masterdata.models import Supplier

from ..models import ServiceRating


def service_rating_save(
    *, actor, supplier_id: int, period: str, rating: int, note: str = "", today=None
) -> ServiceRating:
    """Rate the supplier's service for a month, quarter or year (1–5 stars with a note); a second
    rating of the same period replaces the first (audited with the old and new values)."""
    require(actor, ServiceRating, "add")
    suppliers = Supplier.objects.all() if actor is None else Supplier.objects.restrict(actor, "view")
    supplier = suppliers.filter(pk=supplier_id).first()
    if supplier is None:
        raise Supplier.DoesNotExist
    errors = {}
    today = today or timezone.localdate()
    try:
        parsed = parse_period(str(period or ""), today=today)
    except PeriodError:
        parsed = None
    if parsed is None or parsed.kind == "last12" or not str(period or "").strip():
        errors["period"] = _("Give a month (2026-03), a quarter (2026-Q1) or a year (2026).")
    elif parsed.start > today:
        errors["period"] = _("A period that has not begun cannot be rated yet.")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        errors["rating"] = _("A rating is 1 to 5 stars.")
    if supplier.is_archived:
        errors["supplier"] = _("This supplier is archived.")
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = _("At most 500 characters.")
    if errors:
        raise ValidationError(errors)
    assert parsed is not None  # an unreadable period is one of the errors above

    with transaction.atomic():
        existing = (
            ServiceRating.objects.select_for_update().filter(supplier=supplier, period=parsed.key).first()
        )
        if existing is None:
            obj = ServiceRating(
                supplier=supplier,
                period=parsed.key,
                start=parsed.start,
                end=parsed.end,
                rating=rating,
                note=note,
                rated_by=actor,
            )
            try:
                with transaction.atomic():
                    obj.save(force_insert=True)
            except IntegrityError as exc:  # rated by someone else at this very moment
                raise WorkflowConflict(
                    _("Someone else rated this supplier for %(period)s first; reload and try again.")
                    % {"period": parsed.key}
                ) from exc
            audit_record(actor=actor, obj=obj, action="create", after=snapshot(obj))
            return obj
        require(actor, ServiceRating, "change")
        before = snapshot(existing)
        existing.rating, existing.note, existing.rated_by = rating, note, actor
        existing.save(update_fields=["rating", "note", "rated_by", "rated_at"])
        audit_record(actor=actor, obj=existing, action="update", before=before)
        return existing
