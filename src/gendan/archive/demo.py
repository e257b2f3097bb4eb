"""The archive's part of the demo factory (last, step 95): every demo order's system documents
filed; a drawing and a specification uploaded to the merchandiser's first released order (the
drawing confidential, in two versions); a granted request still valid, a rejected one, a grant that
has expired, and the views and downloads they made in the log. Building again adds nothing."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gendan.core import pdf
from gendan.core.demo import DemoPart
from gendan.orders.models import Order

from .choices import LogAction
from .models import AccessLog, AccessRequest, Document, Grant
from .services import (
    access_request_approve,
    access_request_create,
    access_request_reject,
    archive_file_order,
    document_open,
    document_upload,
)

DRAWING_TITLE = "齿轮箱总装图 / Gearbox assembly drawing"


def _drawing(version: int) -> SimpleUploadedFile:
    data = pdf.render_pdf(
        title="齿轮箱总装图 Gearbox assembly drawing",
        header_note=f"DWG-GB-100 rev {version}",
        blocks=[
            pdf.KeyValues([("图号 Drawing no.", "DWG-GB-100"), ("版本 Revision", str(version))]),
            pdf.Paragraph("机密：仅限授权人员 / Confidential: authorised people only"),
        ],
    )
    return SimpleUploadedFile(f"DWG-GB-100-rev{version}.pdf", data, content_type="application/pdf")


def build_archive(*, users, **_earlier) -> DemoPart:
    for order in Order.objects.filter(released_at__isnull=False).order_by("pk"):
        archive_file_order(order=order)
    if not Document.objects.filter(source_ref="").exists():
        _uploads(users)
    return DemoPart(
        counts={
            "archive documents": Document.objects.count(),
            "access requests": AccessRequest.objects.count(),
            "access log entries": AccessLog.objects.count(),
        }
    )


def _uploads(users) -> None:
    merchandiser, manager = users.get("merchandiser"), users.get("manager")
    if merchandiser is None or manager is None:
        return
    order = Order.objects.filter(merchandiser=merchandiser, released_at__isnull=False).order_by("pk").first()
    if order is None:
        return
    for version in (1, 2):
        drawing = document_upload(
            actor=merchandiser, order_id=order.pk, kind="drawing", title=DRAWING_TITLE, file=_drawing(version)
        )
    spec = SimpleUploadedFile("spec.txt", "技术要求：齿面硬度 HRC58-62\nTooth hardness HRC58-62\n".encode())
    document_upload(
        actor=merchandiser,
        order_id=order.pk,
        kind="specification",
        title="技术要求 / Specification",
        file=spec,
    )
    planner, purchaser, inspector = users.get("planner"), users.get("purchaser"), users.get("inspector")
    if planner:
        granted = access_request_create(
            actor=planner, document_id=drawing.pk, reason="安排加工工艺 / To plan the machining", days=14
        )
        access_request_approve(actor=manager, request_id=granted.pk, note="同意 / Agreed")
        document_open(actor=planner, document_id=drawing.pk, action=LogAction.VIEW)
        document_open(actor=planner, document_id=drawing.pk, action=LogAction.DOWNLOAD)
    if purchaser:
        refused = access_request_create(
            actor=purchaser,
            document_id=drawing.pk,
            reason="询价外协 / To ask subcontractors for prices",
            days=30,
        )
        access_request_reject(
            actor=manager, request_id=refused.pk, note="图纸不外发，请用规格书询价 / Drawings stay in house"
        )
    if inspector:
        old = access_request_create(
            actor=inspector, document_id=drawing.pk, reason="首件检验 / First article", days=3
        )
        access_request_approve(actor=manager, request_id=old.pk)
        document_open(actor=inspector, document_id=drawing.pk, action=LogAction.DOWNLOAD)
        # That was ten days ago: the three days are over.
        past = timezone.now() - dt.timedelta(days=10)
        Grant.objects.filter(request=old).update(starts_at=past, expires_at=past + dt.timedelta(days=3))
        AccessRequest.objects.filter(pk=old.pk).update(requested_at=past, decided_at=past, seen_at=past)
    document_open(actor=manager, document_id=drawing.pk, action=LogAction.VIEW)
