"""The warehouse's work on orders: issue material to production, take unused material back, stock
finished goods in. Stock changes only through `inventory.services.stock_move` (never negative: two
keepers issuing the last units at once cannot both succeed), and each limit below is a conditional
UPDATE of a running total, so it holds for people acting at once too:

- an order is issued no more of a material than its plan in force still needs, unless a user with
  `stores.allow_over_issue` allows it (the issue records him);
- an order returns no more of a material than it has (issued less returned);
- an order line stocks in no more than its last operation reported good (the line's top job, last
  sequence, `good_qty`) less what it has stocked in, and only what the stock-in gates let pass
  (gates.py: the final inspection's hook).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind
from gendan.accounts.models import Department, User
from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.inventory.choices import MovementKind
from gendan.inventory.services import stock_move
from gendan.notifications.services import notify
from gendan.orders.models import Order, OrderLine
from gendan.planning.models import OrderOperation, Plan, PlanMaterial

from .choices import ISSUABLE_ORDER_STATES, STOCK_IN_ORDER_STATES, IssueKind
from .gates import stock_in_refusal, stocked_in_changed
from .models import FinishedGoodsIn, IssuedTotal, MaterialIssue, StockedInTotal
from .querysets import visible_orders

ZERO = Decimal(0)
MAX_QTY = Decimal("1000000000")


def fmt(value: Decimal) -> str:
    value = Decimal(value)
    return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())


def quantity_of(value: Any, field: str = "quantity") -> Decimal:
    """A positive quantity from a form, the API or a test; a clear error naming the field."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if number <= 0:
        raise ValidationError({field: _("Enter a quantity above zero.")})
    if number >= MAX_QTY:
        raise ValidationError({field: _("Must be less than %(max)s.") % {"max": MAX_QTY}})
    if number != number.quantize(Decimal("0.0001")):
        raise ValidationError({field: _("At most 4 decimal places.")})
    return number


# ---------------------------------------------------------------- what an order needs and has


def plan_needs(order: Order) -> dict[int, Decimal]:
    """Material id → what the order's plan in force needs of it in all (exploded with scrap)."""
    version_id = Plan.objects.filter(order=order).values_list("in_force", flat=True).first()
    if not version_id:
        return {}
    rows = (
        PlanMaterial.objects.filter(version_id=version_id)
        .values("material_id")
        .annotate(total=Sum("quantity"))
        .values_list("material_id", "total")
    )
    return dict(rows)


def issued_of(order: Order) -> dict[int, Decimal]:
    """Material id → what the order has of it, issued less returned."""
    return dict(IssuedTotal.objects.filter(order=order).values_list("material_id", "quantity"))


def last_operation(order_line: OrderLine) -> OrderOperation | None:
    """The order line's last operation: its top job's (the line's own product) highest sequence."""
    return (
        OrderOperation.objects.filter(order_line=order_line, job_key=f"L{order_line.pk}")
        .order_by("-sequence")
        .first()
    )


def stocked_in_of(order_line: OrderLine) -> Decimal:
    found = StockedInTotal.objects.filter(order_line=order_line).values_list("quantity", flat=True).first()
    return found if found is not None else ZERO


# ---------------------------------------------------------------- guards shared by the services


def _order(actor, order: Order | int, action: str) -> Order:
    """The order, re-read, if the actor may see it; his role must allow `action` on the records."""
    model = FinishedGoodsIn if action == "stock_in" else MaterialIssue
    require(actor, model, "add")
    pk = order.pk if isinstance(order, Order) else order
    orders = Order.objects.all() if actor is None else visible_orders(actor)
    found = orders.select_related("customer").filter(pk=pk).first()
    if found is None:
        raise ValidationError({"order": _("No such order.")})
    return found


def _check_issuable(order: Order) -> None:
    if order.status not in ISSUABLE_ORDER_STATES:
        raise ValidationError(
            {
                "order": _(
                    "Order %(number)s is “%(status)s”: material is issued to released orders in production only."
                )
                % {"number": order.number, "status": order.get_status_display()}
            }
        )


def _total_row(model, **key) -> None:
    """Make sure the running total's row exists (a concurrent first issue may have made it)."""
    try:
        with transaction.atomic():
            model.objects.get_or_create(**key)
    except IntegrityError:
        pass


def _row_error(index: int, material, warehouse, exc: ValidationError) -> ValidationError:
    messages = " ".join(exc.messages)
    return ValidationError(
        {
            "lines": _("Row %(row)s (%(material)s, %(warehouse)s): %(message)s")
            % {"row": index + 1, "material": material.code, "warehouse": warehouse.code, "message": messages}
        }
    )


def _audit(actor, record, action: str, note) -> None:
    audit_record(actor=actor, obj=record, action=action, note=note, scope=f"order:{record.order_id}")


