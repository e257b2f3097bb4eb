"""The demo's supplier cases (step 65): one closed by an accepted replacement, one return under
way, one concession waiting for quality's manager, each on the served order's timeline."""

import pytest

from gendan.core.models import AuditEntry
from gendan.purchasing.choices import CaseKind, CaseStatus
from gendan.purchasing.models import SupplierCase

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_case_in_each_state(demo_factory):
    cases = {(c.kind, c.status) for c in SupplierCase.objects.all()}
    assert cases == {
        (CaseKind.REPLACEMENT, CaseStatus.CLOSED),
        (CaseKind.RETURN, CaseStatus.AWAITING_RETURN),
        (CaseKind.CONCESSION, CaseStatus.AWAITING_APPROVAL),
    }
    replaced = SupplierCase.objects.get(kind=CaseKind.REPLACEMENT)
    assert replaced.replacements.count() == 1
    assert AuditEntry.objects.filter(scope__startswith="order:", action="case_replaced").exists()


def test_building_the_demo_again_adds_no_case(demo_factory):
    from gendan.purchasing.demo_cases import build_cases

    before = SupplierCase.objects.count()
    build_cases(users={})
    assert SupplierCase.objects.count() == before
