"""Need-to-know per field (issue 14, item 4): prices, credit and contacts reach only the roles that
use them, on every channel. One table: role × field group × channel.

Each group's sample record carries distinctive values; a role allowed the group finds them on every
channel that shows the record to it, any other role finds none of them (in the page, the sheet's
cells, the JSON, the PDF's text), whatever it is allowed of the record itself."""

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gendan.core import services as core_services
from gendan.masterdata.models import Customer, CustomerContact, DeliveryAddress, SupplierMaterial
from gendan.orders import services
from gendan.orders.models import Clarification
from gendan.orders.services.review import order_check_capacity

# The expected answer, written out here rather than read from the role table: this is the rule.
SEES = {
    "prices": {"admin", "merchandiser", "management"},
    "supplier_prices": {"admin", "merchandiser", "purchasing", "management"},
    "credit": {"admin", "merchandiser", "management"},
    "customer_contacts": {"admin", "merchandiser", "management"},
    "delivery_contact": {"admin", "merchandiser", "logistics", "management"},
}
ROLES = [
    "admin",
    "merchandiser",
    "production",
    "purchasing",
    "quality",
    "warehouse",
    "logistics",
    "management",
]

# The distinctive values of each group, each with the ways a page may write it.
VALUES = {
    "prices": [("4321.99", "4,321.99")],
    "supplier_prices": [("7654.32", "7,654.32")],
    "credit": [("987654", "987,654"), ("91440300TAXID77",)],
    "customer_contacts": [("13912345678",), ("buyer777@example.com",), ("王采购经理",)],
    "delivery_contact": [("13712345678",), ("收货人张三丰",)],
}


