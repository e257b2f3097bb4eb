"""The demo (step 95): every open order has a delivery risk stored, and the merchandiser's home
lists his open orders gravest first. Which order is late depends on the day the demo is built, so
only what holds on any day is checked."""

from django.test import Client

from gendan.accounts.models import User
from gendan.engine.delivery_risk import LEVELS
from gendan.orders.models import Order
from gendan.risk.choices import RISK_STATES
from gendan.risk.models import OrderRisk
from gendan.risk.selectors import open_orders, risk_rows


def check_every_open_order_has_a_level(demo):
    open_ids = set(Order.objects.filter(status__in=RISK_STATES).values_list("pk", flat=True))
    assert open_ids
    stored = dict(OrderRisk.objects.values_list("order_id", "level"))
    assert set(stored) == open_ids
    assert set(stored.values()) <= set(LEVELS)


def check_the_open_orders_show_more_than_one_level(demo):
    # Orders without a plan yet are on watch at least, planned ones with their material in time on
    # track, whatever the day the demo is built.
    assert len(set(OrderRisk.objects.values_list("level", flat=True))) >= 2


def check_the_merchandisers_home_sorts_his_orders_by_risk(demo):
    merchandiser = User.objects.get(username="merchandiser")
    rows = risk_rows(open_orders(user=merchandiser, mine=True))
    assert rows
    keys = [(-LEVELS.index(r.level), -r.score) for r in rows]
    assert keys == sorted(keys)
    client = Client()
    client.force_login(merchandiser)
    html = client.get("/").content.decode()
    assert "risk-panel" in html
    panel = html[html.find("risk-panel") :]
    shown = [r.number for r in rows if r.number in panel]
    assert shown and sorted(shown, key=panel.find) == shown
