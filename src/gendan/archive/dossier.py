"""The order's dossier (订单档案包) for a customer audit: one ZIP with an index PDF (the order, its
customer, every document with its kind, title, version, date, confidentiality and its file name in
the ZIP) and every file the reader may open. A confidential document he may not open is listed in
the index as withheld and left out. The ZIP is written to a temporary file and bounded in size."""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gendan.accounts.models import User
from gendan.core import pdf
from gendan.core.audit import audit_record
from gendan.orders.models import Order

from .access import openable_ids
from .choices import LogAction
from .models import AccessLog
from .selectors import order_archive
from .services import archive_file_order, open_content
from .watermark import watermark, watermark_text

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def max_bytes() -> int:
    return int(getattr(settings, "ARCHIVE_DOSSIER_MAX_BYTES", 500 * 1024 * 1024))


def _safe(name: str) -> str:
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    return name[-120:]


@dataclass
class Dossier:
    file: IO[bytes]
    filename: str
    included: int
    withheld: int


def _index_pdf(order: Order, rows: list[list[str]], lang: str) -> bytes:
    with translation.override(lang):
        blocks = [
            pdf.KeyValues(
                [
                    (_("Order number"), order.number),
                    (_("Customer"), str(order.customer)),
                    (_("Documents"), str(len(rows))),
                    (_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
                ],
                columns=2,
            ),
            pdf.Spacer(3),
            pdf.Table(
                [
                    _("No."),
                    _("Kind"),
                    pgettext("document", "Title"),
                    _("Version"),
                    _("Filed on"),
                    _("Confidentiality"),
                    _("File in the ZIP"),
                ],
                rows or [["", "", _("No documents."), "", "", "", ""]],
                col_widths=[0.5, 1.3, 2.6, 0.7, 1.1, 1.1, 2.8],
                align="lllllll",
            ),
        ]
        return pdf.render_pdf(title=_("Order dossier"), blocks=blocks, lang=lang, header_note=order.number)


class _TooLarge(Exception):
    pass


def dossier_build(*, actor: User, order_id: int, lang: str = "zh-hans") -> Dossier:
    """Export the order's dossier as `actor` sees it. Every file put in is logged as exported;
    confidential ones carry his watermark. Refused (ValidationError) past the size limit."""
    order = Order.objects.restrict(actor, "view").select_related("customer").get(pk=order_id)
    archive_file_order(order=order)
    documents = sorted(
        order_archive(user=actor, order=order), key=lambda d: (d.filed_on, d.kind, d.title, d.version, d.pk)
    )
    may_open = openable_ids(actor, documents)
    limit = max_bytes()
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response streams and closes it)
    try:
        with translation.override(lang), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            logs = _fill(zf, order, documents, may_open, actor=actor, lang=lang, limit=limit)
    except _TooLarge:
        out.close()
        raise ValidationError(
            _("The dossier would be larger than %(limit)s; export fewer documents.")
            % {"limit": filesizeformat(limit)}
        ) from None
    AccessLog.objects.bulk_create(logs)
    audit_record(
        actor=actor,
        obj=order,
        action="archive_dossier",
        note=f"{len(logs)}/{len(documents)}",
        scope=order.scope,
    )
    out.seek(0)
    return Dossier(
        file=out,
        filename=f"{order.number}-dossier.zip",
        included=len(logs),
        withheld=sum(1 for d in documents if d.pk not in may_open),
    )


def _fill(zf, order, documents, may_open, *, actor, lang, limit) -> list[AccessLog]:
    rows: list[list[str]] = []
    logs: list[AccessLog] = []
    written = 0
    names: set[str] = set()
    stamp = watermark_text(name=str(actor), when=timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    for n, doc in enumerate(documents, start=1):
        opened = open_content(doc, user=actor, lang=lang) if doc.pk in may_open else None
        if doc.pk not in may_open:
            where = _("Withheld (confidential)")
        elif opened is None:
            where = _("File missing")
        else:
            name = f"{n:03d}-{_safe(opened.filename)}"
            if name in names:
                name = f"{n:03d}-{doc.pk}-{_safe(opened.filename)}"
            names.add(name)
            data = opened.read()
            if doc.is_restricted:
                data = watermark(data, opened.filename, stamp)
            written += len(data)
            if written > limit:
                raise _TooLarge
            zf.writestr(f"files/{name}", data)
            where = f"files/{name}"
            logs.append(AccessLog(document=doc, version=doc.version, user=actor, action=LogAction.DOSSIER))
        rows.append(
            [
                str(n),
                str(doc.kind_label),
                doc.title,
                str(doc.version),
                doc.filed_on.isoformat(),
                str(doc.get_level_display()),
                where,
            ]
        )
    zf.writestr("index.pdf", _index_pdf(order, rows, lang))
    return logs
