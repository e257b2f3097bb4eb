"""Supplier cases' part of the demo (step 65): the three lots rejected at incoming inspection in
step 64 (each case opened by the inspection) are worked on through the case services: one closed by
a replacement received against its case and inspected (accepted), one return under way, one
concession waiting for quality's manager. A second run adds nothing."""

import datetime as dt

from django.utils import timezone

from gendan.core.demo import DemoPart

from .choices import CaseKind, CaseStatus
from .models import SupplierCase
from .services.cases import case_decide
from .services.receiving import receipt_create


def build_cases(*, users, inspect_receipt=None, **_earlier) -> DemoPart:
    opened = SupplierCase.objects.filter(status=CaseStatus.OPEN).order_by("number")
    if users and not SupplierCase.objects.exclude(status=CaseStatus.OPEN).exists() and opened.count() >= 3:
        _cases(users, list(opened[:3]), inspect_receipt)
    return DemoPart(
        counts={
            "supplier cases": SupplierCase.objects.count(),
            "open supplier cases": SupplierCase.objects.exclude(status=CaseStatus.CLOSED).count(),
        }
    )


def _cases(users, cases: list[SupplierCase], inspect_receipt) -> None:
    purchaser = users["purchaser"]
    today = timezone.localdate()
    replaced, returned, conceded = cases
    # 1. A replacement, received against the case and accepted at inspection: the case closes.
    replaced = case_decide(actor=purchaser, case=replaced, kind=CaseKind.REPLACEMENT, note="供应商同意补发")
    replacement = receipt_create(
        actor=users["warehouse"],
        line=replaced.receipt.line,
        quantity=replaced.quantity,
        delivery_note="DN-R01",
        lot_no=f"{replaced.receipt.lot_no}-R"[:60],
        case=replaced,
    )
    if inspect_receipt is not None:
        inspect_receipt(replacement)
    # 2. A return decided: waiting for the goods to go back.
    case_decide(
        actor=purchaser,
        case=returned,
        kind=CaseKind.RETURN,
        note="整批退回，供应商重新安排生产",
        due_date=today + dt.timedelta(days=5),
    )
    # 3. A concession asked: quality's manager approves it (or not).
    case_decide(actor=purchaser, case=conceded, kind=CaseKind.CONCESSION, note="色差不影响装配，申请让步接收")
