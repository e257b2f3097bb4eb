"""The demo's supplier cases (step 65): the lots rejected at incoming inspection, one case closed by
a replacement received and inspected, one return under way, one concession waiting for quality's
manager, each on the served order's timeline."""

from gendan.core.models import AuditEntry
from gendan.purchasing.choices import CaseKind, CaseStatus, ReceiptStatus
from gendan.purchasing.models import SupplierCase
from gendan.quality.models import Inspection


def check_the_demo_has_a_case_in_each_state(demo):
    cases = sorted((c.kind, c.status) for c in SupplierCase.objects.all())
    assert cases == sorted(
        [
            (CaseKind.REPLACEMENT, CaseStatus.CLOSED),
            (CaseKind.RETURN, CaseStatus.AWAITING_RETURN),
            (CaseKind.CONCESSION, CaseStatus.AWAITING_APPROVAL),
        ]
    )
    # Every case is about a lot rejected at incoming inspection.
    for case in SupplierCase.objects.select_related("receipt"):
        assert case.receipt.status == ReceiptStatus.REJECTED
        assert Inspection.objects.filter(receipt=case.receipt, result="rejected").exists()
    replaced = SupplierCase.objects.get(kind=CaseKind.REPLACEMENT)
    replacement = replaced.replacements.get()
    assert replacement.line_id == replaced.receipt.line_id
    assert replacement.status == ReceiptStatus.ACCEPTED
    assert Inspection.objects.filter(receipt=replacement, result="accepted").exists()
    assert AuditEntry.objects.filter(scope__startswith="order:", action="case_replaced").exists()


def check_building_the_demo_again_adds_no_case(demo):
    from gendan.accounts.models import User
    from gendan.purchasing.demo_cases import build_cases

    before = list(SupplierCase.objects.order_by("pk").values_list("pk", "status"))
    build_cases(users={u.username: u for u in User.objects.all()})
    assert list(SupplierCase.objects.order_by("pk").values_list("pk", "status")) == before
