"""Which supplier a proposed purchase goes to (R-3.2), and why.

`suggest()` is a pure function on plain data: among the material's approved, non-archived
suppliers it prefers, in this order, one who can deliver by the need date (ordering on the order-by
date, or today when that has passed, plus his lead time), then the better scorecard figure (a
supplier without one ranks after those with one), then a preferred supplier, then the lower price
(an unknown price last); the quantity is raised to his minimum order quantity. The reason is kept
as short codes (`in_time`, `late`, `score:82.5`, `preferred`, `cheapest`, `moq:100`, `only`) and
worded in the reader's language when shown (`reason_text`). `offers_for()` reads the candidates of
many materials in one query."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

ZERO = Decimal(0)


@dataclass(frozen=True)
class Offer:
    supplier_id: int
    lead_time_days: int
    unit_price: Decimal | None = None
    min_order_qty: Decimal = ZERO
    preferred: bool = False
    code: str = ""


@dataclass(frozen=True)
class Suggestion:
    supplier_id: int
    quantity: Decimal
    unit_price: Decimal | None
    arrives: dt.date
    reason: str  # codes, comma separated; worded by reason_text()


def suggest(
    offers: Iterable[Offer],
    *,
    quantity: Decimal,
    order_by: dt.date,
    need_date: dt.date,
    today: dt.date,
    scores: dict[int, Decimal] | None = None,
) -> Suggestion | None:
    """The best offer for buying `quantity` needed by `need_date`, or None without any offer."""
    offers = list(offers)
    if not offers:
        return None
    scores = scores or {}
    start = max(order_by, today)

    def arrives(o: Offer) -> dt.date:
        return start + dt.timedelta(days=o.lead_time_days)

    def key(o: Offer):
        score = scores.get(o.supplier_id)
        return (
            arrives(o) > need_date,
            score is None,
            -(score or ZERO),
            not o.preferred,
            o.unit_price is None,
            o.unit_price or ZERO,
            o.lead_time_days,
            o.code,
            o.supplier_id,
        )

    ranked = sorted(offers, key=key)
    best = ranked[0]
    codes = ["in_time" if arrives(best) <= need_date else "late"]
    if len(ranked) == 1:
        codes.append("only")
    score = scores.get(best.supplier_id)
    if score is not None:
        codes.append(f"score:{score.normalize():f}" if isinstance(score, Decimal) else f"score:{score}")
    if best.preferred:
        codes.append("preferred")
    prices = [o.unit_price for o in offers if o.unit_price is not None]
    if len(ranked) > 1 and best.unit_price is not None and best.unit_price == min(prices):
        codes.append("cheapest")
    bought = quantity
    if best.min_order_qty and best.min_order_qty > quantity:
        bought = best.min_order_qty
        codes.append(f"moq:{best.min_order_qty.normalize():f}")
    return Suggestion(
        supplier_id=best.supplier_id,
        quantity=bought,
        unit_price=best.unit_price,
        arrives=arrives(best),
        reason=",".join(codes),
    )


def reason_text(codes: str) -> str:
    """The reason in the reader's language."""
    words = []
    for code in filter(None, (codes or "").split(",")):
        name, _sep, value = code.partition(":")
        if name == "in_time":
            words.append(_("can deliver by the need date"))
        elif name == "late":
            words.append(_("no supplier can deliver by the need date; the soonest"))
        elif name == "only":
            words.append(_("the only supplier of this material"))
        elif name == "score":
            words.append(_("score %(score)s") % {"score": value})
        elif name == "preferred":
            words.append(_("preferred supplier"))
        elif name == "cheapest":
            words.append(_("lowest price"))
        elif name == "moq":
            words.append(_("raised to his minimum order quantity %(qty)s") % {"qty": value})
    return pgettext("between reasons", "; ").join(words)  # Chinese: the full-width ；


def offers_for(material_ids: Iterable[int]) -> dict[int, list[Offer]]:
    """The approved, non-archived suppliers' offers of each material (one query)."""
    from gendan.masterdata.models import SupplierMaterial

    found: dict[int, list[Offer]] = defaultdict(list)
    rows = SupplierMaterial.objects.filter(
        material_id__in=list(material_ids),
        is_archived=False,
        supplier__is_archived=False,
        supplier__is_approved=True,
    ).values_list(
        "material_id",
        "supplier_id",
        "lead_time_days",
        "unit_price",
        "min_order_qty",
        "is_preferred",
        "supplier__code",
    )
    for material, supplier, lead, price, moq, preferred, code in rows:
        found[material].append(Offer(supplier, lead or 0, price, moq or ZERO, preferred, code))
    return found
