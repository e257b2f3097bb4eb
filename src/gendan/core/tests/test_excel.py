"""Excel import and export (R-1.1, R-8.4): all-or-nothing, every problem by row and column,
headers in Chinese or English, messages in the user's language, formulas never exported."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gendan.core.excel import escape_cell, import_workbook, unescape_cell
from gendan.core.models import AuditEntry, ImportJob
from gendan.masterdata import imports
from gendan.masterdata.models import BomLine, Customer, Product, RoutingOperation
from gendan.testing.helpers import xlsx_bytes as sheet

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def label(spec, name):
    return str(spec.column(name).label)


# ---------------------------------------------------------------- valid sheets


def test_valid_sheet_creates_and_updates_by_code(users, make):
    old = make.customer(code="C1", name="旧名", phone="111")
    data = sheet(
        [
            ["Customer code", "Customer name", "Merchandiser (user name)", "Credit limit", "Credit status"],
            ["C1", "新名", "merchandiser", 1000, "hold"],
            ["C2", "新客户", None, "2,500.5", "Normal"],
        ]
    )
    result = import_workbook(imports.CUSTOMERS, data, actor=users["admin"])
    assert result.ok, result.errors
    assert (result.total, result.created, result.updated) == (2, 1, 1)
    old.refresh_from_db()
    assert (old.name, old.merchandiser, old.credit_limit, old.credit_status) == (
        "新名",
        users["merchandiser"],
        Decimal("1000"),
        "hold",
    )
    assert old.phone == "111"  # a column not in the sheet is left alone
    new = Customer.objects.get(code="C2")
    assert (new.name, new.credit_limit, new.credit_status) == ("新客户", Decimal("2500.5"), "ok")


def test_numeric_codes_and_m2m_codes_are_read(users, make):
    product = make.product(code="1001")
    make.work_centre(code="WC1")
    make.work_centre(code="WC2")
    make.work_centre(code="WC3")
    data = sheet(
        [
            [
                "Product code",
                "Sequence",
                "Operation",
                "Work centre code",
                "Alternative work centres",
                "Run time per unit (min)",
                "May be split across shifts",
            ],
            [1001, 10, "冲压", "WC1", "WC2，WC3", 0.5, "否"],
        ]
    )
    result = import_workbook(imports.ROUTING, data, actor=users["production"])
    assert result.ok, result.errors
    op = RoutingOperation.objects.get(product=product, sequence=10)
    assert sorted(w.code for w in op.alternative_work_centres.all()) == ["WC2", "WC3"]
    assert op.splittable is False
    assert op.run_minutes == Decimal("0.5")


def test_headers_accepted_in_chinese_and_by_field_name(users, zh_terms):
    zh = zh_terms(
        {"Product code": "产品编码", "Product name": "产品名称", "Kind": "类别", "Finished product": "成品"}
    )
    data = sheet(
        [
            [zh["Product code"], zh["Product name"], zh["Kind"], "unit", "lead_time_days"],
            ["P1", "电机", zh["Finished product"], "台", 5],
        ]
    )
    result = import_workbook(imports.PRODUCTS, data, actor=users["production"])
    assert result.ok, result.errors
    product = Product.objects.get(code="P1")
    assert (product.name, product.kind, product.unit, product.lead_time_days) == ("电机", "finished", "台", 5)


# ---------------------------------------------------------------- bad sheets change nothing


def _counts():
    return Customer.objects.count(), AuditEntry.objects.count()


def test_any_bad_row_changes_nothing_and_every_problem_is_reported(users, make):
    make.customer(code="C0", name="不变")
    before = _counts()
    data = sheet(
        [
            [
                "Customer code",
                "Customer name",
                "Merchandiser (user name)",
                "Credit limit",
                "Credit status",
                "E-mail",
            ],
            ["C0", "改名", None, None, None, None],  # 2: valid on its own (an update)
            [None, "乙", None, None, None, None],  # 3: missing required code
            ["C3", "丙", "nobody", None, None, None],  # 4: unknown user name
            ["C4", "丁", None, "lots", None, None],  # 5: not a number
            ["C5", "戊", None, None, "maybe", None],  # 6: unknown choice
            ["C0", "重复", None, None, None, None],  # 7: same key as row 2
            ["C7", "己", None, -5, None, None],  # 8: model validation (must be >= 0)
            ["C8", "庚", None, None, None, "not-an-email"],  # 9: model validation (e-mail)
            ["C9", "辛", "merchandiser", 10, "ok", "a@b.cn"],  # 10: valid new row
        ]
    )
    result = import_workbook(imports.CUSTOMERS, data, actor=users["admin"])
    assert not result.ok
    spec = imports.CUSTOMERS
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, label(spec, "code")),
        (4, label(spec, "merchandiser")),
        (5, label(spec, "credit_limit")),
        (6, label(spec, "credit_status")),
        (7, label(spec, "code")),
        (8, label(spec, "credit_limit")),
        (9, label(spec, "email")),
    }
    messages = {e.row: e.message for e in result.errors}
    assert "nobody" in messages[4]
    assert "lots" in messages[5]
    assert "maybe" in messages[6]
    assert "2" in messages[7]  # names the row it repeats
    assert _counts() == before
    assert Customer.objects.get(code="C0").name == "不变"
    assert not Customer.objects.filter(code="C9").exists()


def test_missing_required_header_is_reported(users):
    data = sheet([["Customer name"], ["甲"]])
    result = import_workbook(imports.CUSTOMERS, data, actor=users["admin"])
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(1, label(imports.CUSTOMERS, "code"))]


def test_not_an_excel_file_is_reported(users):
    result = import_workbook(imports.CUSTOMERS, b"code,name\nC1,x\n", actor=users["admin"])
    assert not result.ok and result.errors[0].row == 0


def test_bom_import_that_makes_a_cycle_is_rejected_with_the_cycle_named(users, make):
    a, b = make.product(code="A"), make.product(code="B")
    make.bom_line(parent=a, product=b, position=10)
    material = make.material(code="M1")
    before = BomLine.objects.count(), AuditEntry.objects.count()
    data = sheet(
        [
            ["Product code", "Position", "Material code", "Sub-assembly code", "Quantity per unit"],
            ["B", 10, None, "A", 1],
            ["B", 20, "M1", None, 3],
        ]
    )
    result = import_workbook(imports.BOM_LINES, data, actor=users["production"])
    assert not result.ok
    assert any("A → B → A" in e.message or "B → A → B" in e.message for e in result.errors), result.errors
    assert (BomLine.objects.count(), AuditEntry.objects.count()) == before
    assert not BomLine.objects.filter(component_material=material).exists()


def test_bom_row_with_both_or_no_component_is_rejected(users, make):
    make.product(code="A")
    make.product(code="B")
    make.material(code="M1")
    data = sheet(
        [
            ["Product code", "Position", "Material code", "Sub-assembly code", "Quantity per unit"],
            ["A", 10, "M1", "B", 1],
            ["A", 20, None, None, 1],
            ["A", 30, None, "A", 1],
        ]
    )
    result = import_workbook(imports.BOM_LINES, data, actor=users["production"])
    assert not result.ok
    assert sorted({e.row for e in result.errors}) == [2, 3, 4]
    assert BomLine.objects.count() == 0


# ---------------------------------------------------------------- language of the messages


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_error_messages_come_in_the_language_of_the_job(users, zh_terms, language):
    from gendan.core.tasks import import_job_run

    zh = zh_terms({"This column is required.": "此列为必填项。"})
    data = sheet([["Customer code", "Customer name"], ["C1", None]])
    job = ImportJob(kind="customers", original_name="c.xlsx", created_by=users["admin"], language=language)
    job.file.save("c.xlsx", SimpleUploadedFile("c.xlsx", data), save=False)
    job.save()
    with translation.override("en" if language == "zh-hans" else "zh-hans"):  # not the job's language
        job = import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED
    (error,) = job.errors
    expected = zh["This column is required."] if language == "zh-hans" else "This column is required."
    assert error["message"] == expected
    has_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
    assert has_chinese == (language == "zh-hans")
    assert error["row"] == 2


# ---------------------------------------------------------------- the page flow


def test_import_page_flow_success(client_production, user_production, django_capture_on_commit_callbacks):
    data = sheet(
        [
            ["Product code", "Product name", "Kind", "Unit", "Standard lead time (days)"],
            ["P1", "电机", "finished", "台", 5],
            ["P2", "外壳", "sub_assembly", "pcs", 3],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_production.post(
            "/masterdata/product/import/", {"file": SimpleUploadedFile("products.xlsx", data, XLSX)}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    assert job.status == ImportJob.Status.SUCCEEDED and (job.created, job.updated) == (2, 0)
    assert job.created_by == user_production
    assert set(Product.objects.values_list("code", flat=True)) == {"P1", "P2"}
    page = client_production.get(response["Location"])
    assert page.status_code == 200
    assert 'class="status-succeeded"' in page.content.decode()
    # The result leads back to the list the import was started from.
    assert 'href="/masterdata/product/"' in page.content.decode()
    # Only the person who started an import sees it.
    other = client_production.__class__()
    other.force_login(ImportJob.objects.get().created_by.__class__.objects.get(username="admin"))
    assert other.get(response["Location"]).status_code == 404


def test_import_page_flow_failure_lists_row_and_column(client_for, users, django_capture_on_commit_callbacks):
    users["production"].language = "en"
    users["production"].save()
    client = client_for("production")
    data = sheet(
        [
            ["Product code", "Product name", "Kind", "Unit", "Standard lead time (days)"],
            ["P1", "电机", "finished", "台", "soon"],
            ["P2", None, "robot", "pcs", 3],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/masterdata/product/import/", {"file": SimpleUploadedFile("products.xlsx", data, XLSX)}
        )
    job = ImportJob.objects.get()
    assert job.language == "en"
    assert job.status == ImportJob.Status.FAILED
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (2, "Standard lead time (days)"),
        (3, "Product name"),
        (3, "Kind"),
    }
    html = client.get(response["Location"]).content.decode()
    assert "Nothing was changed" in html
    assert "“soon” is not a whole number." in html
    assert Product.objects.count() == 0


def test_import_page_rejects_other_file_types(client_production):
    response = client_production.post(
        "/masterdata/product/import/", {"file": SimpleUploadedFile("products.csv", b"a,b", "text/csv")}
    )
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_import_page_needs_add_and_change_permission(client_for):
    assert client_for("logistics").get("/masterdata/product/import/").status_code == 403
    assert client_for("production").get("/masterdata/product/import/").status_code == 200


# ---------------------------------------------------------------- template and export


@pytest.mark.parametrize(
    "slug,spec",
    [
        ("customer", imports.CUSTOMERS),
        ("product", imports.PRODUCTS),
        ("bomline", imports.BOM_LINES),
        ("operation", imports.ROUTING),
        ("supplier", imports.SUPPLIERS),
    ],
)
def test_template_download_has_the_headers(client_admin, slug, spec):
    response = client_admin.get(f"/masterdata/{slug}/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in wb.worksheets[0][1]]
    with translation.override("zh-hans"):
        assert headers == [str(c.label) for c in spec.columns]
    assert len(wb.worksheets) == 2  # the instructions sheet


def test_export_then_import_leaves_data_unchanged(client_admin, users, make):
    make.customer(
        code="C1",
        name="=SUM(A1:A2)",
        phone="+86 755",
        notes="@home",
        credit_limit=Decimal("12.5"),
        merchandiser=users["merchandiser"],
        email="x@y.cn",
        credit_status="hold",
    )
    make.customer(code="C2", name="-负号开头", tax_id="0012")
    fields = [
        "code",
        "name",
        "phone",
        "notes",
        "credit_limit",
        "merchandiser_id",
        "email",
        "credit_status",
        "tax_id",
        "name_en",
        "is_archived",
    ]
    before = list(Customer.objects.order_by("code").values(*fields))
    audit_before = AuditEntry.objects.count()
    response = client_admin.get("/masterdata/customer/export/")
    assert response.status_code == 200
    result = import_workbook(imports.CUSTOMERS, response.content, actor=users["admin"])
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)
    assert list(Customer.objects.order_by("code").values(*fields)) == before
    assert AuditEntry.objects.count() == audit_before


def test_export_round_trip_for_routing_with_alternatives(client_admin, users, make):
    wc1, wc2, wc3 = make.work_centre(code="WC1"), make.work_centre(code="WC2"), make.work_centre(code="WC3")
    op = make.operation(
        work_centre=wc1,
        alternatives=[wc2, wc3],
        sequence=10,
        splittable=False,
        setup_minutes=Decimal("12.25"),
    )
    response = client_admin.get("/masterdata/operation/export/")
    result = import_workbook(imports.ROUTING, response.content, actor=users["admin"])
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)
    op.refresh_from_db()
    assert {w.code for w in op.alternative_work_centres.all()} == {"WC2", "WC3"}
    assert op.splittable is False and op.setup_minutes == Decimal("12.25")


def test_exported_text_that_looks_like_a_formula_is_not_a_formula(client_admin, make):
    make.customer(code="C1", name='=HYPERLINK("http://evil")', phone="+123", notes="-1+1", name_en="@SUM(1)")
    response = client_admin.get("/masterdata/customer/export/")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(headers, ws[2], strict=False)}
    for column in ("Customer name", "Phone", "Notes", "English name"):
        cell = row[
            label(
                imports.CUSTOMERS,
                {"Customer name": "name", "Phone": "phone", "Notes": "notes", "English name": "name_en"}[
                    column
                ],
            )
        ]
        assert cell.data_type != "f", column
        assert isinstance(cell.value, str) and cell.value.startswith("'"), column


def test_list_export_without_import_sheet_escapes_formulas(client_admin, make):
    warehouse = make.warehouse(code="W1", name="=1+1")
    response = client_admin.get("/inventory/warehouse/export/")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [c for c in ws[2]]
    name_cell = next(c for c in values if isinstance(c.value, str) and "1+1" in c.value)
    assert name_cell.data_type != "f" and name_cell.value == "'=1+1"
    assert warehouse.code in [c.value for c in values]


def test_escape_and_unescape_are_inverse():
    for text in ["=1", "+1", "-1", "@x", "plain", "'quoted", ""]:
        assert unescape_cell(escape_cell(text)) == text


def test_an_import_that_crashes_is_reported_as_rejected_not_left_running(users, monkeypatch):
    from gendan.core import tasks

    def boom(*args, **kwargs):
        raise RuntimeError("corrupt sheet")

    monkeypatch.setattr(tasks, "import_workbook", boom)
    job = ImportJob(kind="customers", original_name="c.xlsx", created_by=users["admin"], language="en")
    job.file.save("c.xlsx", SimpleUploadedFile("c.xlsx", b"x"), save=False)
    job.save()
    job = tasks.import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert job.errors and "nothing was changed" in job.errors[0]["message"]


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1))
def test_escaped_text_reads_back_as_written(text):
    assert unescape_cell(escape_cell(text)) == text or text[0] in "\t\r"
    escaped = escape_cell(text)
    assert not (isinstance(escaped, str) and escaped.startswith(("=", "+", "-", "@")))


def test_text_starting_with_a_quote_and_a_formula_sign_reads_back():
    for text in ("'=1", "''x", "'x", "'-3"):
        assert unescape_cell(escape_cell(text)) == text


def _fill_every_sheet(make, users):
    wc1, wc2 = (
        make.work_centre(code="WC1", efficiency_pct=85, description="=cut"),
        make.work_centre(code="WC2"),
    )
    sub, top = (
        make.product(code="SUB", kind="sub_assembly"),
        make.product(code="TOP", spec="-5V", lead_time_days=12),
    )
    steel = make.material(
        code="STEEL", kind="raw", min_order_qty=Decimal("100.5"), order_multiple=Decimal("0.25")
    )
    make.bom_line(parent=top, product=sub, position=10, quantity=Decimal("2.5"), scrap_pct=Decimal("1.25"))
    make.bom_line(parent=sub, material=steel, position=10, quantity=Decimal("0.333333"))
    make.operation(product=top, work_centre=wc1, alternatives=[wc2], sequence=10, splittable=False)
    make.calendar_day(work_centre=None, kind="holiday", description="国庆")
    make.calendar_day(work_centre=wc1, kind="overtime", hours=Decimal("4.5"))
    supplier = make.supplier(code="S1", is_approved=False, address="+86 深圳")
    make.supplier_material(
        supplier=supplier, material=steel, is_preferred=True, unit_price=Decimal("12.3456")
    )
    make.customer(code="C1", merchandiser=users["merchandiser"], credit_limit=Decimal("99.9"))


@pytest.mark.parametrize(
    "slug,spec",
    [
        ("customer", imports.CUSTOMERS),
        ("product", imports.PRODUCTS),
        ("material", imports.MATERIALS),
        ("bomline", imports.BOM_LINES),
        ("operation", imports.ROUTING),
        ("workcentre", imports.WORK_CENTRES),
        ("calendarday", imports.CALENDAR_DAYS),
        ("supplier", imports.SUPPLIERS),
        ("suppliermaterial", imports.SUPPLIER_MATERIALS),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_export_imports_back_unchanged(client_for, users, make, slug, spec, language):
    _fill_every_sheet(make, users)
    users["admin"].language = language
    users["admin"].save()
    model = spec.model
    before = [
        {f.attname: getattr(o, f.attname) for f in model._meta.concrete_fields}
        for o in model.objects.order_by("pk")
    ]
    audit_before = AuditEntry.objects.count()
    response = client_for("admin").get(f"/masterdata/{slug}/export/")
    assert response.status_code == 200
    with translation.override(language):
        result = import_workbook(spec, response.content, actor=users["admin"])
    assert result.ok, [e.as_dict() for e in result.errors]
    assert (result.created, result.updated) == (0, 0)
    after = [
        {f.attname: getattr(o, f.attname) for f in model._meta.concrete_fields}
        for o in model.objects.order_by("pk")
    ]
    assert after == before
    assert AuditEntry.objects.count() == audit_before


def test_import_page_rejects_a_file_over_the_size_limit(client_production, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    data = sheet([["Product code", "Product name"]] + [[f"P{i}", "x" * 50] for i in range(200)])
    response = client_production.post(
        "/masterdata/product/import/", {"file": SimpleUploadedFile("big.xlsx", data, XLSX)}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert ImportJob.objects.count() == 0


def test_import_job_page_polls_with_htmx_until_finished(client_production, users):
    job = ImportJob.objects.create(
        kind="products", original_name="p.xlsx", created_by=users["production"], file="imports/x.xlsx"
    )
    response = client_production.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "hx-get" in html
    ImportJob.objects.filter(pk=job.pk).update(status="succeeded")
    html = client_production.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in html
