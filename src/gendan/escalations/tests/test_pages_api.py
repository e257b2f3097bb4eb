"""The escalation pages and API (R-4.4): the inbox (mine, all for management, filters, pages, a
fixed number of queries), one escalation, acknowledging and escalating by hand, another
department's escalation a 404, management's home listing open escalations first."""

import pytest

from gendan.escalations.choices import EscalationStatus, LevelRole, RuleKind
from gendan.escalations.models import Escalation
from gendan.escalations.services import escalation_raise, escalations_by_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(s, users):
    issue = s.issue()
    return escalation_raise(actor=users["production"], issue_id=issue.pk, reason="供应商不回复")


def test_the_inbox_shows_mine_and_management_all(raised, client_for):
    mine = client_for("purchasing").get("/escalations/")
    assert mine.status_code == 200 and raised.issue.number in mine.content.decode()
    assert raised.issue.number not in client_for("management").get("/escalations/").content.decode()
    every = client_for("management").get("/escalations/?mine=all")
    assert raised.issue.number in every.content.decode()
    assert client_for("management").get("/escalations/?status=nonsense&mine=all").status_code == 200


def test_the_inbox_takes_a_fixed_number_of_queries(s, users, client_for, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            issue = s.issue()
            escalation_raise(actor=users["production"], issue_id=issue.pk, reason="x")

    add(1)
    client = client_for("management")
    with django_assert_max_num_queries(30) as one:
        client.get("/escalations/?mine=all&state=all")
    add(15)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/escalations/?mine=all&state=all")
    assert response.content.decode().count("/escalations/") > 15


def test_another_departments_escalation_is_a_404(raised, client_for):
    assert client_for("warehouse").get(f"/escalations/{raised.pk}/").status_code == 404
    assert client_for("warehouse").post(f"/escalations/{raised.pk}/acknowledge/").status_code == 404
    assert client_for("purchasing").get(f"/escalations/{raised.pk}/").status_code == 200


def test_the_person_told_acknowledges_on_the_page(raised, client_for, users):
    page = client_for("purchasing").get(f"/escalations/{raised.pk}/").content.decode()
    assert f"/escalations/{raised.pk}/acknowledge/" in page
    response = client_for("purchasing").post(f"/escalations/{raised.pk}/acknowledge/", {"note": "马上处理"})
    assert response.status_code == 302
    raised.refresh_from_db()
    assert raised.status == EscalationStatus.ACKNOWLEDGED
    again = client_for("purchasing").post(f"/escalations/{raised.pk}/acknowledge/", follow=True)
    assert again.status_code == 200  # told it is already acknowledged, nothing changed
    assert Escalation.objects.get(pk=raised.pk).acknowledgement == "马上处理"


def test_escalating_by_hand_on_the_page_needs_a_reason(s, users, client_for):
    issue = s.issue()
    client = client_for("production")
    assert "/escalate/" in client.get(f"/escalations/issues/{issue.pk}/").content.decode()
    assert client.post(f"/escalations/issues/{issue.pk}/escalate/", {"reason": ""}).status_code == 400
    assert not Escalation.objects.exists()
    response = client.post(f"/escalations/issues/{issue.pk}/escalate/", {"reason": "三天无进展"})
    assert response.status_code == 302
    assert Escalation.objects.get().role == LevelRole.DEPARTMENT_MANAGER
    assert (
        client_for("quality").post(f"/escalations/issues/{issue.pk}/escalate/", {"reason": "x"}).status_code
        == 403
    )


def test_the_api_lists_acknowledges_and_escalates(s, users, api_for):
    issue = s.issue()
    api = api_for("production")
    assert api.post("/api/escalations/", {"issue": issue.pk}, format="json").status_code == 400
    assert (
        api.post(
            "/api/escalations/", {"issue": issue.pk, "reason": "x", "status": "closed"}, format="json"
        ).status_code
        == 400
    )
    created = api.post("/api/escalations/", {"issue": issue.pk, "reason": "急"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "open"
    pk = created.json()["id"]
    assert (
        api_for("quality")
        .post("/api/escalations/", {"issue": issue.pk, "reason": "x"}, format="json")
        .status_code
        == 403
    )
    assert api_for("warehouse").get(f"/api/escalations/{pk}/").status_code == 404
    listed = api_for("purchasing").get("/api/escalations/").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    assert api_for("quality").post(f"/api/escalations/{pk}/acknowledge/", {}, format="json").status_code in (
        403,
        404,
    )
    done = api_for("purchasing").post(f"/api/escalations/{pk}/acknowledge/", {"note": "好"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    again = api_for("purchasing").post(f"/api/escalations/{pk}/acknowledge/", {}, format="json")
    assert again.status_code == 409


def test_the_api_sets_up_rules_for_management_only(s, api_for):
    body = {
        "code": "API",
        "name": "接口",
        "kind": "overdue",
        "threshold": 2,
        "ladder": s.ladder.pk,
        "level": 1,
    }
    assert api_for("production").post("/api/escalation-rules/", body, format="json").status_code == 403
    assert api_for("management").post("/api/escalation-rules/", body, format="json").status_code == 201
    twin = body | {"code": "API2"}
    response = api_for("management").post("/api/escalation-rules/", twin, format="json")
    assert response.status_code == 400
    assert api_for("management").get("/api/escalation-ladders/").status_code == 200


def test_managements_home_shows_open_escalations_first(s, users, client_for):
    s.rule(RuleKind.SEVERITY, min_severity="high", level=3)
    issue = s.issue(severity="critical")
    escalations_by_rule()
    response = client_for("management").get("/")
    attention = response.context["attention"]
    assert attention[0].level == "danger" and attention[0].count == 1
    assert issue.number in attention[0].examples[0][0]
    assert "/escalations/" in attention[0].url


def test_managements_home_shows_escalations_it_was_not_told_of_before_anything_else(s, users, client_for):
    s.rule(RuleKind.SEVERITY, min_severity="high", level=1)  # to the department's manager only
    issue = s.issue(severity="critical")  # also a critical issue, on management's home
    escalations_by_rule()
    attention = client_for("management").get("/").context["attention"]
    assert len(attention) > 1
    assert attention[0].url.endswith("?mine=all") and issue.number in attention[0].examples[0][0]


def test_the_menu_offers_escalations(client_for):
    page = client_for("management").get("/").content.decode()
    assert "/escalations/" in page and "/escalations/rule/" in page
    assert "/escalations/rule/" not in client_for("production").get("/").content.decode()


def test_the_person_told_sees_it_first_on_his_home(raised, client_for):
    attention = client_for("purchasing").get("/").context["attention"]
    assert attention[0].level == "danger" and attention[0].url.endswith("?mine=mine")
    assert not [i for i in client_for("warehouse").get("/").context["attention"] if "escalations" in i.url]


def test_the_orders_dossier_and_the_issue_link_to_their_escalations(s, users, client_for):
    from gendan.escalations.links import issue_links, order_links

    order = s.f.order()
    issue = s.issue(order=order)
    escalation_raise(actor=users["production"], issue_id=issue.pk, reason="交期紧")
    assert order_links(users["merchandiser"], order)[0][0] == "升级（1）"
    assert issue_links(users["purchasing"], issue)[0][1] == f"/escalations/issues/{issue.pk}/"
    page = client_for("merchandiser").get(f"/escalations/issues/{issue.pk}/")
    assert page.status_code == 200 and issue.number in page.content.decode()


def test_the_periodic_task_runs_the_tick(s):
    from gendan.escalations.tasks import escalations_tick_task

    s.rule(RuleKind.SEVERITY, min_severity="high")
    s.issue(severity="high")
    result = escalations_tick_task.enqueue()
    assert result.return_value == {"closed": 0, "raised": 1, "climbed": 0}
