"""Reads of the order flow, always through Order.objects.restrict(user, action) (core.permissions)."""

from django.db.models import Count, F, Min, OuterRef, Prefetch, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.attention import AttentionItem
from gendan.core.models import AuditEntry

from .choices import STEP_ACTION, ChangeStatus, OrderStatus, Step
from .filters import attention_condition
from .models import Acknowledgement, ChangeRequest, Finding, Order, OrderLine, OrderVersion

# The dossier's buttons for status steps (the other steps happen as a side effect of a service).
STEP_BUTTONS = {Step.SUBMIT, Step.BACK_TO_DRAFT, Step.MARK_REVIEWED, Step.RELEASE, Step.ADVANCE}
# After release, hold, resume and cancel keep their buttons and record a change request instead.
_REQUESTED = {OrderStatus.ON_HOLD: Step.HOLD, OrderStatus.CANCELLED: Step.CANCEL}


def order_list(*, user, action: str = "view"):
    """The orders `user` may take `action` on, with what the list shows."""
    return (
        Order.objects.restrict(user, action)
        .select_related("customer", "merchandiser")
        .annotate(
            line_count=Count("lines", filter=Q(lines__is_cancelled=False), distinct=True),
            first_delivery=Min("lines__delivery_date", filter=Q(lines__is_cancelled=False)),
        )
    )


def order_report_rows(orders):
    """The order list's rows for its export: with each order's total quantity (open lines) and the
    acknowledgements it still waits for (`unacknowledged`; those of earlier versions included)."""
    total = (
        OrderLine.objects.filter(order=OuterRef("pk"), is_cancelled=False)
        .order_by()
        .values("order")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    waiting = Acknowledgement.objects.filter(acknowledged_at__isnull=True).select_related("department")
    return orders.annotate(total_quantity=Subquery(total)).prefetch_related(
        Prefetch("acknowledgements", queryset=waiting.order_by("department__code"), to_attr="unacknowledged")
    )


def order_dossier(*, user, pk: int) -> Order:
    """One order with everything its dossier page shows, in a fixed number of queries."""
    return (
        Order.objects.restrict(user, "view")
        .select_related(
            "customer", "merchandiser", "delivery_address", "reviewed_by", "released_by", "created_by"
        )
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("product").order_by("line_no")),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("line", "resolved_by").order_by(
                    "-is_current", "created_at"
                ),
            ),
            Prefetch(
                "acknowledgements",
                queryset=Acknowledgement.objects.select_related("department", "acknowledged_by").order_by(
                    "-order_version", "department__code"
                ),
            ),
            "clarifications__findings",
            "clarifications__attachments",
            "clarifications__asked_by",
            "clarifications__answer_recorded_by",
            "changes__line",
            "changes__requested_by",
            "changes__decided_by",
            Prefetch(
                "versions",
                queryset=OrderVersion.objects.select_related("created_by", "change").order_by("number"),
            ),
            "attachments__uploaded_by",
        )
        .get(pk=pk)
    )


class OrderActions:
    """What a user may do to one order now: the steps its status allows (choices.TRANSITIONS) that
    his rights allow (core.permissions), and the dossier's other buttons. Pages show the buttons
    from this; the services check the same rules again when the button is pressed."""

    def __init__(self, *, user, order: Order):
        may = Order.objects.allowed_actions(user, order, {"change", "review", "release"})
        steps = set()
        for target, step in order.next_steps().items():
            if step == Step.CHANGE_REQUEST:
                step = _REQUESTED.get(target, Step.RESUME)
            elif step not in STEP_BUTTONS | {Step.HOLD, Step.RESUME, Step.CANCEL}:
                continue
            if STEP_ACTION[step] in may:
                steps.add(str(step))
        self.steps = steps
        self.forward_to = next((t for t, s in order.next_steps().items() if s == Step.ADVANCE), None)
        self.by_change_request = order.is_after_release
        self.edit = "change" in may and order.is_editable
        in_review = order.step_to(OrderStatus.REVIEWED) == Step.MARK_REVIEWED
        self.rerun = "review" in may and in_review
        self.resolve = self.answer = "review" in may
        self.ask = "review" in may and order.step_to(OrderStatus.AWAITING_CLARIFICATION) == Step.ASK_CUSTOMER
        self.request_change = "change" in may and order.is_after_release
        self.attach = "change" in may
        self.decide_changes = set(
            ChangeRequest.objects.restrict(user, "approve")
            .filter(order=order, status=ChangeStatus.PENDING)
            .values_list("pk", flat=True)
        )
        self.acknowledge = set(
            Acknowledgement.objects.restrict(user, "acknowledge")
            .filter(order=order, acknowledged_at__isnull=True, order_version=order.version)
            .values_list("pk", flat=True)
        )

    def __contains__(self, step: str) -> bool:
        return step in self.steps


