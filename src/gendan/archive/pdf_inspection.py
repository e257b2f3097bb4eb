"""The report of an in-process or final inspection (检验报告) as filed in the order's archive: the
quality app keeps the records and shows them as pages; the archive prints one for a customer audit."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core import pdf
from gendan.quality.models import ProcessInspection


def inspection_report_pdf(inspection: ProcessInspection, *, lang: str = "zh-hans") -> bytes:
    with translation.override(lang):
        line = inspection.order_line
        product = line.product.local_name if line.product_id else line.product_code
        completed = timezone.localtime(inspection.completed_at) if inspection.completed_at else None
        blocks = [
            pdf.KeyValues(
                [
                    (_("Order"), inspection.order.number),
                    (_("Line"), str(line.line_no)),
                    (_("Product"), product or "—"),
                    (_("Kind"), str(inspection.get_kind_display())),
                    (_("Lot quantity"), str(inspection.lot_quantity)),
                    (_("Sample size"), str(inspection.sample_size)),
                    ("Ac / Re", f"{inspection.accept_number} / {inspection.reject_number}"),
                    (_("Defective units"), str(inspection.nonconforming)),
                    (_("Result"), str(inspection.get_status_display())),
                    (_("Inspector"), str(inspection.inspector) if inspection.inspector_id else "—"),
                    (_("Completed"), f"{completed:%Y-%m-%d %H:%M}" if completed else "—"),
                ],
                columns=2,
            ),
            pdf.Spacer(3),
            pdf.Paragraph(inspection.note or "—"),
            pdf.Spacer(8),
            pdf.Signatures([_("Inspector"), _("Quality manager")], per_row=2),
        ]
        return pdf.render_pdf(
            title=_("Inspection report"),
            blocks=blocks,
            lang=lang,
            header_note=f"{inspection.order.number} QC-{inspection.pk}",
        )
