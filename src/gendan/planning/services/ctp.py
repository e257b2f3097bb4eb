"""Can we deliver? (R-2.3): a merchandiser asks whether the factory can make some products by a
date, before he accepts an order. The engine's capable-to-promise answers against the schedule in
force: yes or no, the earliest date (without moving anyone, and when squeezed in first), what
limits it, and the orders that would become late if it were squeezed in.

Every use of orders/engine_adapter.py's translation is in the functions below `factory_load`."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.i18n import bilingual, local_text, str_in_both
from gendan.engine.scheduler import Calendar, Problem, SchedulingError, capable_to_promise
from gendan.masterdata.models import Product
from gendan.orders import capacity, engine_adapter
from gendan.orders.choices import PRIORITY_WEIGHT, Priority
from gendan.orders.messages import limit_text
from gendan.orders.models import OrderLine

MAX_ITEMS = 10
MAX_QUANTITY = Decimal("10000000")
# Who may ask: merchandisers (they take orders), production planners and management.
CTP_PERMISSIONS = ("orders.add_order", "planning.change_plan", "orders.approve_changerequest")


def ctp_allowed(user) -> bool:
    return bool(user and user.is_authenticated) and any(user.has_perm(p) for p in CTP_PERMISSIONS)


@dataclass
class CtpItem:
    product: Product
    quantity: Decimal


@dataclass
class Impacted:
    """An order that would become (more) late if the request were squeezed in first."""

    order_id: int
    number: str
    customer: str
    delivery_date: dt.date | None
    days_later: int


@dataclass
class CtpAnswer:
    items: list[CtpItem]
    requested: dt.date
    priority: str
    possible: bool  # by the date, when squeezed in first
    without_delaying_others: bool  # by the date, in the free capacity only
    earliest: dt.date  # squeezed in first
    earliest_free: dt.date  # nobody else moves
    limit: str = ""  # orders.messages.LIMITS key, "" when nothing limits it
    limit_item: dict[str, str] | None = None
    impacts: list[Impacted] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def limit_text(self) -> str:
        if not self.limit:
            return ""
        return limit_text({"limit_kind": self.limit, "limit_item": local_text(self.limit_item or "")})

    @property
    def promise_date(self) -> dt.date:
        """The date we can promise the customer without making anyone else late."""
        return self.requested if self.without_delaying_others else self.earliest_free


# ---- Where "can we deliver?" uses orders/engine_adapter.py's translation of the factory (a request
# is products, not orders: no plans, pins or operations, so not services/jobs.py).


def factory_load():
    return engine_adapter.load_factory()


def factory_calendar(factory) -> Calendar:
    return Calendar.from_shifts(factory.origin, engine_adapter.HORIZON_DAYS, engine_adapter.DEFAULT_SHIFT)


def day_minutes(factory, day: dt.date | None) -> int | None:
    """The end of `day` in the engine's minutes."""
    return factory.day_end(day)


def product_jobs(
    factory, key: str, product_id: int, qty: Decimal, due: int | None, weight: int, release: int = 0
):
    """The engine's jobs of `qty` of a product: its sub-assemblies' jobs ("<key>.<n>…") first."""
    specs = engine_adapter.explode_jobs(factory, key, product_id, qty)
    return engine_adapter.jobs_of(specs, due=due, weight=weight, release=release)


def material_release(factory, product_id: int, qty: Decimal):
    return engine_adapter.material_release(factory, product_id, qty)


def _engine(items: list[CtpItem], requested: dt.date, weight: int):
    """The schedule in force, the request's jobs (with material dates), the engine's answer."""
    factory = factory_load()
    existing = engine_adapter.open_load(factory)
    problem = Problem(
        jobs=tuple(existing), work_centres=factory.work_centres, calendar=factory_calendar(factory)
    )
    in_force = capacity.schedule_in_force(problem, 1.5)
    due = day_minutes(factory, requested)
    assert due is not None
    new_jobs = []
    short = None
    for n, item in enumerate(items):
        release, material = material_release(factory, item.product.pk, item.quantity)
        short = short or material
        new_jobs.extend(product_jobs(factory, f"N{n}", item.product.pk, item.quantity, due, weight, release))
    if not new_jobs:
        raise ValidationError(_("None of these products has a routing: the factory cannot plan them."))
    answer = capable_to_promise(problem, in_force, new_jobs, due)
    return factory, answer, short


