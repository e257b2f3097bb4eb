"""The sheet reader every import uses (R-1.1): headers in Chinese or English, a missing required
column named, blank rows skipped, every bad cell reported by row and column, formula escapes
undone, codes looked up once per sheet."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from gendan.core.excel import (
    CellError,
    Column,
    SheetRejected,
    convert_cell,
    lookups_for,
    read_rows,
    read_sheet,
    write_workbook,
)
from gendan.masterdata.choices import CreditStatus
from gendan.masterdata.models import Customer, WorkCentre
from gendan.testing.helpers import xlsx_bytes as sheet

COLUMNS = [
    Column("customer", gettext_lazy("Customer code"), kind="fk", fk_model=Customer, required=True),
    Column("quantity", gettext_lazy("Quantity"), kind="decimal", required=True),
    Column("delivery_date", gettext_lazy("Delivery date"), kind="date"),
    Column("notes", gettext_lazy("Notes")),
]
ZH = {"Customer code": "客户编码", "Quantity": "数量", "Delivery date": "交货日期", "Notes": "备注"}


def rows_of(data, columns=COLUMNS):
    return [tuple(row) for row in read_sheet(data, columns)]


# ---------------------------------------------------------------- the header row


@pytest.mark.django_db
def test_headers_in_english_chinese_or_field_names_all_find_their_column(make, zh_terms):
    zh = zh_terms(ZH)
    make.customer(code="C1")
    headers = [
        ["Customer code", "QUANTITY ", "Delivery date", "Notes"],
        [zh["Customer code"], zh["Quantity"], zh["Delivery date"], zh["Notes"]],
        ["customer", "quantity", "delivery_date", "notes"],
    ]
    for header in headers:
        with translation.override("en"):
            read = read_sheet(sheet([header, ["C1", 5, "2026-03-01", "急"]]), COLUMNS)
        ((number, values, errors),) = list(read)
        assert (number, errors) == (2, [])
        assert values["customer"].code == "C1"
        assert (values["quantity"], values["delivery_date"], values["notes"]) == (
            Decimal("5"),
            datetime.date(2026, 3, 1),
            "急",
        )


@pytest.mark.django_db
def test_columns_may_come_in_any_order_and_unknown_or_optional_ones_may_be_left_out(make):
    make.customer(code="C1")
    data = sheet([["Remarks of the buyer", "Quantity", "Customer code"], ["ignored", 7, "C1"]])
    read = read_sheet(data, COLUMNS)
    assert [c.name for c in read.columns] == ["customer", "quantity"]
    ((_n, values, errors),) = list(read)
    assert errors == []
    assert set(values) == {"customer", "quantity"}  # an absent column is not read as empty


@pytest.mark.django_db
def test_a_missing_required_column_is_named_from_the_header_row():
    data = sheet([["Notes", "Delivery date"], ["x", "2026-01-01"]])
    with translation.override("en"), pytest.raises(SheetRejected) as rejected:
        read_sheet(data, COLUMNS)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(1, "Customer code"), (1, "Quantity")]
    assert all("missing from the header row" in e.message for e in rejected.value.errors)


@pytest.mark.django_db
def test_the_missing_column_is_named_in_the_language_of_the_reader(zh_terms):
    zh = zh_terms(ZH)
    data = sheet([["Customer code"], ["C1"]])
    with translation.override("zh-hans"), pytest.raises(SheetRejected) as rejected:
        read_sheet(data, COLUMNS)
    assert [e.column for e in rejected.value.errors] == [zh["Quantity"]]


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_an_empty_sheet_and_a_header_alone_are_rejected():
    with translation.override("en"):
        with pytest.raises(SheetRejected) as not_excel:
            read_sheet(b"customer,quantity\nC1,5\n", COLUMNS)
        with pytest.raises(SheetRejected) as empty:
            read_sheet(sheet([]), COLUMNS)
        with pytest.raises(SheetRejected) as no_rows:
            read_sheet(sheet([["Customer code", "Quantity"], [None, "  "]]), COLUMNS)
    assert [(e.row, e.message) for e in not_excel.value.errors] == [
        (0, "The file is not an Excel workbook (.xlsx).")
    ]
    assert [(e.row, e.message) for e in empty.value.errors] == [(1, "The sheet is empty.")]
    assert [(e.row, e.message) for e in no_rows.value.errors] == [(2, "The sheet has no data rows.")]


# ---------------------------------------------------------------- the data rows


@pytest.mark.django_db
def test_blank_rows_are_skipped_and_rows_keep_the_numbers_excel_shows(make):
    make.customer(code="C1")
    data = sheet(
        [
            ["Customer code", "Quantity"],
            ["C1", 1],  # 2
            [None, None],  # 3: blank
            ["  ", ""],  # 4: only spaces
            ["C1", 2],  # 5
        ]
    )
    assert read_rows(data)[0] == ["Customer code", "Quantity"]
    assert [(n, v["quantity"]) for n, v, _e in rows_of(data)] == [(2, Decimal("1")), (5, Decimal("2"))]


@pytest.mark.django_db
def test_every_bad_cell_is_reported_with_its_row_and_column_and_the_good_cells_are_read(make):
    make.customer(code="C1")
    data = sheet(
        [
            ["Customer code", "Quantity", "Delivery date"],
            ["C1", "many", "31/12/2026"],  # 2: two bad cells
            ["NOPE", 3, None],  # 3: unknown code
            [None, 4],  # 4: required cell empty, short row
            ["C1", "2,500.5", datetime.datetime(2026, 5, 1, 8, 30)],  # 5: fine
        ]
    )
    with translation.override("en"):
        rows = rows_of(data)
    errors = {(e.row, e.column): e.message for _n, _v, row_errors in rows for e in row_errors}
    assert set(errors) == {(2, "Quantity"), (2, "Delivery date"), (3, "Customer code"), (4, "Customer code")}
    assert "many" in errors[(2, "Quantity")] and "31/12/2026" in errors[(2, "Delivery date")]
    assert "NOPE" in errors[(3, "Customer code")]
    assert errors[(4, "Customer code")] == "This column is required."
    # The cells that could be read are there, so a reader can still check the rest of the row.
    assert rows[0][1]["customer"].code == "C1" and "quantity" not in rows[0][1]
    assert rows[2][1] == {"quantity": Decimal("4"), "delivery_date": None}
    assert rows[3] == (
        5,
        {
            "customer": Customer.objects.get(code="C1"),
            "quantity": Decimal("2500.5"),
            "delivery_date": datetime.date(2026, 5, 1),
        },
        [],
    )


@pytest.mark.django_db
def test_text_escaped_against_formulas_on_export_reads_back_as_written(make):
    make.customer(code="=C1")
    written = ["=SUM(A1:A2)", "+86 755", "-负号开头", "@home", "'=quoted"]
    data = write_workbook("t", ["Customer code", "Quantity", "Notes"], [["=C1", 1, text] for text in written])
    read = rows_of(data)
    assert [values["notes"] for _n, values, _e in read] == written
    assert {values["customer"].code for _n, values, _e in read} == {"=C1"}


@pytest.mark.django_db
def test_progress_is_reported_every_so_many_rows_with_the_total(make):
    make.customer(code="C1")
    data = sheet([["Customer code", "Quantity"]] + [["C1", i] for i in range(7)])
    calls = []
    read = read_sheet(data, COLUMNS)
    assert len(read) == 7
    checked = [
        n for n, _v, _e in read.iter_rows(progress=lambda done, total: calls.append((done, total)), every=3)
    ]
    assert checked == list(range(2, 9))
    assert calls == [(3, 7), (6, 7)]


@pytest.mark.django_db
def test_codes_are_looked_up_once_per_sheet_not_once_per_row(make, django_assert_num_queries):
    for i in range(20):
        make.customer(code=f"C{i}")
    data = sheet([["Customer code", "Quantity"]] + [[f"C{i % 20}", i] for i in range(300)])
    with django_assert_num_queries(1):
        rows = rows_of(data)
    assert len(rows) == 300 and not any(errors for _n, _v, errors in rows)


# ---------------------------------------------------------------- one cell


def test_convert_cell_reads_what_people_type():
    assert convert_cell(Column("n", "N", kind="int"), "12.0", {}) == 12
    assert convert_cell(Column("n", "N", kind="int"), 7.0, {}) == 7
    assert convert_cell(Column("d", "D", kind="decimal"), " 1,234.5 ", {}) == Decimal("1234.5")
    assert convert_cell(Column("b", "B", kind="bool"), "是", {}) is True
    assert convert_cell(Column("b", "B", kind="bool"), "否", {}) is False
    assert convert_cell(Column("b", "B", kind="bool"), "Yes", {}) is True
    assert convert_cell(Column("d", "D", kind="date"), "2026/01/02", {}) == datetime.date(2026, 1, 2)
    assert convert_cell(Column("d", "D", kind="date"), datetime.datetime(2026, 1, 2, 9), {}) == (
        datetime.date(2026, 1, 2)
    )
    assert convert_cell(Column("t", "T", kind="time"), "8:00", {}) == datetime.time(8, 0)
    assert convert_cell(Column("s", "S"), 1001.0, {}) == "1001"  # a code Excel stored as a number
    assert convert_cell(Column("s", "S"), "'+86 755", {}) == "+86 755"  # the export's escape undone


def test_an_empty_optional_cell_has_a_plain_default_and_an_empty_required_one_is_an_error():
    assert convert_cell(Column("s", "S"), None, {}) == ""
    assert convert_cell(Column("s", "S"), "   ", {}) == ""
    assert convert_cell(Column("n", "N", kind="int"), None, {}) is None
    assert convert_cell(Column("b", "B", kind="bool"), None, {}) is False
    assert convert_cell(Column("m", "M", kind="m2m", fk_model=WorkCentre), "", {}) == []
    with translation.override("en"), pytest.raises(CellError, match="This column is required."):
        convert_cell(Column("s", "S", required=True), " ", {})


@pytest.mark.parametrize(
    "kind,raw,named",
    [
        ("int", "5.5", "5.5"),
        ("int", "soon", "soon"),
        ("decimal", "lots", "lots"),
        ("decimal", "NaN", "NaN"),
        ("bool", "maybe", "maybe"),
        ("date", "31/12/2026", "31/12/2026"),
        ("time", "25:00", "25:00"),
    ],
)
def test_a_value_that_cannot_be_read_is_named_in_the_message(kind, raw, named):
    with translation.override("en"), pytest.raises(CellError) as error:
        convert_cell(Column("x", "X", kind=kind), raw, {})
    assert named in str(error.value)


@pytest.mark.django_db
def test_lookups_know_codes_of_live_records_and_both_spellings_of_a_choice(make):
    make.customer(code="C1")
    make.customer(code="OLD", is_archived=True)
    wc1, wc2 = make.work_centre(code="WC1"), make.work_centre(code="WC2")
    columns = [
        Column("customer", "Customer", kind="fk", fk_model=Customer),
        Column("status", "Status", kind="choice", choices=CreditStatus),
        Column("alternatives", "Alternatives", kind="m2m", fk_model=WorkCentre),
    ]
    lookups = lookups_for(columns)
    customer, status, alternatives = columns
    assert convert_cell(customer, "C1", lookups).code == "C1"
    with translation.override("en"), pytest.raises(CellError, match="OLD"):
        convert_cell(customer, "OLD", lookups)  # archived: not offered to a new record
    with translation.override("zh-hans"):
        chinese = str(CreditStatus.HOLD.label)
    assert convert_cell(status, "On hold", lookups) == "hold"
    assert convert_cell(status, chinese, lookups) == "hold"
    assert convert_cell(status, "HOLD", lookups) == "hold"
    with translation.override("en"), pytest.raises(CellError, match="Normal / On hold"):
        convert_cell(status, "maybe", lookups)
    assert convert_cell(alternatives, "WC1，WC2", lookups) == [wc1, wc2]  # a Chinese comma too
    with translation.override("en"), pytest.raises(CellError, match="WC9"):
        convert_cell(alternatives, "WC1, WC9", lookups)
