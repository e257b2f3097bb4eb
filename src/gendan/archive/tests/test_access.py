"""Confidential documents (R-6.3): listed to all who see the order, opened only by the allowed roles
and departments or with a live grant; requests decided by management; every view and download
logged; downloads watermarked with the reader's name and the time; a grant expires by itself."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from gendan.archive import services
from gendan.archive.models import AccessLog, AccessRequest, Grant
from gendan.core.attention import attention_for
from gendan.core.exceptions import WorkflowConflict


@pytest.fixture
def drawing(f, order):
    return f.upload(order, title="齿轮箱总装图")


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_drawing_is_listed_to_production_but_its_file_is_a_404_and_nothing_is_logged(drawing, client_for):
    client = client_for("production")
    listed = client.get(f"/archive/order/{drawing.order_id}/")
    assert listed.status_code == 200 and "齿轮箱总装图" in listed.content.decode()
    page = client.get(f"/archive/document/{drawing.pk}/")
    assert page.status_code == 200 and not page.context["access"].may_open
    assert f"/archive/document/{drawing.pk}/request/" in page.content.decode()
    assert client.get(f"/archive/document/{drawing.pk}/file/").status_code == 404
    assert client.get(f"/archive/document/{drawing.pk}/file/?inline=1").status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "", "days": 7}, "reason"),
        ({"reason": "排产", "days": 0}, "days"),
        ({"reason": "排产", "days": 999}, "days"),
        ({"reason": "排产", "days": "x"}, "days"),
    ],
)
def test_a_bad_request_names_the_field_and_records_nothing(drawing, client_for, data, field):
    response = client_for("production").post(f"/archive/document/{drawing.pk}/request/", data)
    assert response.status_code == 400
    assert field in response.context["request_form"].errors
    assert not AccessRequest.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.access_request_create(
            actor=drawing.uploaded_by.__class__.objects.get(username="production"),
            document_id=drawing.pk,
            **data,
        )
    assert field in exc.value.message_dict


def test_request_approve_view_is_logged_and_watermarked_then_the_grant_expires(drawing, client_for, users):
    production, manager = client_for("production"), client_for("management")
    response = production.post(
        f"/archive/document/{drawing.pk}/request/", {"reason": "安排加工工艺", "days": 3}
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert request.status == "pending"
    # Management is told on its home page; a second request while one waits is refused.
    assert any(item.count == 1 for item in attention_for(users["management"]))
    with pytest.raises(ValidationError):
        services.access_request_create(
            actor=users["production"], document_id=drawing.pk, reason="再次", days=3
        )
    # The requester cannot decide; management approves with POST only.
    assert production.post(f"/archive/requests/{request.pk}/approve/").status_code == 403
    assert manager.get(f"/archive/requests/{request.pk}/approve/").status_code == 405
    assert manager.post(f"/archive/requests/{request.pk}/approve/", {"note": "同意"}).status_code == 302
    grant = Grant.objects.get()
    assert grant.user == users["production"] and grant.expires_at - grant.starts_at == dt.timedelta(days=3)
    assert any(item.count == 1 for item in attention_for(users["production"]))

    download = production.get(f"/archive/document/{drawing.pk}/file/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    text = _text(download.content)
    assert "Production User" in text and timezone.localtime().strftime("%Y-%m-%d") in text
    view = production.get(f"/archive/document/{drawing.pk}/file/?inline=1")
    assert view.status_code == 200 and view["Content-Type"] == "application/pdf"
    log = list(
        AccessLog.objects.order_by("at", "id").values_list("user__username", "action", "version", "grant")
    )
    assert log == [("production", "download", 1, grant.pk), ("production", "view", 1, grant.pk)]

    # Three days later the grant has run out by itself: refused with a clear message, not logged.
    Grant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    refused = production.get(f"/archive/document/{drawing.pk}/file/")
    assert refused.status_code == 403
    assert "查阅权限已于" in refused.content.decode()  # "Your access to this document ended on …"
    assert AccessLog.objects.count() == 2
    page = production.get(f"/archive/document/{drawing.pk}/")
    assert page.context["access"].expired == Grant.objects.get()


def test_a_rejected_request_needs_a_note_and_opens_nothing(drawing, users, client_for):
    request = services.access_request_create(
        actor=users["purchasing"], document_id=drawing.pk, reason="外协询价", days=30
    )
    with pytest.raises(ValidationError) as exc:
        services.access_request_reject(actor=users["management"], request_id=request.pk, note="")
    assert "note" in exc.value.message_dict
    services.access_request_reject(actor=users["management"], request_id=request.pk, note="图纸不外发")
    with pytest.raises(WorkflowConflict):
        services.access_request_approve(actor=users["management"], request_id=request.pk)
    assert not Grant.objects.exists()
    assert client_for("purchasing").get(f"/archive/document/{drawing.pk}/file/").status_code == 404
    mine = client_for("purchasing").get("/archive/mine/")
    assert "图纸不外发" in mine.content.decode()


def test_only_management_decides_and_never_its_own_request(drawing, users):
    request = services.access_request_create(
        actor=users["quality"], document_id=drawing.pk, reason="首件", days=2
    )
    for role in ("merchandiser", "quality", "production"):
        with pytest.raises(PermissionDenied):
            services.access_request_approve(actor=users[role], request_id=request.pk)
    assert AccessRequest.objects.get().status == "pending"


def test_the_allowed_roles_and_departments_open_without_a_grant(f, order, users, client_for, departments):
    doc = f.upload(
        order, level="secret", allowed_roles=["management"], allowed_departments=[departments["quality"]]
    )
    assert client_for("management").get(f"/archive/document/{doc.pk}/file/").status_code == 200
    assert client_for("quality").get(f"/archive/document/{doc.pk}/file/").status_code == 200
    assert client_for("production").get(f"/archive/document/{doc.pk}/file/").status_code == 404
    # The uploader keeps his own document.
    assert client_for("merchandiser").get(f"/archive/document/{doc.pk}/file/").status_code == 200


def test_an_internal_document_opens_for_everyone_who_sees_the_order_unmarked(f, order, client_for):
    doc = f.upload(order, kind="specification", title="规格书")
    response = client_for("warehouse").get(f"/archive/document/{doc.pk}/file/")
    assert response.status_code == 200
    assert "Warehouse User" not in _text(response.content)
    assert AccessLog.objects.get().action == "download"


def test_an_svg_upload_is_served_as_an_attachment_never_inline(f, order, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    svg = SimpleUploadedFile(
        "x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    )
    doc = f.upload(order, kind="specification", title="svg", file=svg)
    response = client_for("merchandiser").get(f"/archive/document/{doc.pk}/file/?inline=1")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_access_log_page_and_its_export_are_for_management_only(drawing, users, client_for):
    services.document_open(actor=users["merchandiser"], document_id=drawing.pk)
    page = client_for("management").get("/archive/log/", {"user": "merch"})
    assert page.status_code == 200 and len(page.context["entries"]) == 1
    export = client_for("management").get("/archive/log/", {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert client_for("merchandiser").get("/archive/log/").status_code == 403
    assert client_for("merchandiser").get("/archive/requests/").status_code == 403
    assert client_for("management").get("/archive/log/", {"date_from": "nope"}).status_code == 200


def test_pages_render_for_management(drawing, users, client_for):
    services.access_request_create(actor=users["production"], document_id=drawing.pk, reason="排产", days=5)
    client = client_for("management")
    for url in (
        "/archive/",
        "/archive/requests/",
        "/archive/grants/",
        "/archive/mine/",
        f"/archive/order/{drawing.order_id}/upload/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_archive_pages_speak_the_readers_language(drawing, users, client_for):
    services.access_request_create(actor=users["production"], document_id=drawing.pk, reason="排产", days=5)
    manager = client_for("management")
    zh = manager.get("/archive/requests/").content.decode()
    assert "查阅申请" in zh and "Access requests" not in zh
    users["management"].language = "en"
    users["management"].save()
    en = client_for("management")
    en.force_login(users["management"])
    page = en.get("/archive/requests/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Access requests" in page and "查阅申请" not in page
