"""The audit trail page: newest first, 50 a page, narrowed by the name of who made the change."""

import pytest

from gendan.core.models import AuditEntry
from gendan.core.selectors import audit_page
from gendan.core.services import record_create
from gendan.masterdata.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(users):
    for n in range(55):
        record_create(actor=users["merchandiser"], model=Customer, data={"code": f"M{n:02}", "name": "m"})
    for n in range(3):
        record_create(actor=users["production"], model=Customer, data={"code": f"P{n}", "name": "p"})


def test_the_audit_trail_pages_and_filters_by_user_name(client_management, changes):
    first = client_management.get("/audit/").context["entries"]
    assert (first.number, first.paginator.num_pages, len(first.object_list)) == (1, 2, 50)
    assert first.object_list[0].object_repr == "P2 p"  # newest first
    second = client_management.get("/audit/?page=2").context["entries"]
    assert len(second.object_list) == 8

    narrowed = client_management.get("/audit/?user=  product ").context
    assert narrowed["user_q"] == "product"
    assert [e.object_repr for e in narrowed["entries"]] == ["P2 p", "P1 p", "P0 p"]
    page = client_management.get("/audit/?user=production&page=2").content.decode()
    assert "P0 p" in page  # past the last page: the last page


def test_the_audit_selector_gives_nothing_to_roles_that_may_not_read_it(users, changes):
    assert audit_page(user=users["management"]).paginator.count == AuditEntry.objects.count() == 58
    assert audit_page(user=users["merchandiser"]).paginator.count == 0
    assert audit_page(user=None).paginator.count == 0
