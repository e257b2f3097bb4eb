"""On a phone a list's rows are cards (app.css): which columns a card shows, and the labels it shows them with."""

import re

from gendan.accounts.views import UserViews
from gendan.core.crud import Col, phone_columns
from gendan.orders.views import OrderViews


def test_a_list_card_shows_the_columns_marked_for_the_phone_with_the_link_and_the_badges():
    columns = [
        Col("number", "Number", link=True),
        Col("po", "PO"),
        Col("customer", "Customer", phone=True),
        Col("status", "Status", badge=True),
        Col("priority", "Priority"),
        Col("due", "Due", phone=True),
    ]
    assert phone_columns(columns) == [True, False, True, True, False, True]


def test_a_list_that_marks_none_shows_its_first_four_columns_and_its_badges():
    columns = [Col(name, name.title()) for name in ("code", "name", "kind", "unit", "price", "note")]
    columns.append(Col("status", "Status", badge=True))
    assert phone_columns(columns) == [True, True, True, True, False, False, True]


def test_an_order_card_shows_number_customer_status_delivery_risk_and_first_delivery():
    shown = [
        c.path for c, on in zip(OrderViews.columns, phone_columns(OrderViews.columns), strict=True) if on
    ]
    assert shown == ["number", "customer", "status", "risk", "first_delivery"]


def test_each_cell_of_a_list_carries_its_column_header_and_the_others_are_hidden_on_a_phone(client_admin):
    html = client_admin.get("/accounts/user/").content.decode()
    row = re.search(r"<tbody>\s*<tr[^>]*>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r'<td data-label="([^"]*)" class="([^"]*)"', row)
    headers = [str(c.label) for c in UserViews.columns]  # in Chinese, the default language
    assert [label for label, _css in cells] == headers
    hidden = [label for label, css in cells if "phone-hide" in css.split()]
    assert hidden == headers[4:]
    assert "card-title" in cells[0][1].split()
