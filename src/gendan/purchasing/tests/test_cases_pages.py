"""Supplier cases on the pages and in the API: the same rules, refusals and workflow as the
services (403 for a role that may not, 404 for a case one may not see, 409 on a conflict, 400
naming the field, nothing changed)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from gendan.inventory.models import StockMovement
from gendan.purchasing.choices import CaseKind, CaseStatus
from gendan.purchasing.models import SupplierCase
from gendan.purchasing.services import cases as svc

from .test_cases_fixtures import buying_fixture  # noqa: F401 - the `buying` fixture

pytestmark = pytest.mark.django_db
D = Decimal
S = CaseStatus
API = "/api/supplier-cases/"


def _en(response) -> str:
    return response.content.decode()


def _reads_english(user) -> None:
    """The user keeps English as his language: the pages, messages and errors he gets are in English."""
    user.language = "en"
    user.save(update_fields=["language"])


# --- pages ---------------------------------------------------------------------------------------


def test_the_case_list_shows_cases_to_those_who_read_them(buying, client_for):
    case = buying.case()
    with translation.override("en"):
        for role in ("purchasing", "quality", "merchandiser", "warehouse", "management", "admin"):
            response = client_for(role).get(reverse("purchasing:case_list"))
            assert response.status_code == 200, role
            assert case.number in _en(response)
        for role in ("production", "logistics"):
            assert client_for(role).get(reverse("purchasing:case_list")).status_code == 403


def test_the_list_filters_and_survives_bad_filters(buying, client_for, users):
    open_case = buying.case()
    closed = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.RETURN)
    svc.case_return_record(actor=users["purchasing"], case=closed, returned_on=timezone.localdate())
    client = client_for("purchasing")
    page = _en(client.get(reverse("purchasing:case_list"), {"state": "closed"}))
    assert closed.number in page and open_case.number not in page
    for bad in (
        {"supplier": "999999"},
        {"supplier": "x"},
        {"status": "nope"},
        {"overdue": "maybe"},
        {"page": "z"},
    ):
        response = client.get(reverse("purchasing:case_list"), bad)
        assert response.status_code == 200, bad
    htmx = client.get(reverse("purchasing:case_list"), {"state": "open"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and 'id="case-rows"' in _en(htmx) and "<html" not in _en(htmx)


def test_a_merchandiser_opens_his_orders_cases_only(buying, client_for, make):
    mine = buying.case()
    theirs = buying.case(order=buying.released_order(make.user(role="merchandiser")))
    client = client_for("merchandiser")
    assert client.get(reverse("purchasing:case_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("purchasing:case_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("purchasing:case_detail", args=[999999])).status_code == 404


def test_the_detail_offers_each_role_its_steps(buying, client_for, users):
    case = buying.case()
    url = reverse("purchasing:case_detail", args=[case.pk])
    decide = reverse("purchasing:case_decide", args=[case.pk])
    approve = reverse("purchasing:case_approve", args=[case.pk])
    with translation.override("en"):
        page = _en(client_for("purchasing").get(url))
        assert decide in page and case.receipt.number in page
        assert decide not in _en(client_for("quality").get(url))
        svc.case_decide(actor=users["purchasing"], case=case, kind=CaseKind.CONCESSION)
        assert approve in _en(client_for("quality").get(url))
        assert approve not in _en(client_for("purchasing").get(url))
        _reads_english(users["purchasing"])
        assert "Supplier case decided" in _en(client_for("purchasing").get(url))  # the history


def test_purchasing_decides_on_the_page_and_others_are_refused(buying, client_for, users):
    case = buying.case()
    url = reverse("purchasing:case_decide", args=[case.pk])
    assert client_for("purchasing").get(url).status_code == 405
    assert client_for("quality").post(url, {"kind": "return"}).status_code == 403
    case.refresh_from_db()
    assert case.status == S.OPEN
    response = client_for("purchasing").post(url, {"kind": "replacement", "note": "send new ones"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.kind) == (S.AWAITING_REPLACEMENT, CaseKind.REPLACEMENT)
    # The history names who decided as the pages name people, not by his log-in name.
    page = client_for("purchasing").get(reverse("purchasing:case_detail", args=[case.pk])).content.decode()
    history = page.split('class="workflow-history"')[1]
    assert str(users["purchasing"]) in history and f": {users['purchasing'].username} ·" not in history


def test_bad_input_on_the_page_is_named_and_changes_nothing(buying, client_for, users):
    case = buying.case()
    _reads_english(users["purchasing"])
    client = client_for("purchasing")
    with translation.override("en"):
        response = client.post(
            reverse("purchasing:case_decide", args=[case.pk]), {"kind": "burn"}, follow=True
        )
        assert "Disposition" in _en(response)
        case.refresh_from_db()
        assert case.status == S.OPEN
        client.post(reverse("purchasing:case_decide", args=[case.pk]), {"kind": "return", "redeliver": "on"})
        response = client.post(
            reverse("purchasing:case_return", args=[case.pk]), {"returned_on": "2099-01-01"}, follow=True
        )
        assert "returned_on" in _en(response)
    case.refresh_from_db()
    assert case.status == S.AWAITING_RETURN


def test_quality_s_manager_approves_a_concession_on_the_page(buying, client_for, users):
    case = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.CONCESSION)
    url = reverse("purchasing:case_approve", args=[case.pk])
    assert client_for("purchasing").post(url).status_code == 403
    assert client_for("quality").post(url, {"note": "ok"}).status_code == 302
    case.refresh_from_db()
    assert case.status == S.CLOSED
    assert StockMovement.objects.filter(reference=case.number, quantity=D(40)).exists()


# --- API -----------------------------------------------------------------------------------------


def test_the_api_lists_what_the_page_lists(buying, api_for, make):
    mine = buying.case()
    buying.case(order=buying.released_order(make.user(role="merchandiser")))
    rows = api_for("merchandiser").get(API).json()
    numbers = [r["number"] for r in rows.get("results", rows)]
    assert numbers == [mine.number]
    assert api_for("production").get(API).status_code == 403
    assert api_for("purchasing").get(f"{API}?state=bad").status_code == 400
    assert api_for("purchasing").get(f"{API}?supplier=1{'0' * 30}").status_code == 400
    assert api_for("purchasing").get(f"{API}?ordering=quantity").status_code == 200
    detail = api_for("purchasing").get(f"{API}{mine.pk}/").json()
    assert (detail["status"], detail["quantity"], detail["remaining_qty"]) == ("open", "40.0000", "40.0000")


def test_the_api_takes_the_same_steps_with_the_same_refusals(buying, api_for, users, make):
    case = buying.case()
    purchasing = api_for("purchasing")
    bad = purchasing.post(f"{API}{case.pk}/decide/", {"kind": "burn"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()
    assert (
        api_for("quality").post(f"{API}{case.pk}/decide/", {"kind": "return"}, format="json").status_code
        == 403
    )
    stale = SupplierCase.objects.get(pk=case.pk)
    ok = purchasing.post(f"{API}{case.pk}/decide/", {"kind": "concession", "note": "colour"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == S.AWAITING_APPROVAL
    # The status it has now allows no second decision: a conflict.
    assert purchasing.post(f"{API}{case.pk}/decide/", {"kind": "return"}, format="json").status_code == 409
    assert stale.status == S.OPEN
    assert purchasing.post(f"{API}{case.pk}/approve/", {}, format="json").status_code == 403
    assert api_for("quality").post(f"{API}{case.pk}/reject/", {}, format="json").status_code == 400
    approved = api_for("quality").post(f"{API}{case.pk}/approve/", {"note": "fine"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == S.CLOSED
    hidden = buying.case(order=buying.released_order(make.user(role="merchandiser")))
    assert api_for("merchandiser").get(f"{API}{hidden.pk}/").status_code == 404


def test_the_api_records_a_return_and_refuses_a_future_date(buying, api_for, users):
    case = svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.RETURN)
    purchasing = api_for("purchasing")
    late = purchasing.post(f"{API}{case.pk}/record-return/", {"returned_on": "2099-01-01"}, format="json")
    assert late.status_code == 400 and "returned_on" in late.json()
    done = purchasing.post(
        f"{API}{case.pk}/record-return/",
        {"returned_on": timezone.localdate().isoformat(), "carrier": "SF"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == S.CLOSED


def test_the_order_s_dossier_and_the_receipt_link_to_their_cases(buying, users):
    from gendan.core.registry import record_links

    case = buying.case()
    svc.case_decide(actor=users["purchasing"], case=buying.case(), kind=CaseKind.RETURN)
    with translation.override("en"):
        links = [text for text, _url in record_links(users["merchandiser"], buying.order)]
        assert "Supplier cases (2, 2 open)" in links
        assert record_links(users["merchandiser"], case.receipt) == [
            (f"Supplier case {case.number}", reverse("purchasing:case_detail", args=[case.pk]))
        ]
    # Whoever may not read the cases gets no link.
    assert not [t for t, _u in record_links(users["production"], buying.order) if "Supplier" in str(t)]
    other = buying.released_order(users["merchandiser"])
    assert [str(t) for t, _u in record_links(users["merchandiser"], other) if "Supplier" in str(t)] == []
