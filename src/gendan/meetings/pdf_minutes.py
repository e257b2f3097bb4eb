"""The minutes of a coordination meeting (会议纪要, R-4.3) as a PDF, in Chinese or English: the
meeting, who attended, each agenda issue with its decision, and the actions agreed (owner, due
date, the issue that follows each up)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gendan.core import pdf

from .models import Meeting
from .selectors import meeting_full


def _person(user) -> str:
    return (getattr(user, "display_name", "") or user.username) if user else "—"


def minutes_blocks(meeting: Meeting) -> list:
    """The PDF's blocks, in the active language (`meeting` from selectors.meeting_full)."""
    info = [
        (_("Meeting number"), meeting.number),
        (pgettext("meeting", "Subject"), meeting.title),
        (pgettext("meeting", "When"), timezone.localtime(meeting.held_on).strftime("%Y-%m-%d %H:%M")),
        (_("Place"), meeting.place or "—"),
        (_("Chair"), _person(meeting.chair)),
        (_("Status"), str(meeting.get_status_display())),
    ]
    attendees = ", ".join(_person(u) for u in meeting.attendees.all()) or "—"
    agenda_rows = [
        [
            str(n),
            item.issue.number,
            item.issue.title,
            item.issue.order.number if item.issue.order_id else "—",
            item.decision or "—",
        ]
        for n, item in enumerate(meeting.agenda.all(), start=1)
    ]
    action_rows = [
        [
            str(n),
            action.text,
            _person(action.owner),
            action.due_date.isoformat(),
            action.issue.number if action.issue else "—",
        ]
        for n, action in enumerate(meeting.actions.all(), start=1)
    ]
    return [
        pdf.KeyValues(info, columns=2),
        pdf.Spacer(3),
        pdf.Heading(_("Attendees"), level=2),
        pdf.Paragraph(attendees),
        pdf.Spacer(3),
        pdf.Heading(_("Agenda and decisions")),
        pdf.Table(
            [_("No."), _("Issue"), pgettext("issue", "Title"), _("Order"), pgettext("meeting", "Decision")],
            agenda_rows or [["", "", _("No issues on the agenda."), "", ""]],
            col_widths=[0.5, 1.5, 2.4, 1.3, 4.0],
            align="lllll",
        ),
        pdf.Spacer(3),
        pdf.Heading(_("Actions")),
        pdf.Table(
            [_("No."), pgettext("meeting", "Action"), _("Owner"), _("Due date"), _("Followed up as")],
            action_rows or [["", _("No actions."), "", "", ""]],
            col_widths=[0.5, 4.2, 1.5, 1.3, 1.5],
            align="lllll",
        ),
        pdf.Spacer(8),
        pdf.Signatures([_("Chair"), _("Minutes taken by")], per_row=2),
    ]


def minutes_pdf(meeting: Meeting, *, lang: str = "zh-hans") -> bytes:
    meeting = meeting_full(meeting)
    with translation.override(lang):
        blocks = minutes_blocks(meeting)
        return pdf.render_pdf(
            title=_("Minutes of the coordination meeting"),
            blocks=blocks,
            lang=lang,
            header_note=meeting.number,
        )
