"""The warehouse's pages as each role meets them: who reads, who issues and stocks in, a record
one may not see is a 404, every change is a POST, and bad input is a message with nothing changed."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.stores.models import FinishedGoodsIn, MaterialIssue

from .conftest import on_hand

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def ready(store):
    o = store.order(needs=(("100", 5), ("40", 9)))
    w1, w2 = store.warehouses(2)
    store.stock(o.materials[0], w1, "60")
    store.stock(o.materials[0], w2, "70")
    store.stock(o.materials[1], w2, "10")
    o.w1, o.w2 = w1, w2
    return o


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _reads_english(user) -> None:
    """The user keeps English as his language: the messages he gets are worded in English."""
    user.language = "en"
    user.save(update_fields=["language"])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("warehouse", 200),
        ("production", 200),
        ("merchandiser", 200),
        ("management", 200),
        ("admin", 200),
        ("logistics", 403),
        ("quality", 403),
        ("purchasing", 403),
    ],
)
def test_who_reads_the_picking_list(ready, client_for, role, status):
    response = client_for(role).get(reverse("stores:order", args=[ready.order.pk]))
    assert response.status_code == status
    if status == 200:
        assert ready.materials[0].code in response.content.decode()


def test_another_merchandisers_order_is_a_404(ready, client_for, departments):
    other = User.objects.create(
        username="m2", role=Role.MERCHANDISER, department=departments["merchandising"]
    )
    Order.objects.filter(pk=ready.order.pk).update(merchandiser=other)
    assert client_for("merchandiser").get(reverse("stores:order", args=[ready.order.pk])).status_code == 404
    assert client_for("warehouse").get(reverse("stores:order", args=[999999])).status_code == 404


def test_the_keeper_issues_what_the_page_suggests(ready, client_for, users):
    _reads_english(users["warehouse"])
    page = client_for("warehouse").get(reverse("stores:order", args=[ready.order.pk])).content.decode()
    steel, seal = ready.materials
    assert f'name="q-{steel.pk}-{ready.w1.pk}"' in page and 'value="60"' in page and 'value="40"' in page
    response = client_for("warehouse").post(
        reverse("stores:issue", args=[ready.order.pk]),
        {
            f"q-{steel.pk}-{ready.w1.pk}": "60",
            f"q-{steel.pk}-{ready.w2.pk}": "40",
            f"q-{seal.pk}-{ready.w2.pk}": "10",
        },
        follow=True,
    )
    assert "3 rows issued" in " ".join(_messages(response))
    assert (on_hand(steel, ready.w1), on_hand(steel, ready.w2), on_hand(seal, ready.w2)) == (
        D(0),
        D(30),
        D(0),
    )


def test_a_bad_row_issues_nothing_and_says_which(ready, client_for, users):
    _reads_english(users["warehouse"])
    steel, seal = ready.materials
    response = client_for("warehouse").post(
        reverse("stores:issue", args=[ready.order.pk]),
        {f"q-{steel.pk}-{ready.w1.pk}": "10", f"q-{seal.pk}-{ready.w2.pk}": "11"},
        follow=True,
    )
    text = " ".join(_messages(response))
    assert "Row 2" in text and seal.code in text
    assert not MaterialIssue.objects.exists()
    response = client_for("warehouse").post(
        reverse("stores:issue", args=[ready.order.pk]), {f"q-{steel.pk}-99999999": "1"}, follow=True
    )
    assert "does not exist" in " ".join(_messages(response))
    response = client_for("warehouse").post(reverse("stores:issue", args=[ready.order.pk]), {}, follow=True)
    assert "at least one row" in " ".join(_messages(response))


def test_readers_may_not_post(ready, client_for):
    steel, _seal = ready.materials
    for role in ("production", "merchandiser"):
        client = client_for(role)
        assert (
            client.post(
                reverse("stores:issue", args=[ready.order.pk]), {f"q-{steel.pk}-{ready.w1.pk}": "1"}
            ).status_code
            == 403
        )
        assert client.post(reverse("stores:finished_in", args=[ready.order.pk]), {}).status_code == 403
    assert client_for("warehouse").get(reverse("stores:issue", args=[ready.order.pk])).status_code == 405
    assert on_hand(steel, ready.w1) == D(60)


def test_return_and_finished_goods_in_from_the_page(ready, client_for, users):
    _reads_english(users["warehouse"])
    steel, _seal = ready.materials
    client = client_for("warehouse")
    client.post(reverse("stores:issue", args=[ready.order.pk]), {f"q-{steel.pk}-{ready.w1.pk}": "50"})
    response = client.post(
        reverse("stores:return", args=[ready.order.pk]),
        {"material": steel.pk, "warehouse": ready.w2.pk, "quantity": "5"},
        follow=True,
    )
    assert "taken back" in " ".join(_messages(response))
    assert on_hand(steel, ready.w2) == D(75)

    ready.report_good("20")
    listing = client.get(reverse("stores:finished")).content.decode()
    assert ready.order.number in listing
    response = client.post(
        reverse("stores:finished_in", args=[ready.order.pk]),
        {"order_line": ready.line.pk, "warehouse": ready.w1.pk, "quantity": "21", "back": "list"},
        follow=True,
    )
    assert "at most 20" in " ".join(_messages(response))
    response = client.post(
        reverse("stores:finished_in", args=[ready.order.pk]),
        {"order_line": ready.line.pk, "warehouse": ready.w1.pk, "quantity": "20"},
        follow=True,
    )
    assert "stocked in" in " ".join(_messages(response))
    assert FinishedGoodsIn.objects.get().quantity == D(20)
    response = client.post(
        reverse("stores:finished_in", args=[ready.order.pk]),
        {"order_line": "x", "warehouse": ready.w1.pk, "quantity": "abc"},
        follow=True,
    )
    assert response.status_code == 200 and FinishedGoodsIn.objects.count() == 1


def test_the_picking_list_prints_in_chinese_and_in_english(ready, client_for):
    client = client_for("production")
    for query in ("", "?lang=en"):
        response = client.get(reverse("stores:order_pdf", args=[ready.order.pk]) + query)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_the_orders_list_and_the_dossier_link(ready, client_for):
    page = client_for("warehouse").get(reverse("stores:orders")).content.decode()
    assert ready.order.number in page and "0 / 2" in page
    dossier = (
        client_for("merchandiser").get(reverse("orders:order_detail", args=[ready.order.pk])).content.decode()
    )
    assert reverse("stores:order", args=[ready.order.pk]) in dossier
    dossier = (
        client_for("logistics").get(reverse("orders:order_detail", args=[ready.order.pk])).content.decode()
    )
    assert reverse("stores:order", args=[ready.order.pk]) not in dossier


def test_production_asks_the_warehouse_to_issue_and_the_keepers_are_told(ready, client_for, users):
    from gendan.core.models import AuditEntry
    from gendan.notifications.models import Notification

    _reads_english(users["production"])
    response = client_for("production").post(
        reverse("stores:request", args=[ready.order.pk]), {"note": "line 2 starts at 14:00"}, follow=True
    )
    assert "asked to issue" in " ".join(_messages(response))
    told = Notification.objects.get(recipient=users["warehouse"])
    assert ready.order.number in told.title and reverse("stores:order", args=[ready.order.pk]) in told.url
    assert AuditEntry.objects.filter(action="issue_requested", scope=f"order:{ready.order.pk}").count() == 1
    # The keeper issues; he does not ask himself, and neither does the merchandiser.
    for role in ("warehouse", "merchandiser"):
        assert client_for(role).post(reverse("stores:request", args=[ready.order.pk])).status_code == 403
    assert Notification.objects.count() == 1


def test_the_issue_list_filters_as_the_api_and_shows_a_merchandiser_only_his_orders(
    ready, store, client_for, departments
):
    from gendan.stores.services import material_issue

    steel, _seal = ready.materials
    material_issue(actor=None, order=ready.order, lines=[(steel, ready.w1, "5")])
    theirs = store.order(needs=(("10", 3),))
    store.stock(theirs.materials[0], ready.w1, "10")
    material_issue(actor=None, order=theirs.order, lines=[(theirs.materials[0], ready.w1, "10")])
    other = User.objects.create(
        username="m3", role=Role.MERCHANDISER, department=departments["merchandising"]
    )
    Order.objects.filter(pk=theirs.order.pk).update(merchandiser=other)

    keeper_page = client_for("warehouse").get(reverse("stores:issues"), {"order": ready.order.number})
    assert list(keeper_page.context["page"].object_list.values_list("order", flat=True)) == [ready.order.pk]
    assert client_for("warehouse").get(reverse("stores:issues")).context["page"].paginator.count == 2
    mine = client_for("merchandiser").get(reverse("stores:issues"))
    assert [i.order_id for i in mine.context["page"].object_list] == [ready.order.pk]
    bad = client_for("warehouse").get(reverse("stores:issues"), {"kind": "nonsense", "date_from": "x"})
    assert bad.status_code == 200 and bad.context["page"].paginator.count == 0
    assert client_for("logistics").get(reverse("stores:issues")).status_code == 403
    finished = client_for("warehouse").get(reverse("stores:finished"), {"date_from": "not a date"})
    assert finished.status_code == 200
