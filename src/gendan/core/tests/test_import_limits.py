"""Bounded imports (issue 14): an .xlsx is checked for its size, what it unpacks to, its rows and
columns before it is read, at upload time in the page and again in the worker; rows are streamed
and counted, so a declared dimension that lies does not help. Small files and small limits stand
in for the hostile 1,000,000-row sheet (bench/import_limits.py builds that one)."""

import io
import re
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from gendan.core.excel import SheetRejected, read_rows
from gendan.core.models import ImportJob
from gendan.core.tasks import import_job_run
from gendan.masterdata.models import Product
from gendan.testing.helpers import xlsx_bytes as sheet

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Product code", "Product name", "Kind", "Unit", "Standard lead time (days)"]


def products(n: int) -> bytes:
    return sheet([HEADER] + [[f"P{i}", f"产品 {i}", "finished", "pcs", 3] for i in range(n)])


def with_dimension(data: bytes, ref: str | None) -> bytes:
    """The same workbook with the sheet's declared dimension replaced (a lying one) or removed."""
    element = f'<dimension ref="{ref}"/>'.encode() if ref else b""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body, count = re.subn(rb'<dimension ref="[^"]*" ?/>', element, body)
                assert count == 1
            target.writestr(item, body)
    return out.getvalue()


def claiming_huge_part(data: bytes, claimed: int = 3_000_000_000) -> bytes:
    """A hand-made zip bomb: the sheet's entry in the central directory claims `claimed` bytes."""
    raw = bytearray(data)
    name = b"xl/worksheets/sheet1.xml"
    at = raw.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", raw, at + 28)[0]
        if bytes(raw[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", raw, at + 24, claimed)  # uncompressed size
            return bytes(raw)
        at = raw.find(b"PK\x01\x02", at + 4)
    raise AssertionError("no sheet entry")


def reason(data: bytes) -> str:
    with translation.override("en"), pytest.raises(SheetRejected) as rejected:
        read_rows(data)
    return " ".join(e.message for e in rejected.value.errors)


def post(client, data: bytes, name="products.xlsx"):
    return client.post("/masterdata/product/import/", {"file": SimpleUploadedFile(name, data, XLSX)})


# ---------------------------------------------------------------- the reader (what the worker does)


def test_too_many_rows_are_rejected_from_the_declared_dimension(settings):
    settings.IMPORT_MAX_ROWS = 5
    assert "The sheet has 8 data rows; at most 5 can be imported at once" in reason(products(8))


@pytest.mark.parametrize("ref", ["A1:E2", None])
def test_rows_are_counted_while_streaming_when_the_dimension_lies_or_is_missing(settings, ref):
    settings.IMPORT_MAX_ROWS = 5
    data = with_dimension(products(8), ref)
    assert "The sheet has more than 5 data rows" in reason(data)


def test_a_lying_dimension_no_longer_hides_rows(settings):
    """Before, openpyxl believed the dimension and left the rows below it out without a word."""
    header, body = read_rows(with_dimension(products(8), "A1:E2"))
    assert len(header) == 5 and len(body) == 8


def test_at_the_row_limit_the_sheet_is_read(settings):
    settings.IMPORT_MAX_ROWS = 8
    assert len(read_rows(products(8))[1]) == 8


def test_too_many_columns_in_the_header_or_in_a_row_are_rejected(settings):
    settings.IMPORT_MAX_COLUMNS = 5
    assert "The sheet has 7 columns; at most 5 are accepted." in reason(sheet([HEADER + ["x", "y"], ["P1"]]))
    far = sheet([HEADER, ["P1", "n", "finished", "pcs", 3] + [None] * 40 + ["far away"]])
    assert "The sheet has 46 columns" in reason(with_dimension(far, "A1:E2"))


def test_a_workbook_that_unpacks_beyond_the_limit_is_rejected_before_it_is_read(settings):
    data = products(50)
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 20_000
    assert "unpacks to" in reason(data) and "the limit is 19.5\xa0KB" in reason(data)


def test_a_zip_bomb_part_is_rejected_from_the_size_it_claims():
    text = reason(claiming_huge_part(products(3)))
    assert "The part “xl/worksheets/sheet1.xml” of the workbook unpacks to 2.8\xa0GB" in text


def with_texts(data: bytes, count: int) -> bytes:
    """The workbook with a shared-strings part of `count` texts (every other one with a prefix)."""
    texts = b"".join(b"<si><t>x</t></si>" if i % 2 else b"<x:si><x:t>y</x:t></x:si>" for i in range(count))
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as target:
        target.writestr("xl/sharedStrings.xml", b'<sst xmlns:x="urn:x">' + texts + b"</sst>")
    return out.getvalue()


def test_too_many_different_texts_are_rejected_before_the_workbook_is_opened(settings):
    """A small file can hold millions of tiny shared strings, all read into memory on opening."""
    settings.IMPORT_MAX_SHARED_STRINGS = 120
    assert len(read_rows(with_texts(products(3), 120))[1]) == 3
    assert "more than 120 different texts" in reason(with_texts(products(3), 121))


def damaged_after_row(data: bytes, rows: int) -> bytes:
    """The workbook with no declared dimension and its sheet XML cut off after `rows` rows."""
    source = zipfile.ZipFile(io.BytesIO(with_dimension(data, None)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: body.index(f'<row r="{rows + 1}"'.encode())] + b"<row r=<<garbage"
            target.writestr(item, body)
    return out.getvalue()


def test_opening_a_workbook_reads_only_the_head_of_a_sheet_that_declares_no_dimension(settings):
    """openpyxl looked for the dimension to the end of the sheet (24 s for 50 MB before the first
    row): the page's check of a sheet damaged past its first rows shows it reads no further."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gendan.core.excel.limits import check_upload_workbook

    data = damaged_after_row(products(8), 4)
    check_upload_workbook(SimpleUploadedFile("p.xlsx", data))  # no dimension, no error: head only
    assert reason(data) == "The sheet is damaged after row 4 and cannot be read; nothing was changed."


def test_a_file_over_the_upload_limit_is_rejected_by_the_reader_too(settings):
    data = products(20)
    settings.IMPORT_MAX_UPLOAD_BYTES = len(data) - 1
    assert "The file is too large" in reason(data)


def test_not_a_workbook_a_plain_zip_and_a_password_protected_file_are_named():
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("notes.txt", "hello")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert reason(b"customer,quantity\nC1,5\n") == "The file is not an Excel workbook (.xlsx)."
    assert "zip archive but not an Excel workbook" in reason(plain.getvalue())
    assert "password-protected" in reason(ole)


# ---------------------------------------------------------------- the page and the worker


@pytest.mark.parametrize(
    "limit,value,expected",
    [
        ("IMPORT_MAX_ROWS", 5, "The sheet has 8 data rows; at most 5"),
        ("IMPORT_MAX_COLUMNS", 3, "The sheet has 5 columns; at most 3 are accepted."),
        ("IMPORT_MAX_UNCOMPRESSED_BYTES", 5_000, "unpacks to"),
        ("IMPORT_MAX_UPLOAD_BYTES", 1_000, "The file is too large"),
    ],
)
def test_the_page_rejects_a_sheet_over_a_limit_at_upload_and_stores_nothing(
    client_for, users, settings, tmp_path, limit, value, expected
):
    settings.MEDIA_ROOT = str(tmp_path)
    users["production"].language = "en"
    users["production"].save()
    setattr(settings, limit, value)
    response = post(client_for("production"), products(8))
    assert response.status_code == 200
    assert expected in " ".join(response.context["form"].errors["file"])
    assert ImportJob.objects.count() == 0 and Product.objects.count() == 0
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
        (b"PK\x03\x04 broken", "not an Excel workbook"),
    ],
)
def test_the_page_names_a_password_protected_or_broken_file(client_for, users, data, expected):
    users["production"].language = "en"
    users["production"].save()
    response = post(client_for("production"), data)
    assert response.status_code == 200
    assert expected in " ".join(response.context["form"].errors["file"])
    assert ImportJob.objects.count() == 0


def test_the_worker_checks_the_limits_again_and_removes_the_rejected_file(users, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    job = ImportJob(kind="products", original_name="p.xlsx", created_by=users["admin"], language="zh-hans")
    job.file.save("p.xlsx", SimpleUploadedFile("p.xlsx", products(8)), save=False)
    job.save()
    settings.IMPORT_MAX_ROWS = 5  # lowered after the upload was accepted
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED
    assert "5" in job.errors[0]["message"] and any(
        "\u4e00" <= c <= "\u9fff" for c in job.errors[0]["message"]
    )
    assert Product.objects.count() == 0
    assert not any(p.is_file() for p in tmp_path.rglob("*")), list(tmp_path.rglob("*"))
    assert not job.file


def test_every_import_page_states_the_limits(client_for, users, settings):
    settings.IMPORT_MAX_ROWS = 12345
    settings.IMPORT_MAX_COLUMNS = 77
    users["admin"].language = "en"
    users["admin"].save()
    client = client_for("admin")
    for url in ["/masterdata/product/import/", "/orders/order/import/", "/inventory/movement/import/"]:
        html = client.get(url).content.decode()
        assert "12345" in html and "77 columns" in html and "10.0\xa0MB" in html, url
