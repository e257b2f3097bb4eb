"""Order review (R-1.3): plain-words findings, clarification with the customer, marking reviewed."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_bulk
from gendan.core.exceptions import WorkflowConflict
from gendan.core.i18n import bilingual
from gendan.core.uploads import files_removed_on_rollback
from gendan.masterdata.choices import CreditStatus

from ..capacity import CapacityProblem, capacity_problems
from ..choices import (
    AWAITING_CAPACITY_CHECK,
    OPEN_STATES,
    AttachmentKind,
    FindingCode,
    FindingStatus,
    OrderStatus,
    Step,
)
from ..models import OPEN_FINDING, Clarification, Finding, Order, OrderLine
from ..tasks import capacity_check_task
from .attachments import store_attachment
from .common import audit, move_status, order_for, order_for_step


@dataclass
class Problem:
    code: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    line: OrderLine | None = None
    # False: the merchandiser should know, but nothing is missing (e.g. the product's standard
    # applies where the customer gave no requirement); it does not wait to be resolved.
    blocking: bool = True

    @property
    def fingerprint(self) -> str:
        # The same problem on the same line keeps its finding (and its resolution) across reviews.
        detail = ",".join(
            f"{k}={_fingerprint_value(v)}"
            for k, v in sorted(self.params.items())
            if k not in ("days", "earliest", "total")
        )
        return f"{self.key}:{self.line.line_no if self.line else '-'}:{detail}"[:200]


def _fingerprint_value(value: Any) -> Any:
    """A parameter as the fingerprint has always had it: a name stored in both languages by its
    Chinese, so a finding keeps its resolution across reviews."""
    return value["zh"] if isinstance(value, dict) and "zh" in value else value


def _fmt_qty(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format(value.normalize(), "f")


class ReviewContext:
    """What the cross-order checks need (other orders with the same PO, open value per customer),
    read once for many orders (an import), or per order (one review)."""

    def __init__(self, orders: list[Order]):
        customer_ids = {o.customer_id for o in orders}
        self.pos: dict[tuple[int, str], list[tuple]] = defaultdict(list)
        rows = (
            Order.objects.filter(customer_id__in=customer_ids)
            .exclude(customer_po="")
            .exclude(status=OrderStatus.CANCELLED)
            .order_by("created_at", "pk")
            .values_list("customer_id", "customer_po", "pk", "number")
        )
        for customer_id, po, pk, number in rows:
            self.pos[(customer_id, po.strip())].append((pk, number))
        amount = ExpressionWrapper(
            F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=20, decimal_places=4)
        )
        totals = (
            OrderLine.objects.filter(
                order__customer_id__in=customer_ids, order__status__in=OPEN_STATES, is_cancelled=False
            )
            .exclude(unit_price__isnull=True)
            .exclude(quantity__isnull=True)
            .values("order__customer_id")
            .annotate(t=Sum(amount))
            .values_list("order__customer_id", "t")
        )
        self.open_total = {customer_id: total or Decimal(0) for customer_id, total in totals}

    def duplicate_of(self, order: Order) -> str | None:
        for pk, number in self.pos.get((order.customer_id, order.customer_po.strip()), []):
            if pk != order.pk:
                return number
        return None


def check_order(
    order: Order,
    *,
    today: date | None = None,
    lines: list[OrderLine] | None = None,
    context: ReviewContext | None = None,
) -> list[Problem]:
    """Every completeness and plausibility problem of an order, in plain words."""
    today = today or timezone.localdate()
    context = context or ReviewContext([order])
    problems: list[Problem] = []
    if not order.customer_po.strip():
        problems.append(Problem(FindingCode.MISSING_FIELD, "missing_customer_po"))
    if order.merchandiser_id is None:
        problems.append(Problem(FindingCode.MISSING_FIELD, "missing_merchandiser"))
    if order.delivery_address_id is None:
        # Logistics needs it, and it is confirmed with the customer before shipping.
        problems.append(Problem(FindingCode.MISSING_FIELD, "missing_address"))
    if lines is None:
        lines = list(order.lines.filter(is_cancelled=False).select_related("product"))
    if not lines:
        problems.append(Problem(FindingCode.MISSING_FIELD, "missing_lines"))
    for line in lines:
        p = {"line": line.line_no}
        if line.product is None:
            if line.product_code:
                problems.append(
                    Problem(
                        FindingCode.UNKNOWN_PRODUCT, "unknown_product", p | {"code": line.product_code}, line
                    )
                )
            else:
                problems.append(Problem(FindingCode.MISSING_FIELD, "missing_product", p, line))
        elif line.product.is_archived:
            problems.append(
                Problem(
                    FindingCode.UNKNOWN_PRODUCT, "archived_product", p | {"code": line.product.code}, line
                )
            )
        elif line.spec and line.product.spec and line.spec.strip() != line.product.spec.strip():
            problems.append(
                Problem(
                    FindingCode.UNKNOWN_SPEC,
                    "unknown_spec",
                    p | {"spec": line.spec, "known": line.product.spec},
                    line,
                )
            )
        if line.quantity is None:
            problems.append(Problem(FindingCode.MISSING_FIELD, "missing_quantity", p, line))
        elif line.quantity <= 0:
            problems.append(
                Problem(FindingCode.BAD_QUANTITY, "bad_quantity", p | {"qty": _fmt_qty(line.quantity)}, line)
            )
        if line.delivery_date is None:
            problems.append(Problem(FindingCode.MISSING_FIELD, "missing_date", p, line))
        elif line.delivery_date < today:
            problems.append(
                Problem(
                    FindingCode.PAST_DATE, "past_date", p | {"date": line.delivery_date.isoformat()}, line
                )
            )
        elif line.product is not None:
            earliest = today + timedelta(days=line.product.lead_time_days)
            if line.delivery_date < earliest:
                problems.append(
                    Problem(
                        FindingCode.SHORT_LEAD_TIME,
                        "short_lead_time",
                        p
                        | {
                            "date": line.delivery_date.isoformat(),
                            "days": (line.delivery_date - today).days,
                            "lead": line.product.lead_time_days,
                            "earliest": earliest.isoformat(),
                        },
                        line,
                    )
                )
        problems += _requirement_problems(line, p)
    if order.customer_po.strip():
        other = context.duplicate_of(order)
        if other is not None:
            problems.append(
                Problem(FindingCode.DUPLICATE_PO, "duplicate_po", {"po": order.customer_po, "other": other})
            )
    customer = order.customer
    customer_name = bilingual(customer.name, customer.name_en)
    if customer.credit_status == CreditStatus.HOLD:
        problems.append(Problem(FindingCode.CREDIT_HOLD, "credit_hold", {"customer": customer_name}))
    elif customer.credit_limit is not None:
        total = context.open_total.get(customer.pk, Decimal(0))
        if total > customer.credit_limit:
            problems.append(
                Problem(
                    FindingCode.CREDIT_LIMIT,
                    "credit_limit",
                    {
                        "customer": customer_name,
                        "total": f"{total:,.2f}",
                        "limit": f"{customer.credit_limit:,.2f}",
                    },
                )
            )
    return problems


def _requirement_problems(line: OrderLine, p: dict[str, Any]) -> list[Problem]:
    """A line without quality or packaging requirements gets the product's standard: worth knowing,
    not a gap. Without a standard either, the customer must say what he wants."""
    found = []
    product = line.product
    for field_name, standard_name, what in (
        ("quality_requirements", "quality_standard", "quality"),
        ("packaging_requirements", "packaging_standard", "packaging"),
    ):
        if getattr(line, field_name).strip():
            continue
        standard = getattr(product, standard_name, "").strip() if product is not None else ""
        if product is not None and standard:
            params = p | {"code": product.code, "standard": standard[:120]}
            found.append(
                Problem(FindingCode.STANDARD_APPLIES, f"standard_{what}", params, line, blocking=False)
            )
        else:
            found.append(Problem(FindingCode.MISSING_FIELD, f"missing_{what}", p, line))
    return found


def _apply_findings(
    actor, order: Order, problems: Sequence[Problem | CapacityProblem], *, codes: set[str] | None = None
) -> list[Finding]:
    """Make the order's current findings match `problems`. `codes` limits which kinds of finding
    this run is responsible for (the capacity check updates only its own)."""
    current = order.findings.filter(is_current=True)
    current = current.exclude(code=FindingCode.CAPACITY) if codes is None else current.filter(code__in=codes)
    existing = {f.fingerprint: f for f in current}
    found = []
    for problem in problems:
        finding = existing.pop(problem.fingerprint, None)
        if finding is None:
            finding = Finding.objects.create(
                order=order,
                line=problem.line,
                code=problem.code,
                key=problem.key,
                params=problem.params,
                fingerprint=problem.fingerprint,
                blocking=getattr(problem, "blocking", True),
            )
            audit(actor, finding, "finding", order, note=lambda f=finding: f.public_message)
        elif finding.params != problem.params:
            Finding.objects.filter(pk=finding.pk).update(params=problem.params)
        found.append(finding)
    # Problems no longer found (the order was corrected) stop counting; they stay in the dossier.
    gone = [f.pk for f in existing.values()]
    if gone:
        Finding.objects.filter(pk__in=gone).update(is_current=False)
    return found


def review_new_orders(*, actor, orders: list[Order]) -> int:
    """Review many newly created orders at once (an Excel import): the checks read what they need
    once for the whole batch, and the findings and their audit entries are inserted in bulk."""
    context = ReviewContext(orders)
    by_order: dict[int, list[OrderLine]] = defaultdict(list)
    for line in (
        OrderLine.objects.filter(order__in=orders, is_cancelled=False)
        .select_related("product")
        .order_by("line_no")
    ):
        by_order[line.order_id].append(line)
    findings = []
    for order in orders:
        for problem in check_order(order, lines=by_order[order.pk], context=context):
            findings.append(
                Finding(
                    order=order,
                    line=problem.line,
                    code=problem.code,
                    key=problem.key,
                    params=problem.params,
                    fingerprint=problem.fingerprint,
                    blocking=problem.blocking,
                )
            )
    Finding.objects.bulk_create(findings, batch_size=1000)
    audit_bulk(
        actor=actor,
        items=[(f, "finding", {}) for f in findings],
        scope_of=lambda f: f.order.scope,
    )
    return len(findings)


def order_run_review(*, actor, order_id: int, check_capacity: bool = True) -> list[Finding]:
    """Check the order again and update its findings (new problems open, fixed ones close)."""
    with transaction.atomic():
        order = order_for(actor, order_id, "review", lock=True)
        if not order.is_editable:
            raise WorkflowConflict(_("Only an order under review can be checked again."))
        findings = _apply_findings(actor, order, check_order(order))
        count = len(findings)
        audit(actor, order, "review_run", order, note=lambda: _("%(n)s findings") % {"n": count})
        request_capacity_check(order, enqueue=check_capacity)
    return findings


def order_submit(*, actor, order_id: int, check_capacity: bool = True) -> Order:
    """Send a draft to review: the checks run at once, the capacity check in the worker (unless
    `check_capacity` is False: the demo builds sixty orders at once and leaves it to "Check again")."""
    with transaction.atomic():
        order = order_for_step(actor, order_id, Step.SUBMIT)
        order = move_status(
            actor=actor, order=order, to=OrderStatus.IN_REVIEW, step=Step.SUBMIT, expected=OrderStatus.DRAFT
        )
        _apply_findings(actor, order, check_order(order))
        request_capacity_check(order, enqueue=check_capacity)
    return order


def review_after_edit(*, actor, order: Order) -> None:
    """An order edited during review is checked again at once: findings the edit fixed close, new
    ones open, and the capacity check runs for the new content."""
    _apply_findings(actor, order, check_order(order))
    request_capacity_check(order)


def request_capacity_check(order: Order, *, enqueue: bool = True) -> None:
    """Forget the capacity answer (it was for other content) and ask the worker for a new one: the
    engine may take seconds on a busy factory."""
    Order.objects.filter(pk=order.pk).update(capacity_checked_at=None)
    if enqueue:
        transaction.on_commit(lambda: capacity_check_task.enqueue(order.pk))


def order_check_capacity(*, order_id: int) -> list[Finding]:
    """Run the capable-to-promise check for an order under review and update its capacity findings."""
    order = Order.objects.select_related("customer").get(pk=order_id)
    if order.status not in AWAITING_CAPACITY_CHECK:
        return []
    problems = capacity_problems(order)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        findings = _apply_findings(None, order, problems, codes={FindingCode.CAPACITY})
        Order.objects.filter(pk=order_id).update(capacity_checked_at=timezone.now())
    return findings


def finding_resolve(*, actor, finding_id: int, resolution: str) -> Finding:
    """The merchandiser accepts or settles a finding, saying how."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say how the finding was resolved.")})
    with transaction.atomic():
        finding = Finding.objects.select_related("order").get_for(actor, "resolve", pk=finding_id)
        won = (
            Finding.objects.filter(pk=finding_id, is_current=True)
            .exclude(status=FindingStatus.RESOLVED)
            .update(
                status=FindingStatus.RESOLVED,
                resolution=resolution,
                resolved_by=actor,
                resolved_at=timezone.now(),
            )
        )
        if not won:
            raise WorkflowConflict(_("This finding was already resolved."))
        finding.refresh_from_db()
        audit(
            actor,
            finding,
            "finding_resolved",
            finding.order,
            note=lambda f=finding, r=resolution: f"{f.public_message} — {r}",
        )
    return finding