# ---------------------------------------------------------------- issue and return


def material_issue(
    *,
    actor,
    order: Order | int,
    lines: list[tuple[Any, Any, Any]],
    allow_over: bool = False,
    note: str = "",
) -> list[MaterialIssue]:
    """Issue material to an order's production: `lines` of (material, warehouse, quantity). All or
    nothing: one row that cannot be issued issues none, and the error names the row."""
    order = _order(actor, order, "issue")
    _check_issuable(order)
    if allow_over and actor is not None and not actor.has_perm("stores.allow_over_issue"):
        raise ValidationError({"allow_over": _("You may not allow more than the order needs.")})
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("At most 200 characters.")})
    if not lines:
        raise ValidationError({"lines": _("Enter a quantity to issue on at least one row.")})
    parsed = []
    for index, (material, warehouse, raw) in enumerate(lines):
        try:
            parsed.append((material, warehouse, quantity_of(raw)))
        except ValidationError as exc:
            raise _row_error(index, material, warehouse, exc) from None
    needs = plan_needs(order)
    first_row: dict[int, int] = {}  # material id → index of its first row
    totals: dict[int, Decimal] = {}
    for index, (material, _warehouse, qty) in enumerate(parsed):
        first_row.setdefault(material.pk, index)
        totals[material.pk] = totals.get(material.pk, ZERO) + qty
    over: dict[int, bool] = {}
    issues: list[tuple[int, MaterialIssue]] = []
    # Locks are taken in one order whoever issues, so two issues never wait for each other
    # crosswise (a deadlock on PostgreSQL): the order's totals by material first, then the
    # stock by warehouse and material.
    with transaction.atomic():
        for material_id in sorted(totals):
            index = first_row[material_id]
            material, warehouse, _qty = parsed[index]
            try:
                over[material_id] = _take(
                    order, material, totals[material_id], needs.get(material_id, ZERO), allow_over
                )
            except ValidationError as exc:
                raise _row_error(index, material, warehouse, exc) from None
        for index, (material, warehouse, qty) in sorted(
            enumerate(parsed), key=lambda row: (row[1][1].pk, row[1][0].pk, row[0])
        ):
            try:
                movement = stock_move(
                    actor=actor,
                    warehouse=warehouse,
                    quantity=qty,
                    kind=MovementKind.ISSUE,
                    material=material,
                    reference=order.number,
                    note=note,
                )
            except ValidationError as exc:
                raise _row_error(index, material, warehouse, exc) from None
            allowed = over[material.pk]
            issue = MaterialIssue.objects.create(
                order=order,
                material=material,
                warehouse=warehouse,
                kind=IssueKind.ISSUE,
                quantity=qty,
                movement=movement,
                over_allowed_by=actor if allowed and getattr(actor, "pk", None) else None,
                note=note,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            _audit(actor, issue, "material_issue", _issue_note(issue, allowed))
            issues.append((index, issue))
    return [issue for _index, issue in sorted(issues, key=lambda row: row[0])]


def _issue_note(issue: MaterialIssue, over: bool):
    def note() -> str:
        text = _("%(material)s × %(qty)s from %(warehouse)s") % {
            "material": issue.material,
            "qty": fmt(issue.quantity),
            "warehouse": issue.warehouse,
        }
        return f"{text} ({_('more than the plan needs, allowed')})" if over else text

    return note


def _take(order: Order, material, qty: Decimal, need: Decimal, allow_over: bool) -> bool:
    """Add `qty` (all the issue's rows of `material`) to what the order has of it, within what its
    plan needs unless allowed. Returns whether this took it past the need (allowed)."""
    _total_row(IssuedTotal, order=order, material=material)
    rows = IssuedTotal.objects.filter(order=order, material=material)
    if rows.filter(quantity__lte=need - qty).update(quantity=F("quantity") + qty):
        return False
    if not allow_over:
        has = rows.values_list("quantity", flat=True).get()
        raise ValidationError(
            {
                "quantity": _(
                    "More than the order still needs: its plan needs %(need)s, %(has)s already issued, "
                    "so at most %(left)s more. A user allowed to may issue more."
                )
                % {"need": fmt(need), "has": fmt(has), "left": fmt(max(need - has, ZERO))}
            }
        )
    rows.update(quantity=F("quantity") + qty)
    return True


def material_return(
    *, actor, order: Order | int, material, warehouse, quantity: Any, note: str = ""
) -> MaterialIssue:
    """Take unused material back from an order's production into a warehouse: its own recorded
    movement (never an edit of the issue), no more than the order has of it."""
    order = _order(actor, order, "return")
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("At most 200 characters.")})
    qty = quantity_of(quantity)
    with transaction.atomic():
        _total_row(IssuedTotal, order=order, material=material)
        rows = IssuedTotal.objects.filter(order=order, material=material)
        if not rows.filter(quantity__gte=qty).update(quantity=F("quantity") - qty):
            has = rows.values_list("quantity", flat=True).get()
            raise ValidationError(
                {
                    "quantity": _("Order %(number)s has only %(has)s of %(material)s to return.")
                    % {"number": order.number, "has": fmt(has), "material": material}
                }
            )
        movement = stock_move(
            actor=actor,
            warehouse=warehouse,
            quantity=qty,
            kind=MovementKind.RETURN,
            material=material,
            reference=order.number,
            note=note,
        )
        issue = MaterialIssue.objects.create(
            order=order,
            material=material,
            warehouse=warehouse,
            kind=IssueKind.RETURN,
            quantity=qty,
            movement=movement,
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )

        def audit_note() -> str:
            return _("%(material)s × %(qty)s back into %(warehouse)s") % {
                "material": material,
                "qty": fmt(qty),
                "warehouse": warehouse,
            }

        _audit(actor, issue, "material_return", audit_note)
    return issue


