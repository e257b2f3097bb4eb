"""Release and acknowledgement (R-1.4, R-1.5)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind
from gendan.accounts.models import Department, User
from gendan.core.exceptions import WorkflowConflict
from gendan.core.uploads import files_removed_on_rollback, save_file
from gendan.engine.workhours import WorkingWeek
from gendan.masterdata.choices import CalendarDayKind
from gendan.masterdata.models import CalendarDay
from gendan.notifications.services import notify

from ..choices import AttachmentKind, OrderStatus, Step
from ..documents import order_copy_pdf
from ..models import Acknowledgement, Order, OrderAttachment, OrderVersion
from .common import audit, move_status, order_for_step, order_snapshot

# The departments a released order goes to.
RECEIVING_KINDS = (DepartmentKind.PRODUCTION, DepartmentKind.PURCHASING, DepartmentKind.QUALITY)


def receiving_departments() -> list[Department]:
    found = []
    for kind in RECEIVING_KINDS:
        dept = Department.objects.filter(kind=kind, is_archived=False).order_by("code").first()
        if dept is not None:
            found.append(dept)
    return found


def department_members(department: Department) -> list[User]:
    return list(User.objects.filter(department=department, is_active=True))


def order_url(order: Order) -> str:
    return reverse("orders:order_detail", args=[order.pk])


def acknowledgements_request(*, actor, order: Order, version: int) -> list[Acknowledgement]:
    """Ask each receiving department to confirm it has this version of the order."""
    acks = []
    for dept in receiving_departments():
        ack, created = Acknowledgement.objects.get_or_create(
            order=order, department=dept, order_version=version
        )
        if created:
            acks.append(ack)
    for ack in acks:
        number, ver = order.number, version
        notify(
            event="order.released",
            recipients=department_members(ack.department),
            departments=[ack.department],
            title=lambda lang, n=number, v=ver: (
                _("Order %(number)s (version %(v)s) released: please acknowledge") % {"number": n, "v": v}
            ),
            body=lambda lang, o=order: (
                _("Customer %(customer)s, %(lines)s lines, first delivery %(date)s.")
                % {
                    "customer": o.customer.local_name,
                    "lines": o.lines.count(),
                    "date": o.earliest_delivery or "—",
                }
            ),
            url=order_url(order) + "#acks",  # lands on the acknowledge button
            obj=order,
        )
    return acks


def store_order_copy(*, actor, order: Order, lang: str = "zh-hans") -> OrderAttachment:
    """The order copy of the current version, kept with the order. Call it inside
    `files_removed_on_rollback`, so a rolled-back release leaves no file behind."""
    data = order_copy_pdf(order, lang=lang)
    attachment = OrderAttachment(
        order=order,
        kind=AttachmentKind.ORDER_COPY,
        original_name=f"{order.number}-v{order.version}-{'zh' if lang.startswith('zh') else 'en'}.pdf",
        size=len(data),
        version=order.version,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    save_file(attachment.file, attachment.original_name, ContentFile(data))
    attachment.save()
    return attachment


def order_release(*, actor, order_id: int) -> Order:
    """Release a reviewed order to production, purchasing and quality: the order copy is made,
    version 1 is frozen, and each department is asked to acknowledge."""
    with files_removed_on_rollback(), transaction.atomic():
        order = order_for_step(actor, order_id, Step.RELEASE)
        order = move_status(
            actor=actor,
            order=order,
            to=OrderStatus.RELEASED,
            step=Step.RELEASE,
            expected=OrderStatus.REVIEWED,
            extra={"released_at": timezone.now(), "released_by": actor},
        )
        OrderVersion.objects.get_or_create(
            order=order, number=order.version, defaults={"data": order_snapshot(order), "created_by": actor}
        )
        store_order_copy(actor=actor, order=order)
        acknowledgements_request(actor=actor, order=order, version=order.version)
    return order


def acknowledgement_confirm(*, actor, ack_id: int) -> Acknowledgement:
    """One click by a member of the receiving department (or an administrator)."""
    with transaction.atomic():
        acks = Acknowledgement.objects.select_related("order", "department")
        # Only a member of the department it is for (PermissionDenied otherwise).
        ack = acks.get_for(actor, "acknowledge", pk=ack_id)
        if ack.order_version != ack.order.version:
            raise WorkflowConflict(_("This acknowledgement is for an earlier version of the order."))
        won = Acknowledgement.objects.filter(pk=ack_id, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), acknowledged_by=actor
        )
        if not won:
            raise WorkflowConflict(
                _("%(dept)s has already acknowledged this order.") % {"dept": ack.department}
            )
        ack.refresh_from_db()
        audit(actor, ack, "acknowledged", ack.order, note=lambda d=ack.department: d)
    return ack


def factory_week(today: dt.date | None = None) -> WorkingWeek:
    """The office working week for reminders: Monday–Friday 8–12 and 13–17, minus factory holidays."""
    today = today or timezone.localdate()
    days = CalendarDay.objects.filter(
        work_centre__isnull=True,
        is_archived=False,
        date__gte=today - dt.timedelta(days=60),
        date__lte=today + dt.timedelta(days=60),
    )
    holidays = frozenset(d.date for d in days if d.kind == CalendarDayKind.HOLIDAY)
    overtime = frozenset(d.date for d in days if d.kind == CalendarDayKind.OVERTIME)
    return WorkingWeek(holidays=holidays, overtime_days=overtime)


def acknowledgements_chase(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind departments that have not acknowledged after their time (default 4 working hours),
    and escalate to the department's manager after twice that. Run by the worker."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    week = factory_week(local_now.date())
    chased = escalated = 0
    pending = (
        Acknowledgement.objects.filter(acknowledged_at__isnull=True, escalated_at__isnull=True)
        # Only the current version is chased: an older one was superseded by an approved change.
        .filter(order_version=F("order__version"))
        .exclude(order__status__in=[OrderStatus.CANCELLED, OrderStatus.ON_HOLD, OrderStatus.CLOSED])
        .select_related("order", "order__merchandiser", "department", "department__manager")
    )
    for ack in pending:
        limit = ack.department.ack_timeout_hours or 4
        waited = week.hours_between(timezone.localtime(ack.requested_at), local_now)
        order = ack.order
        if waited >= 2 * limit:
            with transaction.atomic():
                if not Acknowledgement.objects.filter(
                    pk=ack.pk, escalated_at__isnull=True, acknowledged_at__isnull=True
                ).update(escalated_at=now):
                    continue
                manager = ack.department.manager
                recipients = [u for u in (manager, order.merchandiser) if u is not None]
                notify(
                    event="order.ack_escalated",
                    recipients=recipients,
                    departments=[ack.department],
                    title=lambda lang, o=order.number, d=ack.department, h=limit * 2: (
                        _(
                            "Escalated: %(dept)s has not acknowledged order %(number)s for %(hours)s working hours"
                        )
                        % {"dept": d, "number": o, "hours": h}
                    ),
                    url=order_url(order),
                    obj=order,
                )
                audit(None, ack, "ack_escalated", order, note=lambda d=ack.department: d)
            escalated += 1
        elif waited >= limit and (
            ack.chased_at is None or week.hours_between(timezone.localtime(ack.chased_at), local_now) >= limit
        ):
            with transaction.atomic():
                if not Acknowledgement.objects.filter(
                    pk=ack.pk, chase_count=ack.chase_count, acknowledged_at__isnull=True
                ).update(chased_at=now, chase_count=ack.chase_count + 1):
                    continue
                recipients = department_members(ack.department)
                if order.merchandiser:
                    recipients.append(order.merchandiser)
                notify(
                    event="order.ack_missing",
                    recipients=recipients,
                    departments=[ack.department],
                    title=lambda lang, o=order.number, d=ack.department: (
                        _("Reminder: %(dept)s, please acknowledge order %(number)s")
                        % {"dept": d, "number": o}
                    ),
                    url=order_url(order),
                    obj=order,
                )
                audit(None, ack, "ack_chased", order, note=lambda d=ack.department: d)
            chased += 1
    return {"chased": chased, "escalated": escalated}
