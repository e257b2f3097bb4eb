"""TV mode (R-4.1): an administrator makes a read-only link for a wall screen; it shows the board
without a login, on /tv/ only; its token is shown once and only its hash is kept; revoked, the
page is a 404 and the running screen is told (410); links are audited. The per-work-centre board
shows today's and tomorrow's operations in planned order with what is next."""

import datetime as dt
import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.shopfloor.models import BoardLink
from gendan.shopfloor.services_board import board_link_create, board_link_revoke

from .board_factories import BoardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def f(make, users):
    return BoardFactory(make, users["merchandiser"])


def _create(client, **data):
    response = client.post("/board/links/", {"name": "总装车间东墙", "scope": "factory", **data})
    assert response.status_code == 200, response.content[:300]
    url = re.search(r'value="(http[^"]+/tv/[^"]+/)"', response.content.decode()).group(1)
    return url.split("/tv/")[1].rstrip("/")


def test_administrator_creates_a_link_shown_once_and_only_its_hash_is_kept(client_admin, users):
    token = _create(client_admin)
    link = BoardLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(BoardLink.objects.values_list()))
    listing = client_admin.get("/board/links/").content.decode()
    assert "总装车间东墙" in listing and token not in listing
    assert AuditEntry.objects.filter(action="create", object_id=str(link.pk), actor=users["admin"]).exists()


@pytest.mark.parametrize("role", ["merchandiser", "production", "management"])
def test_only_the_administrator_manages_links(client_for, role):
    client = client_for(role)
    assert client.get("/board/links/").status_code == 403
    assert client.post("/board/links/", {"name": "x", "scope": "factory"}).status_code == 403
    assert not BoardLink.objects.exists()


def test_a_link_shows_the_board_without_a_login_and_nothing_else(f, client_admin):
    order = f.order()
    f.operations(order)
    f.plan(order, finish_in_days=40)
    token = _create(client_admin)
    screen = Client()

    page = screen.get(f"/tv/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-tv" in html and 'data-src="data/"' in html and "shopfloor/board.js" in html
    assert "data-l-stale" in html and "data-l-revoked" in html
    assert "<a " not in html and "<script>" not in html  # no links out, no inline script
    data = screen.get(f"/tv/{token}/data/").json()
    assert data["rows"][0]["number"] == order.number and data["rows"][0]["risk"] == "red"
    assert "987.65" not in str(data) and "price" not in str(data)
    assert "merchandiser" not in data["rows"][0]  # the work, not who owns it
    assert BoardLink.objects.get().last_seen_at is not None
    # The token opens nothing else: not a session, not the board, not the API.
    assert screen.get(f"/board/?token={token}").status_code == 302
    assert screen.get("/board/").status_code == 302
    assert screen.get("/api/board/", HTTP_AUTHORIZATION=f"Token {token}").status_code in (401, 403)
    assert "_auth_user_id" not in screen.session


def test_revoked_or_unknown_links_are_404_and_the_screen_is_told(client_admin, users):
    token = _create(client_admin)
    link = BoardLink.objects.get()
    screen = Client()
    assert screen.get(f"/tv/{token}/data/").status_code == 200

    response = client_admin.post(f"/board/links/{link.pk}/revoke/")
    assert response.status_code == 302
    assert screen.get(f"/tv/{token}/").status_code == 404
    gone = screen.get(f"/tv/{token}/data/")
    assert gone.status_code == 410 and gone.json() == {"error": "revoked"}
    assert screen.get("/tv/not-a-token/").status_code == 404
    assert screen.get("/tv/not-a-token/data/").status_code == 404
    assert screen.get("/tv/" + "x" * 300 + "/data/").status_code == 404
    assert AuditEntry.objects.filter(action="revoke", object_id=str(link.pk)).count() == 1
    with pytest.raises(WorkflowConflict):
        board_link_revoke(actor=users["admin"], link_id=link.pk)


def test_a_screen_needs_a_name_and_a_work_centre_when_it_shows_one(client_admin):
    response = client_admin.post("/board/links/", {"name": "", "scope": "work_centre"})
    assert response.status_code == 400 and not BoardLink.objects.exists()
    response = client_admin.post("/board/links/", {"name": "a", "scope": "nonsense"})
    assert response.status_code == 400
    assert (
        client_admin.post("/board/links/", {"name": "a", "scope": "factory", "work_centre": "x"}).status_code
        == 400
    )


def _op_today(f, order, op, *, hours_from_now, length=2, centre=None):
    version = order.plan.in_force
    now = timezone.now()
    # Not before today's start: just after midnight, "three hours ago" is yesterday, off the board.
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time()))
    start = max(now + dt.timedelta(hours=hours_from_now), midnight)
    f.place(version, op, start=start, end=start + dt.timedelta(hours=length), work_centre=centre)


def test_work_centre_board_lists_today_and_tomorrow_in_planned_order_with_what_is_next(
    f, make, client_production
):
    press = make.work_centre(code="PRESS1")
    order = f.order()
    cut, assemble, pack = f.operations(order)
    f.plan(order, finish_in_days=30)
    _op_today(f, order, cut, hours_from_now=-3, centre=press)
    _op_today(f, order, assemble, hours_from_now=1, centre=press)
    _op_today(f, order, pack, hours_from_now=24 * 5, centre=press)  # next week: not shown
    f.report(cut, good=100, finished=True)

    html = client_production.get("/board/work-centres/PRESS1/").content.decode()
    table = html.split("<tbody>")[1]
    assert "注塑" in table and "装配" in table and "包装" not in html
    assert table.index("注塑") < table.index("装配")
    next_row = table.split('class="op-pending is-next"')[1]
    assert "装配" in next_row.split("</tr>")[0]
    assert "装配" in html.split('class="card board-next"')[1].split("</p>")[0]
    assert client_production.get("/board/work-centres/NOPE/").status_code == 404
    assert client_production.get("/board/work-centres/%3Cx%3E/").status_code == 404


def test_a_work_centre_screen_shows_that_centre_only(f, make, users):
    press = make.work_centre(code="PRESS2")
    order = f.order()
    cut, assemble, _pack = f.operations(order)
    f.plan(order, finish_in_days=30)
    _op_today(f, order, cut, hours_from_now=1, centre=press)
    _link, token = board_link_create(
        actor=users["admin"], name="冲压", scope="work_centre", work_centre=press
    )
    data = Client().get(f"/tv/{token}/data/").json()
    assert data["kind"] == "work_centre"
    assert [row["operation"] for row in data["rows"]] == ["注塑"]
    assert data["rows"][0]["is_next"] is True


def test_api_board_links(api_admin, api_merchandiser):
    created = api_admin.post("/api/board-links/", {"name": "装配线", "scope": "factory"}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["token"] and body["url"].endswith(f"/tv/{body['token']}/")
    listing = api_admin.get("/api/board-links/").json()
    assert body["token"] not in str(listing)
    assert api_merchandiser.get("/api/board-links/").status_code == 403
    assert api_merchandiser.post("/api/board-links/", {"name": "x"}, format="json").status_code == 403
    assert api_merchandiser.post(f"/api/board-links/{body['id']}/revoke/").status_code in (403, 404)
    revoked = api_admin.post(f"/api/board-links/{body['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert api_admin.post(f"/api/board-links/{body['id']}/revoke/").status_code == 409
    assert api_admin.post("/api/board-links/", {"name": "", "scope": "x"}, format="json").status_code == 400
