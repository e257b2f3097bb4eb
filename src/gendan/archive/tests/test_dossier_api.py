"""The order dossier ZIP (R-6.1) and the archive's API (same rules as the pages)."""

import io
import shutil
import subprocess
import zipfile

import pytest

from gendan.archive import services
from gendan.archive.models import AccessLog, AccessRequest, Document, Grant

from .conftest import pdf_upload


def _pdftotext(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "index.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return out.stdout.decode()


def test_the_dossier_has_an_index_and_every_file_the_reader_may_open(f, order, client_for, tmp_path):
    drawing = f.upload(order, title="齿轮箱总装图")
    spec = f.upload(order, kind="specification", title="技术要求", file=pdf_upload("spec.pdf"))
    response = client_for("production").post(f"/archive/order/{order.pk}/dossier/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "index.pdf" in names
    files = [n for n in names if n.startswith("files/")]
    assert len(files) == 1 and files[0].endswith("spec.pdf")
    text = _pdftotext(archive.read("index.pdf"), tmp_path)
    for expected in (order.number, "技术要求", "齿轮箱总装图", files[0]):
        assert expected in text
    assert "保密" in text or "Withheld" in text or "不提供" in text  # the drawing is listed as withheld
    log = list(AccessLog.objects.values_list("document_id", "action", "user__username"))
    assert log == [(spec.pk, "dossier", "production")]
    assert drawing.pk not in {d for d, *_ in log}


def test_the_merchandisers_dossier_carries_the_drawing_watermarked(f, order, client_for):
    f.upload(order, title="齿轮箱总装图")
    response = client_for("merchandiser").post(f"/archive/order/{order.pk}/dossier/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (name,) = [n for n in archive.namelist() if n.startswith("files/")]
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
    assert "Merchandiser User" in text


def test_a_dossier_past_the_size_limit_is_refused_with_a_message(f, order, client_for, settings):
    f.upload(order, kind="specification", title="大文件")
    settings.ARCHIVE_DOSSIER_MAX_BYTES = 100
    response = client_for("merchandiser").post(f"/archive/order/{order.pk}/dossier/", follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]
    assert not AccessLog.objects.exists()


def test_a_dossier_is_a_post_and_another_merchandisers_order_is_a_404(f, order, client_for):
    assert client_for("merchandiser").get(f"/archive/order/{order.pk}/dossier/").status_code == 405
    draft = f.order(released=False)
    assert client_for("production").post(f"/archive/order/{draft.pk}/dossier/").status_code == 404


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_with_the_page_filters_and_says_what_one_may_open(f, order, api_for):
    drawing = f.upload(order, title="总装图")
    spec = f.upload(order, kind="specification", title="规格")
    response = api_for("production").get("/api/archive-documents/", {"kind": "drawing"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["id"], r["may_open"]) for r in rows] == [(drawing.pk, False)]
    rows = api_for("production").get("/api/archive-documents/").json()["results"]
    assert {r["id"]: r["may_open"] for r in rows} == {drawing.pk: False, spec.pk: True}
    assert api_for("production").get("/api/archive-documents/", {"date_from": "x"}).status_code == 400


def test_api_download_follows_the_same_rules(f, order, api_for, users):
    drawing = f.upload(order, title="总装图")
    assert api_for("production").get(f"/api/archive-documents/{drawing.pk}/download/").status_code == 404
    assert not AccessLog.objects.exists()
    ok = api_for("merchandiser").get(f"/api/archive-documents/{drawing.pk}/download/")
    assert ok.status_code == 200 and ok["Content-Type"] == "application/octet-stream"
    assert AccessLog.objects.get().user == users["merchandiser"]


def test_api_request_approve_reject_and_grants(f, order, api_for, users):
    drawing = f.upload(order, title="总装图")
    api = api_for("production")
    bad = api.post(
        "/api/archive-requests/", {"document": drawing.pk, "reason": "", "days": 999}, format="json"
    )
    assert bad.status_code == 400 and {"reason", "days"} <= set(bad.json())
    made = api.post(
        "/api/archive-requests/", {"document": drawing.pk, "reason": "排产", "days": 2}, format="json"
    )
    assert made.status_code == 201 and made.json()["status"] == "pending"
    pk = made.json()["id"]
    assert api.post(f"/api/archive-requests/{pk}/approve/", {}, format="json").status_code == 403
    approved = api_for("management").post(
        f"/api/archive-requests/{pk}/approve/", {"note": "好"}, format="json"
    )
    assert approved.status_code == 200 and approved.json()["expires_at"]
    again = api_for("management").post(f"/api/archive-requests/{pk}/reject/", {"note": "迟了"}, format="json")
    assert again.status_code == 409
    grants = api.get("/api/archive-grants/").json()["results"]
    assert [g["document"] for g in grants] == [drawing.pk] and grants[0]["is_live"]
    assert api.get(f"/api/archive-documents/{drawing.pk}/download/").status_code == 200
    # Another person's grants and requests are not his to read.
    assert api_for("quality").get("/api/archive-grants/").json()["results"] == []
    assert api_for("quality").get(f"/api/archive-requests/{pk}/").status_code == 404


def test_api_upload_names_the_field_and_cannot_set_who_uploaded(order, api_for, users, settings):
    api = api_for("merchandiser")
    bad = api.post(
        "/api/archive-documents/", {"order": order.pk, "kind": "drawing", "title": "", "file": pdf_upload()}
    )
    assert bad.status_code == 400 and "title" in bad.json()
    settings.MAX_UPLOAD_BYTES = 100
    big = api.post(
        "/api/archive-documents/", {"order": order.pk, "kind": "drawing", "title": "图", "file": pdf_upload()}
    )
    assert big.status_code == 400 and "file" in big.json()
    settings.MAX_UPLOAD_BYTES = 10**7
    ok = api.post(
        "/api/archive-documents/",
        {
            "order": order.pk,
            "kind": "drawing",
            "title": "图",
            "file": pdf_upload(),
            "uploaded_by": users["admin"].pk,
        },
    )
    assert ok.status_code == 201 and ok.json()["version"] == 1
    assert Document.objects.get().uploaded_by == users["merchandiser"]
    assert (
        api_for("warehouse")
        .post(
            "/api/archive-documents/",
            {"order": order.pk, "kind": "drawing", "title": "图", "file": pdf_upload()},
        )
        .status_code
        == 403
    )


def test_requests_and_grants_are_recorded_once_each(f, order, users):
    drawing = f.upload(order)
    req = services.access_request_create(
        actor=users["quality"], document_id=drawing.pk, reason="检验", days=1
    )
    services.access_request_approve(actor=users["management"], request_id=req.pk)
    assert (AccessRequest.objects.count(), Grant.objects.count()) == (1, 1)
