"""Uploads, versions, filing of the system's documents, and the search (R-6.1)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.archive import services
from gendan.archive.models import Document
from gendan.orders.models import OrderAttachment

from .conftest import pdf_upload


def test_the_same_title_again_is_the_next_version_and_the_older_one_stays(f, order, client_for):
    first = f.upload(order, title="总装图")
    second = f.upload(order, title="总装图")
    other = f.upload(order, title="零件图")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.file.name != second.file.name and first.file.name.startswith("archive/")
    page = client_for("merchandiser").get(f"/archive/document/{second.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "v1" in html and "v2" in html


def test_a_drawing_is_confidential_by_default_and_opens_for_management_and_merchandisers(f, order):
    doc = f.upload(order)
    assert doc.level == "confidential"
    assert set(doc.allowed_roles) == {"management", "merchandiser"}


@pytest.mark.parametrize(
    ("field", "kw", "message"),
    [
        ("title", {"title": "  "}, "title"),
        ("kind", {"kind": "rocket"}, "kind"),
        ("level", {"level": "top"}, "level"),
        ("filed_on", {"filed_on": dt.date.today() + dt.timedelta(days=3)}, "future"),
    ],
)
def test_bad_upload_names_the_field_and_files_nothing(f, order, field, kw, message):
    with pytest.raises(ValidationError) as exc:
        f.upload(order, **kw)
    assert field in exc.value.message_dict
    assert not Document.objects.exists()


def test_an_oversize_upload_is_refused_on_the_page_naming_the_file(client_for, order, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2000)
    response = client_for("merchandiser").post(
        f"/archive/order/{order.pk}/upload/", {"kind": "drawing", "title": "大图", "file": big}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["file"]
    assert not Document.objects.exists()


def test_upload_page_files_the_document(client_for, order):
    response = client_for("merchandiser").post(
        f"/archive/order/{order.pk}/upload/",
        {"kind": "specification", "title": "技术要求", "file": pdf_upload("spec.pdf"), "level": ""},
    )
    assert response.status_code == 302
    doc = Document.objects.get()
    assert (doc.level, doc.original_name, doc.uploaded_by.username) == (
        "internal",
        "spec.pdf",
        "merchandiser",
    )


def test_uploading_to_an_order_one_cannot_see_is_refused(f, users):
    theirs = f.order(merchandiser=f.make.user(role="merchandiser", username="m3"), released=False)
    with pytest.raises(ValidationError) as exc:
        f.upload(theirs)
    assert "order" in exc.value.message_dict


def test_opening_the_archive_files_the_orders_attachments_once(f, order, client_for, users):
    att = OrderAttachment(
        order=order, kind="order_copy", original_name="SO-v1.pdf", size=10, uploaded_by=users["merchandiser"]
    )
    att.file.save("copy.pdf", pdf_upload().file, save=False)
    att.save()
    client = client_for("merchandiser")
    assert client.get(f"/archive/order/{order.pk}/").status_code == 200
    assert client.get(f"/archive/order/{order.pk}/").status_code == 200
    doc = Document.objects.get()
    assert (doc.kind, doc.source_ref, doc.title) == ("order_copy", f"attachment:{att.pk}", "SO-v1.pdf")
    response = client.get(f"/archive/document/{doc.pk}/file/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_search_by_order_customer_product_kind_level_and_dates(f, client_for):
    a, b = f.order(), f.order()
    d1 = f.upload(a, title="A图", kind="drawing")
    d2 = f.upload(b, title="B规格", kind="specification")
    Document.objects.filter(pk=d2.pk).update(filed_on=timezone.localdate() - dt.timedelta(days=40))
    client = client_for("merchandiser")

    def titles(**params):
        response = client.get("/archive/", params)
        assert response.status_code == 200
        return {d.title for d in response.context["result"].rows}

    assert titles() == {"A图", "B规格"}
    assert titles(order=a.number) == {"A图"}
    assert titles(customer=b.customer.name) == {"B规格"}
    assert titles(product=a.lines.first().product.code) == {"A图"}
    assert titles(kind="specification") == {"B规格"}
    assert titles(level="confidential") == {"A图"}
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert titles(date_from=since) == {"A图"}
    assert titles(date_to=since) == {"B规格"}
    assert d1.pk in {d.pk for d in client.get("/archive/").context["result"].rows}
    # Bad filters are a clear 200 with the form's errors, never a 500.
    bad = client.get("/archive/", {"date_from": "yesterday", "kind": "x", "page": "abc"})
    assert bad.status_code == 200 and bad.context["result"].form.errors


def test_another_merchandisers_documents_are_not_listed_and_their_pages_are_404(f, order, client_for, users):
    doc = f.upload(order, kind="specification")
    other = f.make.user(role="merchandiser", username="m2")
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get("/archive/").context["result"].rows == []
    assert client.get(f"/archive/document/{doc.pk}/").status_code == 404
    assert client.get(f"/archive/document/{doc.pk}/file/").status_code == 404
    assert client.get(f"/archive/order/{order.pk}/").status_code == 404


def test_search_reads_the_same_number_of_queries_for_few_and_many_documents(f, client_for):
    order = f.order()
    client = client_for("merchandiser")
    f.upload(order, title="d0", kind="specification")
    with CaptureQueriesContext(connection) as few:
        client.get("/archive/")
    for n in range(1, 70):
        Document.objects.create(
            order=order, customer=order.customer, kind="other", title=f"d{n}", filed_on=timezone.localdate()
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/archive/")
    assert len(response.context["result"].rows) == 50 and response.context["result"].has_next
    assert len(many) == len(few)


def test_bad_page_numbers_are_clamped(client_for, f, order):
    f.upload(order, kind="specification")
    for page in ("0", "-3", "99999999999999999999", "x"):
        assert client_for("merchandiser").get("/archive/", {"page": page}).status_code == 200


def test_filing_is_idempotent(order):
    assert services.archive_file_order(order=order) == 0


def test_the_nightly_command_files_every_released_orders_attachments(f, users):
    from django.core.management import call_command

    order, draft = f.order(), f.order(released=False)
    for o in (order, draft):
        att = OrderAttachment(
            order=o, kind="customer_po", original_name="PO.pdf", uploaded_by=users["merchandiser"]
        )
        att.file.save("po.pdf", pdf_upload().file, save=False)
        att.save()
    call_command("archive_file", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("archive_file", stdout=open("/dev/null", "w"))  # noqa: SIM115
    doc = Document.objects.get()
    assert (doc.order, doc.kind, doc.level) == (order, "customer_po", "confidential")


def test_bad_ids_are_404_never_500(client_for, api_for):
    client = client_for("management")
    for url in (
        "/archive/document/99999999999999999999999/",
        "/archive/document/99999999999999999999999/file/",
        "/archive/order/99999999999999999999999/",
    ):
        assert client.get(url).status_code == 404, url
    api = api_for("management")
    assert api.get("/api/archive-documents/abc/").status_code == 404
    assert api.get("/api/archive-documents/99999999999999999999999/download/").status_code == 404
    assert api.post("/api/archive-requests/abc/approve/", {}).status_code == 404
    bad = api.post("/api/archive-requests/", {"document": 10**30, "reason": "x", "days": 1}, format="json")
    assert bad.status_code == 400 and "document" in bad.json()


def test_the_receiving_departments_see_the_archive_of_released_orders_only(f, client_for):
    released, draft = f.order(), f.order(released=False)
    f.upload(released, kind="specification", title="已下达")
    f.upload(draft, kind="specification", title="草稿")
    for role in ("production", "warehouse", "logistics"):
        rows = client_for(role).get("/archive/").context["result"].rows
        assert [d.title for d in rows] == ["已下达"], role
    assert {d.title for d in client_for("merchandiser").get("/archive/").context["result"].rows} == {
        "已下达",
        "草稿",
    }


@pytest.fixture
def compiled():
    """The real Chinese catalogues (compiled as `gendan demo` does), not stand-ins."""
    from django.core.management import call_command
    from django.test.signals import language_changed

    call_command("compile_catalogues", verbosity=0)
    language_changed(setting="LOCALE_PATHS")


def test_the_archive_pages_head_a_documents_title_and_a_logs_time_in_chinese(f, order, users, compiled):
    """Not 职务 (a person's job title) nor 条件 (an escalation rule's condition), which other apps'
    catalogues give the bare words."""
    from django.test import Client

    f.upload(order, title="总装图")
    manager = Client()
    manager.force_login(users["management"])
    heads = {
        "/archive/": "标题",
        f"/archive/order/{order.pk}/": "标题",
        "/archive/log/": "时间",
    }
    for path, head in heads.items():
        html = manager.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert f"<th>{head}</th>" in html, path
        assert "<th>职务</th>" not in html and "<th>条件</th>" not in html, path