def order_history(*, order: Order):
    """Everything recorded about an order: the order itself and its parts (lines, findings,
    acknowledgements, change requests …), newest first. Callers have checked the user sees it."""
    return (
        AuditEntry.objects.filter(scope=order.scope)
        .select_related("actor", "content_type")
        .order_by("-at", "-id")
    )


def order_timeline(*, order: Order, limit: int = 300):
    return order_history(order=order)[:limit]


def open_findings(order: Order) -> list[Finding]:
    return [f for f in order.findings.all() if f.is_open]


def pending_acknowledgements(*, user):
    """Released orders the user's department has not acknowledged yet."""
    if user.department_id is None:
        return Acknowledgement.objects.none()
    return (
        Acknowledgement.objects.restrict(user, "acknowledge")
        .filter(
            department_id=user.department_id, acknowledged_at__isnull=True, order_version=F("order__version")
        )
        .exclude(order__status__in=[OrderStatus.CANCELLED, OrderStatus.CLOSED])
        .select_related("order", "order__customer")
        .order_by("requested_at")
    )


def _example(order: Order, first_delivery=None) -> tuple[str, str]:
    """How the home page names an order: number · customer's name (· first delivery date)."""
    text = f"{order.number} · {order.customer.local_name}"
    if first_delivery is not None:
        text += f" · {first_delivery:%Y-%m-%d}"
    return text, reverse("orders:order_detail", args=[order.pk])


def orders_attention(user):
    """Home page: what needs the merchandiser now (a manager sees every merchandiser's), and the
    released orders the user's department still has to acknowledge."""
    items = []
    orders = Order.objects.all()
    if not orders.role_allows(user, "view"):
        return items
    base = reverse("orders:order_list")
    if orders.role_allows(user, "review") or orders.role_allows(user, "change") or user.role == "management":
        titles = {
            "findings": (_("Orders with review findings to resolve"), "danger"),
            "acks": (_("Released orders with acknowledgements missing"), "warn"),
            "approve": (_("Change requests waiting for your approval"), "warn"),
            "changes": (_("Change requests waiting for someone else's approval"), "info"),
            "overdue": (_("Overdue orders"), "danger"),
            "due": (_("Orders due within 7 days"), "info"),
        }
        qs = Order.objects.restrict(user, "view").select_related("customer")
        for key, (title, level) in titles.items():
            matching = qs.filter(attention_condition(key, user=user))
            count = matching.count()
            if not count:
                continue
            url = f"{base}?attention={key}"
            if key in ("overdue", "due"):
                # The most urgent first, with the date that makes them urgent.
                url = f"{base}?sort=first_delivery&attention={key}"
                dated = matching.annotate(
                    first_delivery=Min("lines__delivery_date", filter=Q(lines__is_cancelled=False))
                ).order_by("first_delivery", "pk")
                examples = [_example(o, o.first_delivery) for o in dated[:5]]
            else:
                examples = [_example(o) for o in matching.order_by("created_at")[:5]]
            items.append(AttentionItem(title, count, url, examples, level))
    if Acknowledgement.objects.all().role_allows(user, "acknowledge"):
        pending = pending_acknowledgements(user=user)
        count = pending.count()
        if count:
            items.append(
                AttentionItem(
                    _("Released orders your department has not acknowledged"),
                    count,
                    f"{base}?attention=unacknowledged&state=all",
                    [_example(a.order) for a in pending[:5]],
                    "danger",
                )
            )
    return items