def clarification_ask(
    *,
    actor,
    order_id: int,
    finding_ids: list[int],
    question: str,
    channel: str,
    contact: str = "",
    attachments=(),
) -> Clarification:
    """Send findings to the customer: the order waits for the answer."""
    if not (question or "").strip():
        raise ValidationError({"question": _("Write the question for the customer.")})
    with files_removed_on_rollback(), transaction.atomic():
        order = order_for(actor, order_id, "review", lock=True)
        findings = list(order.findings.filter(OPEN_FINDING, pk__in=finding_ids))
        if finding_ids and len(findings) != len(set(finding_ids)):
            raise ValidationError({"findings": _("Some findings are no longer open; reload the order.")})
        clarification = Clarification.objects.create(
            order=order, question=question.strip(), channel=channel, contact=contact, asked_by=actor
        )
        clarification.findings.set(findings)
        Finding.objects.filter(pk__in=[f.pk for f in findings]).update(status=FindingStatus.ASKED)
        for upload in attachments:
            store_attachment(
                actor=actor,
                order=order,
                upload=upload,
                kind=AttachmentKind.CLARIFICATION,
                clarification=clarification,
            )
        audit(actor, clarification, "clarification_asked", order, note=clarification.question)
        if order.step_to(OrderStatus.AWAITING_CLARIFICATION) == Step.ASK_CUSTOMER:
            move_status(
                actor=actor, order=order, to=OrderStatus.AWAITING_CLARIFICATION, step=Step.ASK_CUSTOMER
            )
    return clarification