def _impacts(impacts) -> list[Impacted]:
    """The engine's impacted jobs ("L<line id>" or a sub-assembly "L<line id>.<n>") per order."""
    worst: dict[int, int] = {}
    for impact in impacts:
        root = impact.job.split(".")[0]
        if not root.startswith("L") or not root[1:].isdigit():
            continue
        minutes = impact.tardiness_after - impact.tardiness_before
        line_id = int(root[1:])
        worst[line_id] = max(worst.get(line_id, 0), minutes)
    lines = OrderLine.objects.filter(pk__in=worst).select_related("order__customer")
    by_order: dict[int, Impacted] = {}
    for line in lines:
        days = max(1, math.ceil(worst[line.pk] / 1440))
        seen = by_order.get(line.order_id)
        if seen is None or days > seen.days_later:
            by_order[line.order_id] = Impacted(
                order_id=line.order_id,
                number=line.order.number,
                customer=str(line.order.customer),
                delivery_date=line.delivery_date,
                days_later=days,
            )
    return sorted(by_order.values(), key=lambda i: (-i.days_later, i.number))


def ctp_ask(*, user, items: list[CtpItem], requested: dt.date, priority: str = Priority.NORMAL) -> CtpAnswer:
    """Can the factory make `items` by `requested`? Answers inline (the engine's CTP places the new
    work around the schedule in force with the dispatch builder: well under two seconds)."""
    if not ctp_allowed(user):
        raise PermissionDenied
    if not items:
        raise ValidationError({"items": _("Give at least one product and quantity.")})
    if len(items) > MAX_ITEMS:
        raise ValidationError({"items": _("At most %(n)d products at once.") % {"n": MAX_ITEMS}})
    for item in items:
        if not (0 < item.quantity <= MAX_QUANTITY):
            raise ValidationError({"items": _("Quantities must be above zero and reasonable.")})
    today = timezone.localdate()
    if requested < today or requested > today + dt.timedelta(days=engine_adapter.HORIZON_DAYS - 30):
        raise ValidationError({"date": _("Ask for a date between today and a year from now.")})
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Unknown priority.")})
    try:
        factory, answer, short = _engine(items, requested, PRIORITY_WEIGHT.get(priority, 2))
    except SchedulingError as exc:
        raise ValidationError(_("The factory's data cannot be planned: %(error)s") % {"error": exc}) from exc

    def day(minutes: int) -> dt.date:
        return (factory.origin + dt.timedelta(minutes=minutes)).date()

    limit, limit_item = "", None
    if answer.limits is not None:
        if answer.limits.kind == "material":
            limit, limit_item = ("material", str_in_both(short)) if short else ("materials", None)
        elif answer.limits.kind == "work_centre" and answer.limits.work_centre:
            centre = factory.centres.get(answer.limits.work_centre)
            limit = "work_centre"
            limit_item = str_in_both(centre) if centre else bilingual(answer.limits.work_centre)
        else:
            limit = "chain"
    elif short and not answer.without_delaying_others:
        limit, limit_item = "material", str_in_both(short)
    return CtpAnswer(
        items=items,
        requested=requested,
        priority=priority,
        possible=answer.possible,
        without_delaying_others=answer.without_delaying_others,
        earliest=day(answer.earliest),
        earliest_free=day(answer.earliest_free),
        limit=limit,
        limit_item=limit_item,
        impacts=_impacts(answer.impacts) if not answer.without_delaying_others else [],
        seconds=answer.seconds,
    )