def _text(response) -> str:
    """What the user receives: the page or JSON as text, every cell of a sheet, a PDF's text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    if "pdf" in kind:
        if not shutil.which("pdftotext"):
            pytest.skip("poppler-utils not installed")
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, check=True, capture_output=True
        )
        return re.sub(r"\s+", "", out.stdout.decode("utf-8"))
    return body.decode()


@pytest.fixture
def world(make, users, orders, product):
    admin = users["admin"]
    data = {
        "code": "C987",
        "name": "保密客户",
        "merchandiser": users["merchandiser"],
        "tax_id": "91440300TAXID77",
        "phone": "13912345678",
        "email": "buyer777@example.com",
        "credit_limit": Decimal("987654"),
    }
    # Through the services, so the history records the values.
    customer = core_services.record_create(actor=admin, model=Customer, data=data)
    core_services.record_update(
        actor=admin, model=Customer, pk=customer.pk, data={"credit_limit": Decimal("5")}
    )
    core_services.record_update(
        actor=admin, model=Customer, pk=customer.pk, data={"credit_limit": Decimal("987654")}
    )
    contact = core_services.record_create(
        actor=admin,
        model=CustomerContact,
        data={
            "customer": customer,
            "name": "王采购经理",
            "phone": "13912345678",
            "email": "buyer777@example.com",
        },
    )
    address = core_services.record_create(
        actor=admin,
        model=DeliveryAddress,
        data={
            "customer": customer,
            "label": "深圳仓",
            "address": "深圳市南山区科技园",
            "receiver": "收货人张三丰",
            "phone": "13712345678",
        },
    )
    material = make.material()
    offer = core_services.record_create(
        actor=admin,
        model=SupplierMaterial,
        data={"supplier": make.supplier(), "material": material, "unit_price": Decimal("7654.32")},
    )
    from .conftest import clean_line

    # The price is changed once before release, so the order's history holds it.
    draft = orders.draft(
        lines=[clean_line(product, quantity=Decimal("3"))], customer=customer, delivery_address=address
    )
    line = clean_line(product, unit_price=Decimal("4321.99"), quantity=Decimal("3"), line_no=1)
    services.order_update(
        actor=draft.merchandiser,
        order_id=draft.pk,
        data={"customer": customer, "delivery_address": address},
        lines=[line],
    )
    services.order_submit(actor=draft.merchandiser, order_id=draft.pk)
    order_check_capacity(order_id=draft.pk)
    for finding in draft.findings.all():
        if finding.is_open:
            services.finding_resolve(actor=draft.merchandiser, finding_id=finding.pk, resolution="ok")
    services.order_mark_reviewed(actor=draft.merchandiser, order_id=draft.pk)
    order = services.order_release(actor=draft.merchandiser, order_id=draft.pk)
    Clarification.objects.create(
        order=order, question="颜色？", contact="王采购经理", asked_by=users["merchandiser"]
    )
    return {"customer": customer, "contact": contact, "address": address, "offer": offer, "order": order}


# (group, channel) → the URL a client of that channel reads, from the world.
CHANNELS = {
    "prices": {
        "detail page": lambda w: f"/orders/order/{w['order'].pk}/",
        "history": lambda w: f"/orders/order/{w['order'].pk}/history/",
        "export": lambda w: "/orders/order/export/?state=all",
        "api list": lambda w: "/api/order-lines/",
        "api detail": lambda w: f"/api/orders/{w['order'].pk}/",
        "api timeline": lambda w: f"/api/orders/{w['order'].pk}/timeline/",
        "pdf": lambda w: f"/orders/order/{w['order'].pk}/copy.pdf",
    },
    "supplier_prices": {
        "list page": lambda w: "/masterdata/suppliermaterial/",
        "detail page": lambda w: f"/masterdata/suppliermaterial/{w['offer'].pk}/",
        "material page": lambda w: f"/masterdata/material/{w['offer'].material_id}/",
        "history": lambda w: f"/masterdata/suppliermaterial/{w['offer'].pk}/history/",
        "export": lambda w: "/masterdata/suppliermaterial/export/",
        "api list": lambda w: "/api/supplier-materials/",
        "api detail": lambda w: f"/api/supplier-materials/{w['offer'].pk}/",
        "api history": lambda w: f"/api/supplier-materials/{w['offer'].pk}/history/",
    },
    "credit": {
        "list page": lambda w: "/masterdata/customer/",
        "detail page": lambda w: f"/masterdata/customer/{w['customer'].pk}/",
        "history": lambda w: f"/masterdata/customer/{w['customer'].pk}/history/",
        "export": lambda w: "/masterdata/customer/export/",
        "api list": lambda w: "/api/customers/",
        "api detail": lambda w: f"/api/customers/{w['customer'].pk}/",
        "api history": lambda w: f"/api/customers/{w['customer'].pk}/history/",
    },
    "customer_contacts": {
        "list page": lambda w: "/masterdata/customer/",
        "detail page": lambda w: f"/masterdata/customer/{w['customer'].pk}/",
        "history": lambda w: f"/masterdata/customer/{w['customer'].pk}/history/",
        "export": lambda w: "/masterdata/customer/export/",
        "api list": lambda w: "/api/customers/",
        "api detail": lambda w: f"/api/customers/{w['customer'].pk}/",
        "api history": lambda w: f"/api/customers/{w['customer'].pk}/history/",
        "contacts list": lambda w: "/masterdata/contact/",
        "contacts api": lambda w: "/api/customer-contacts/",
        "order dossier": lambda w: f"/orders/order/{w['order'].pk}/",
        "clarifications api": lambda w: "/api/clarifications/",
    },
    "delivery_contact": {
        "list page": lambda w: "/masterdata/address/",
        "detail page": lambda w: f"/masterdata/address/{w['address'].pk}/",
        "customer page": lambda w: f"/masterdata/customer/{w['customer'].pk}/",
        "history": lambda w: f"/masterdata/address/{w['address'].pk}/history/",
        "order copy pdf": lambda w: f"/orders/order/{w['order'].pk}/copy.pdf",
        "export": lambda w: "/masterdata/address/export/",
        "api list": lambda w: "/api/delivery-addresses/",
        "api detail": lambda w: f"/api/delivery-addresses/{w['address'].pk}/",
        "api history": lambda w: f"/api/delivery-addresses/{w['address'].pk}/history/",
    },
}
# Channels that show the group to nobody (the order copy goes to every department): absent for all.
# The order report leaves prices out for everyone too.
NOBODY = {("prices", "pdf"), ("prices", "export"), ("delivery_contact", "order copy pdf")}

CASES = [(group, channel) for group, channels in CHANNELS.items() for channel in channels]


@pytest.mark.parametrize(("group", "channel"), CASES, ids=[f"{g}-{c}" for g, c in CASES])
def test_field_group_reaches_only_the_roles_that_use_it(world, client_for, group, channel):
    url = CHANNELS[group][channel](world)
    wrong = []
    for role in ROLES:
        response = client_for(role).get(url)
        allowed = role in SEES[group] and (group, channel) not in NOBODY
        if response.status_code != 200:
            # A role that may not read the record at all sees none of its fields.
            assert response.status_code in (403, 404), (role, url, response.status_code)
            if allowed:
                wrong.append(f"{role} may not read it ({response.status_code})")
            continue
        text = _text(response)
        found = [forms[0] for forms in VALUES[group] if any(f in text for f in forms)]
        if allowed and not found:
            wrong.append(f"{role} misses them")
        if not allowed and found:
            wrong.append(f"{role} sees {found}")
    assert not wrong, f"{group} on {channel} ({url}): " + "; ".join(wrong)


def test_a_credit_limit_finding_tells_its_amounts_only_to_those_who_see_credit(
    orders, make, users, client_for
):
    customer = make.customer(merchandiser=users["merchandiser"], credit_limit=Decimal("987654"))
    make.address(customer=customer, is_default=True)
    from .conftest import clean_line

    big = clean_line(orders.product, quantity=Decimal("1000"), unit_price=Decimal("4321.99"))
    order = orders.released(lines=[big], customer=customer)
    assert order.findings.filter(key="credit_limit").exists()
    urls = [
        f"/orders/order/{order.pk}/",
        f"/orders/order/{order.pk}/history/",
        f"/api/findings/?order={order.pk}",
        f"/api/orders/{order.pk}/timeline/",
    ]
    seen = {
        (role, url): "987,654" in client_for(role).get(url).content.decode()
        for role in ("merchandiser", "production", "warehouse", "logistics")
        for url in urls
    }
    assert seen[("merchandiser", urls[0])], "the merchandiser reads the amounts in the finding"
    assert not [key for key, shown in seen.items() if shown and key[0] != "merchandiser"]
    # Everyone is still told that the order is over the customer's credit limit.
    production = client_for("production").get(urls[0]).content.decode()
    assert str(_("Over credit limit")) in production