# ---------------------------------------------------------------- finished goods in


def stock_in_lock(last: OrderOperation) -> Decimal:
    """Lock an order line's last operation for a stock-in and return its good units. Every change
    that moves what may be stocked in of the line takes this lock in its transaction, so it cannot
    interleave with a stock-in: the stock-in itself (its gates are asked under it), a reversal of the
    operation's report (it waits, then sees this stock-in and refuses to lower the good count below
    it; `reversal_refusal`), and a gate's own reversal (gates.py)."""
    return (
        OrderOperation.objects.select_for_update().filter(pk=last.pk).values_list("good_qty", flat=True).get()
    )


def finished_goods_in(*, actor, order_line: OrderLine | int, warehouse, quantity: Any) -> FinishedGoodsIn:
    """Stock in finished goods of an order line: no more than its last operation reported good,
    less what was stocked in before, and only what the stock-in gates let pass."""
    line_id = order_line.pk if isinstance(order_line, OrderLine) else order_line
    line = OrderLine.objects.filter(pk=line_id).select_related("product").first()
    if line is None:
        raise ValidationError({"order_line": _("No such order line.")})
    try:
        order = _order(actor, line.order_id, "stock_in")
    except ValidationError:
        raise ValidationError({"order_line": _("No such order line.")}) from None
    if order.status not in STOCK_IN_ORDER_STATES:
        raise ValidationError(
            {
                "order_line": _("Order %(number)s is “%(status)s”: its finished goods are not stocked in.")
                % {"number": order.number, "status": order.get_status_display()}
            }
        )
    qty = quantity_of(quantity)
    last = last_operation(line)
    product = line.product
    if last is None or product is None:
        raise ValidationError(
            {
                "order_line": _("Line %(line)s has no operations: it has not been planned.")
                % {"line": line.line_no}
            }
        )
    with transaction.atomic():
        _total_row(StockedInTotal, order_line=line, order=order)
        good = stock_in_lock(last)
        # The gates are asked under the lock, not before it: two stock-ins of the same line each
        # asking first would both see the passed units not yet stocked in and both take them.
        refusal = stock_in_refusal(line, qty)
        if refusal:
            raise ValidationError({"quantity": refusal})
        rows = StockedInTotal.objects.filter(order_line=line)
        if not rows.filter(quantity__lte=good - qty).update(quantity=F("quantity") + qty):
            done = rows.values_list("quantity", flat=True).get()
            raise ValidationError(
                {
                    "quantity": _(
                        "More than was reported good: the last operation (%(operation)s) reported "
                        "%(good)s good, %(done)s already stocked in, so at most %(left)s."
                    )
                    % {
                        "operation": last.name,
                        "good": fmt(good),
                        "done": fmt(done),
                        "left": fmt(max(good - done, ZERO)),
                    }
                }
            )
        movement = stock_move(
            actor=actor,
            warehouse=warehouse,
            quantity=qty,
            kind=MovementKind.PRODUCTION,
            product=product,
            reference=order.number,
        )
        record = FinishedGoodsIn.objects.create(
            order=order,
            order_line=line,
            product=product,
            warehouse=warehouse,
            quantity=qty,
            movement=movement,
            created_by=actor if getattr(actor, "pk", None) else None,
        )

        def audit_note() -> str:
            return _("%(product)s × %(qty)s into %(warehouse)s") % {
                "product": product,
                "qty": fmt(qty),
                "warehouse": warehouse,
            }

        _audit(actor, record, "finished_goods_in", audit_note)
        stocked_in_changed(order.pk)
    return record


