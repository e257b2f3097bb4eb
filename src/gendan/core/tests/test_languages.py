"""Every page speaks one language: the reader's.

A realistic small factory (customers, products, materials, work centres, a warehouse, departments,
all with English names; an order released with a pending change request, review findings from the
capacity check, notifications, a chat robot) is shown to each main role in English and in Chinese.

In English no Chinese character may appear, except inside data that has no English name (people's
names, free text typed by users: those are listed below). In Chinese no label, button or status may
be left in English: a text that is a msgid of the catalogue with a Chinese translation, shown as the
msgid, is an untranslated word.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import trans_real
from openpyxl import load_workbook

from gendan.accounts.choices import DepartmentKind
from gendan.inventory.services import stock_move
from gendan.notifications.models import DepartmentWebhook
from gendan.orders import services
from gendan.orders.models import Order
from gendan.orders.services.review import order_check_capacity
from gendan.testing import TEST_PASSWORD

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Data with no English name: people's names and text people typed. They may show in English pages.
NO_ENGLISH = [
    "王丽",
    "赵刚",
    "周平",
    "吴敏",
    "装配",  # a routing operation's name
    "白班",  # a shift's name
    "彩盒，每箱 2 台",  # packaging requirements as the customer wrote them
    "客户追加数量",  # the reason of the change request
    "生产部群",  # the chat robot's name
    "跟单",  # the brand, shown with its English name next to it
    "中文",  # the language switch offers Chinese in Chinese
]

# Rows of the data set: (code, Chinese name, English name).
NAMES = {
    "customer": ("C-HN", "华南电子有限公司", "South China Electronics Ltd."),
    "product": ("FS-40", "16寸台扇", '16" desk fan'),
    "material": ("CU-1", "漆包铜线", "Enamelled copper wire"),
    "work_centre": ("WC09", "电机装配线", "Motor assembly line"),
    "supplier": ("S-HG", "华钢金属材料有限公司", "Huagang Metal Materials Co."),
    "warehouse": ("RM", "原材料仓", "Raw material store"),
}
PEOPLE = {  # role: (username, display name, department kind)
    "admin": ("guanli", "吴敏", "other"),
    "merchandiser": ("wangli", "王丽", "merchandising"),
    "production": ("zhaogang", "赵刚", "production"),
    "warehouse": ("zhouping", "周平", "warehouse"),
}


VOID = {"br", "input", "img", "meta", "link", "hr", "source", "wbr"}


class _Text(HTMLParser):
    """The text a reader sees: text nodes and the tooltips, placeholders and labels of elements,
    each with its element and the language the page marks it with (`lang`, e.g. a record's
    Chinese name on its detail page)."""

    def __init__(self):
        super().__init__()
        self.texts: list[tuple[str, str, str]] = []  # (tag, text, lang)
        self._skip = 0
        self._open: list[tuple[str, str]] = []  # (tag, lang)

    @property
    def _lang(self) -> str:
        return self._open[-1][1] if self._open else ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag not in VOID:
            self._open.append((tag, (attrs.get("lang") or self._lang).lower()))
        for name in ("title", "placeholder", "aria-label", "data-confirm"):
            value = attrs.get(name)
            if value and value.strip():
                self.texts.append((f"@{name}", " ".join(value.split()), self._lang))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if any(t == tag for t, _ in self._open):
            while self._open and self._open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not self._skip and data.strip():
            tag = self._open[-1][0] if self._open else ""
            self.texts.append((tag, " ".join(data.split()), self._lang))


def visible_texts(html: str) -> list[tuple[str, str, str]]:
    parser = _Text()
    parser.feed(html)
    return parser.texts


@pytest.fixture
def language():
    """The language the people read (a test in English says so with parametrize)."""
    return "zh-hans"


@pytest.fixture
def factory(make, departments, language):
    """The small factory, built through the services as its people would, who read `language`
    (notifications are worded for each recipient when sent)."""
    for kind, dept in departments.items():
        with translation.override("en"):
            dept.name_en = str(DepartmentKind(kind).label)
        dept.save()
    people = {}
    for role, (username, name, kind) in PEOPLE.items():
        people[role] = make.user(
            role=role,
            username=username,
            display_name=name,
            department=departments[kind],
            password=TEST_PASSWORD,
            language=language,
        )
    merchandiser = people["merchandiser"]

    def named(kind, **kw):
        code, zh, en = NAMES[kind]
        return {"code": code, "name": zh, "name_en": en, **kw}

    customer = make.customer(**named("customer", merchandiser=merchandiser, credit_limit=Decimal("100")))
    product = make.product(**named("product", unit="台", spec="220V 50Hz", lead_time_days=10))
    material = make.material(**named("material", unit="米"))
    make.bom_line(parent=product, material=material, quantity=Decimal("1.5"))
    centre = make.work_centre(**named("work_centre"))
    make.shift(work_centre=centre)
    make.operation(product=product, work_centre=centre, run_minutes=Decimal("60"))
    supplier = make.supplier(**named("supplier"))
    make.supplier_material(supplier=supplier, material=material)
    warehouse = make.warehouse(**named("warehouse"))
    stock_move(
        actor=people["warehouse"],
        warehouse=warehouse,
        quantity=Decimal("20"),
        kind="receipt",
        material=material,
    )
    DepartmentWebhook.objects.create(
        department=departments["production"],
        name="生产部群",
        kind="wecom",
        url="https://qyapi.example/send?key=k",
    )

    # An order the factory cannot finish in time (a capacity finding limited by the work centre),
    # over the customer's credit limit: found, resolved, reviewed, released, then changed.
    due = timezone.localdate() + dt.timedelta(days=20)
    line = {
        "product": product,
        "quantity": Decimal("1000"),
        "unit_price": Decimal("12.5"),
        "delivery_date": due,
        "quality_requirements": "AQL 1.0",
        "packaging_requirements": "彩盒，每箱 2 台",
    }
    order = services.order_create(
        actor=merchandiser,
        data={"customer": customer, "customer_po": "PO-1", "merchandiser": merchandiser},
        lines=[line],
    )
    services.order_submit(actor=merchandiser, order_id=order.pk)
    order_check_capacity(order_id=order.pk)  # the worker's part: no actor
    order.refresh_from_db()
    assert {f.key for f in order.findings.all()} >= {"capacity", "credit_limit"}
    for finding in order.findings.all():
        services.finding_resolve(actor=merchandiser, finding_id=finding.pk, resolution="OK")
    services.order_mark_reviewed(actor=merchandiser, order_id=order.pk)
    services.order_release(actor=merchandiser, order_id=order.pk)
    services.change_request_create(
        actor=merchandiser,
        order_id=order.pk,
        kind="quantity",
        line_id=order.lines.get().pk,
        new_value="1200",
        reason="客户追加数量",
    )
    return {"people": people, "order": Order.objects.get(pk=order.pk), "customer": customer}


def _pages(factory) -> dict[str, list[str]]:
    from gendan.masterdata.models import BomLine, Material, Product, Supplier, WorkCentre

    order = factory["order"]
    product = Product.objects.get()
    md = [
        "/masterdata/customer/",
        f"/masterdata/customer/{factory['customer'].pk}/",
        "/masterdata/product/",
        f"/masterdata/product/{product.pk}/",
        "/masterdata/material/",
        f"/masterdata/material/{Material.objects.get().pk}/",
        "/masterdata/workcentre/",
        f"/masterdata/workcentre/{WorkCentre.objects.get().pk}/",
        "/masterdata/supplier/",
        f"/masterdata/supplier/{Supplier.objects.get().pk}/",
        f"/masterdata/bomline/{BomLine.objects.get().pk}/",
    ]
    common = ["/", "/notifications/"]
    orders = ["/orders/order/", f"/orders/order/{order.pk}/"]
    stock = ["/inventory/stocklevel/", "/inventory/movement/", "/inventory/warehouse/"]
    board = ["/board/", f"/board/work-centres/{WorkCentre.objects.get().code}/"]
    return {
        "admin": common
        + orders
        + md
        + stock
        + [
            "/audit/",
            f"/masterdata/customer/{factory['customer'].pk}/history/",
            f"/orders/order/{order.pk}/history/",
            "/masterdata/customer/import/",
            "/notifications/webhook/",
            f"/notifications/webhook/{DepartmentWebhook.objects.get().pk}/",
            "/accounts/department/",
            "/board/links/",
        ]
        + board,
        "merchandiser": common + orders + md[:4] + board[:1] + ["/planning/ctp/"],
        "production": common
        + orders
        + md[2:4]
        + md[6:8]
        + board
        + ["/planning/ctp/", "/planning/gantt/", "/planning/reschedule/"],
        "warehouse": common + orders + stock,
    }


def _render(factory, role: str) -> dict[str, str]:
    user = factory["people"][role]
    client = Client()
    client.force_login(user)
    pages = {}
    for url in _pages(factory)[role]:
        response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        pages[url] = response.content.decode()
    return pages


def _han_outside_data(text: str) -> bool:
    for value in NO_ENGLISH:
        text = text.replace(value, "")
    return bool(HAN.search(text))


@pytest.mark.parametrize("language", ["en"])
@pytest.mark.parametrize("role", PEOPLE)
def test_english_pages_show_no_chinese_but_data_without_english_name(factory, role):
    mixed = []
    for url, html in _render(factory, role).items():
        mixed += [
            f"{url}: {text}"
            for _, text, lang in visible_texts(html)
            if not lang.startswith("zh") and _han_outside_data(text)
        ]
    assert not mixed, "Chinese in English pages:\n" + "\n".join(dict.fromkeys(mixed))


HEADINGS = {"h1", "h2", "h3", "th", "dt", "label", "summary", "button", "title", "a"}


@pytest.mark.parametrize("language", ["en"])
@pytest.mark.parametrize("role", ["admin", "merchandiser"])
def test_english_labels_and_headings_start_with_a_capital(factory, role):
    """Field names are lowercase in the models (Django's convention); shown as a label they read
    "Status", "Priority", "Work centres"."""
    lower = []
    for url, html in _render(factory, role).items():
        for tag, text, _ in visible_texts(html):
            if tag in HEADINGS and re.match(r"[a-z]{3,}", text) and not re.match(r"[a-z]+@", text):
                lower.append(f"{url} <{tag}>: {text}")
    allowed = {f"@{p[0]}" for p in PEOPLE.values()} | {p[0] for p in PEOPLE.values()}
    lower = [t for t in lower if t.rsplit(": ", 1)[1] not in allowed]
    assert not lower, "Lowercase labels in English pages:\n" + "\n".join(dict.fromkeys(lower))


def _translated_msgids() -> dict[str, str]:
    """Lowercased msgid → Chinese, for every msgid of the Chinese catalogue that has a translation."""
    catalog = trans_real.translation("zh-hans")._catalog
    found = {}
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, tuple):  # plural forms: (msgid, n)
            msgid = msgid[0]
        if "\x04" in msgid:  # msgctxt\x04msgid
            msgid = msgid.split("\x04", 1)[1]
        if msgstr and msgstr != msgid and re.search(r"[A-Za-z]{2}", msgid) and "%" not in msgid:
            found[msgid.strip().lower()] = msgstr
    return found


def _english_data(factory) -> set[str]:
    """English that is data in a Chinese page: the English names (their own column), log-ins."""
    from gendan.accounts.models import Department

    values = {en for _, _, en in NAMES.values()} | set(Department.objects.values_list("name_en", flat=True))
    values |= {username for username, _, _ in PEOPLE.values()}
    values |= {"Gendan", "English"}  # the brand next to 跟单; the language switch offers English
    return {v.lower() for v in values}


@pytest.mark.parametrize("role", PEOPLE)
def test_chinese_pages_leave_no_label_in_english(factory, role):
    msgids = _translated_msgids()
    data = _english_data(factory)
    untranslated = []
    for url, html in _render(factory, role).items():
        for _, text, lang in visible_texts(html):
            if lang.startswith("en"):
                continue
            word = text.strip(" →:·—()（）").lower()
            if word in msgids and word not in data:
                untranslated.append(f"{url}: {text} (should read {msgids[word]})")
    assert not untranslated, "English in Chinese pages:\n" + "\n".join(dict.fromkeys(untranslated))


def test_chinese_timeline_names_the_system_and_the_inbox_says_unread(factory):
    pages = _render(factory, "admin")
    order = factory["order"]
    timeline = pages[f"/orders/order/{order.pk}/"].split('id="timeline"', 1)[1]
    whos = [text for tag, text, _ in visible_texts(timeline) if tag == "span"]
    assert "系统" in whos  # the capacity check ran in the worker, without a person
    assert "system" not in whos
    inbox = _render(factory, "production")["/notifications/"]
    assert "未读" in inbox and "新建" not in inbox


@pytest.mark.parametrize("language", ["en"])
def test_english_findings_and_change_impact_name_things_in_english(factory):
    pages = _render(factory, "merchandiser")
    dossier = pages[f"/orders/order/{factory['order'].pk}/"]
    assert "(limited by its own chain of operations)" in dossier
    assert "South China Electronics Ltd." in dossier
    assert "m of CU-1 Enamelled copper wire" in dossier  # the unit 米 in English


needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


@needs_pdftotext
@pytest.mark.parametrize("language", ["en"])
def test_english_order_copy_names_the_customer_product_and_unit_in_english(factory, tmp_path):
    client = Client()
    client.force_login(factory["people"]["merchandiser"])
    response = client.get(f"/orders/order/{factory['order'].pk}/copy.pdf?lang=en")
    assert response.status_code == 200
    path = tmp_path / "copy.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    words = " ".join(text.split())
    assert "C-HN South China" in words and '16" desk fan' in words
    assert "1,000 unit" in words  # 台
    mixed = [line for line in text.splitlines() if _han_outside_data(line)]
    assert not mixed, "Chinese in the English order copy:\n" + "\n".join(mixed)


@pytest.mark.parametrize("language", ["en"])
def test_english_export_names_things_in_english(factory):
    client = Client()
    client.force_login(factory["people"]["warehouse"])
    response = client.get("/inventory/stocklevel/export/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "CU-1 Enamelled copper wire" in cells and "m" in cells  # the item, its unit 米
    assert not [c for c in cells if _han_outside_data(c)], cells


def test_a_capacity_finding_names_the_limiting_work_centre_in_the_readers_language(factory):
    from gendan.core.i18n import str_in_both
    from gendan.masterdata.models import WorkCentre
    from gendan.orders.messages import finding_text

    params = {  # as the capacity check stores them
        "line": 1,
        "qty": "1000",
        "earliest": "2027-05-28",
        "date": "2026-12-19",
        "limit_kind": "work_centre",
        "limit_item": str_in_both(WorkCentre.objects.get()),
    }
    with translation.override("en"):
        assert finding_text("capacity", params).endswith("(limited by work centre WC09 Motor assembly line).")
    with translation.override("zh-hans"):
        assert "工作中心 WC09 电机装配线" in finding_text("capacity", params)


def test_a_filter_label_follows_each_reader(api_admin, client_admin):
    """Someone opens the API schema (it reads the filters' choices once): a list's filter labels
    worded from model fields still come in each reader's language afterwards."""
    assert api_admin.get("/api/schema/").status_code == 200
    page = client_admin.get("/accounts/department/").content.decode()
    labels = [text for tag, text, _ in visible_texts(page) if tag == "label"]
    assert "类型" in labels and "Kind" not in labels  # the departments' kind