def clarification_answer(*, actor, clarification_id: int, answer: str, attachments=()) -> Clarification:
    """Record the customer's answer. Its findings open again for the merchandiser to resolve
    (often after correcting the order); when nothing else is awaited the order returns to review."""
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the customer's answer.")})
    with files_removed_on_rollback(), transaction.atomic():
        clarification = Clarification.objects.select_related("order").get_for(
            actor, "answer", pk=clarification_id
        )
        won = Clarification.objects.filter(pk=clarification_id, answered_at__isnull=True).update(
            answer=answer.strip(), answered_at=timezone.now(), answer_recorded_by=actor
        )
        if not won:
            raise WorkflowConflict(_("The answer to this clarification was already recorded."))
        clarification.refresh_from_db()
        order = clarification.order
        clarification.findings.filter(status=FindingStatus.ASKED).update(status=FindingStatus.OPEN)
        for upload in attachments:
            store_attachment(
                actor=actor,
                order=order,
                upload=upload,
                kind=AttachmentKind.CLARIFICATION,
                clarification=clarification,
            )
        audit(actor, clarification, "clarification_answered", order, note=clarification.answer)
        waiting = order.clarifications.filter(answered_at__isnull=True).exists()
        if not waiting and order.step_to(OrderStatus.IN_REVIEW) == Step.CUSTOMER_ANSWERED:
            move_status(actor=actor, order=order, to=OrderStatus.IN_REVIEW, step=Step.CUSTOMER_ANSWERED)
    return clarification


def order_mark_reviewed(*, actor, order_id: int, require_capacity_check: bool = True) -> Order:
    """Accept the order: only when the review has no open finding left, and the capacity check has
    answered for its content (unless `require_capacity_check` is False: the demo's orders)."""
    with transaction.atomic():
        order = order_for_step(actor, order_id, Step.MARK_REVIEWED, lock=True)
        if order.step_to(OrderStatus.REVIEWED) != Step.MARK_REVIEWED:
            raise WorkflowConflict(_("Only an order in review can be marked reviewed."))
        _apply_findings(actor, order, check_order(order))
        if order.capacity_checked_at is None and require_capacity_check:
            raise ValidationError(
                _("The capacity and materials check is still running; try again in a moment.")
            )
        still_open = order.findings.filter(OPEN_FINDING).count()
        if still_open:
            raise ValidationError(
                _("%(n)s findings are still open: resolve them or ask the customer first.")
                % {"n": still_open}
            )
        return move_status(
            actor=actor,
            order=order,
            to=OrderStatus.REVIEWED,
            step=Step.MARK_REVIEWED,
            expected=OrderStatus.IN_REVIEW,
            extra={"reviewed_at": timezone.now(), "reviewed_by": actor},
        )