def reversal_refusal(operation: OrderOperation) -> str | None:
    """The shop floor's guard (registered in apps.py): a report on an order line's last operation may
    not be reversed below what the warehouse has stocked in of it."""
    if not operation.job_key.startswith("L") or operation.order_line_id is None:
        return None
    line = OrderLine.objects.filter(pk=operation.order_line_id).first()
    if line is None or (last := last_operation(line)) is None or last.pk != operation.pk:
        return None
    done = stocked_in_of(line)
    if operation.good_qty >= done:
        return None
    return _(
        "%(done)s of order line %(line)s are already stocked in, more than the %(good)s good units "
        "the last operation would report after the reversal: reverse the stock-in first."
    ) % {"done": fmt(done), "line": line.line_no, "good": fmt(operation.good_qty)}


def finished_goods_reverse(*, actor, record_id: Any, reason: str) -> FinishedGoodsIn:
    """Reverse a stock-in booked by mistake: the goods leave the stock again (never below zero: what
    was issued or shipped meanwhile cannot be reversed) and the order line may stock them in again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the stock-in is reversed.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("At most 300 characters.")})
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        pk = 0
    record = (
        FinishedGoodsIn.objects.restrict(actor, "view")
        .select_related("order", "product", "warehouse")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise ValidationError({"record": _("No such stock-in.")})
    require(actor, FinishedGoodsIn, "add")  # who stocks in corrects it
    with transaction.atomic():
        won = FinishedGoodsIn.objects.filter(pk=record.pk, reversed_at__isnull=True).update(
            reversed_at=timezone.now(),
            reversed_by=actor if getattr(actor, "pk", None) else None,
            reverse_reason=reason,
        )
        if not won:
            raise WorkflowConflict(_("This stock-in has already been reversed."))
        if not StockedInTotal.objects.filter(
            order_line_id=record.order_line_id, quantity__gte=record.quantity
        ).update(quantity=F("quantity") - record.quantity):
            raise WorkflowConflict(_("The stocked-in total would become negative; reload and try again."))
        try:
            movement = stock_move(
                actor=actor,
                warehouse=record.warehouse,
                quantity=-record.quantity,
                kind=MovementKind.ADJUSTMENT,
                product=record.product,
                reference=record.order.number,
                note=reason,
            )
        except ValidationError as exc:
            raise ValidationError(
                {
                    "quantity": _(
                        "%(qty)s of %(product)s are no longer all in %(warehouse)s (issued or shipped "
                        "since): %(why)s"
                    )
                    % {
                        "qty": fmt(record.quantity),
                        "product": record.product,
                        "warehouse": record.warehouse,
                        "why": " ".join(exc.messages),
                    }
                }
            ) from None
        FinishedGoodsIn.objects.filter(pk=record.pk).update(reversal_movement=movement)
        record.refresh_from_db()
        _audit(actor, record, "finished_goods_reversed", lambda: reason)
        stocked_in_changed(record.order_id)
    return record


# ---------------------------------------------------------------- production asks for an issue


def issue_request(*, actor, order: Order | int, note: str = "") -> Order:
    """Production asks the warehouse to issue an order's material now: the keepers and the
    warehouse's chat group are told, with the picking list's link; the order's timeline shows it."""
    if actor is not None and not MaterialIssue.objects.all().role_allows(actor, "request"):
        raise PermissionDenied(_("You may not do this."))
    pk = order.pk if isinstance(order, Order) else order
    found = (Order.objects.all() if actor is None else visible_orders(actor)).filter(pk=pk).first()
    if found is None:
        raise ValidationError({"order": _("No such order.")})
    _check_issuable(found)
    if not Plan.objects.filter(order=found, in_force__isnull=False).exists():
        raise ValidationError(
            {
                "order": _("Order %(number)s has no plan in force: nothing to pick yet.")
                % {"number": found.number}
            }
        )
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("At most 200 characters.")})
    name = getattr(actor, "display_name", "") or getattr(actor, "username", "") or "-"
    with transaction.atomic():
        audit_record(
            actor=actor,
            obj=found,
            action="issue_requested",
            note=lambda: (
                _("Material asked for: %(note)s") % {"note": note} if note else _("Material asked for")
            ),
            scope=f"order:{found.pk}",
        )
        notify(
            event="stores.issue_requested",
            recipients=User.objects.filter(department__kind=DepartmentKind.WAREHOUSE, is_active=True),
            departments=Department.objects.filter(kind=DepartmentKind.WAREHOUSE),
            title=lambda lang, n=found.number: _("Issue material to %(order)s") % {"order": n},
            body=lambda lang, who=name, text=note: (
                _("%(name)s asks for the material: %(note)s") % {"name": who, "note": text}
                if text
                else _("%(name)s asks for the material.") % {"name": who}
            ),
            url=reverse("stores:order", args=[found.pk]),
            obj=found,
        )
    return found
