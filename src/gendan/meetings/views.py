"""Coordination meeting pages (R-4.3): the list, calling one, the meeting's page (attendees, agenda,
decisions, actions, its steps), the agenda builder and the minutes' PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from gendan.core.crud import Col, EntityViews
from gendan.core.fieldaccess import redact_entries
from gendan.core.selectors import history_for

from . import services
from .choices import EDITABLE_STATES, MeetingStatus
from .filters import MeetingFilter
from .forms import ActionForm, AgendaFilterForm, AttendeesForm, DecisionForm, MeetingForm
from .models import Meeting
from .pdf_minutes import minutes_pdf
from .querysets import may_call_meetings
from .selectors import meeting_full, meeting_list


class MeetingViews(EntityViews):
    model, namespace, slug = Meeting, "meetings", "meeting"
    form_class, filterset_class = MeetingForm, MeetingFilter
    actions = frozenset({"create", "edit"})
    default_sort = "-held_on"
    columns = [
        Col("number", gettext_lazy("Number"), "number", link=True),
        Col("title", pgettext_lazy("meeting", "Subject"), "title", phone=True),
        Col(
            "held_on",
            pgettext_lazy("meeting", "When"),
            "held_on",
            fmt=lambda v: timezone.localtime(v).strftime("%Y-%m-%d %H:%M"),
            phone=True,
        ),
        Col("place", gettext_lazy("Place"), "place"),
        Col("chair", gettext_lazy("Chair"), "chair__username"),
        Col("status", gettext_lazy("Status"), "status", badge=True, phone=True),
    ]

    def queryset(self, user, action="view"):
        return meeting_list(user=user, action=action)

    def base_context(self, request, obj=None) -> dict:
        context = super().base_context(request, obj)
        context["can_add"] = context["can_add"] and may_call_meetings(request.user)
        return context

    def create(self, *, actor, data):
        return services.meeting_create(actor=actor, **data)

    def update(self, *, actor, pk, data):
        if data.get("chair") is None:
            data = {k: v for k, v in data.items() if k != "chair"}  # left empty: the chair stays
        return services.meeting_update(actor=actor, meeting_id=pk, data=data)

    def detail_view(self, request, pk):
        self.require(request, "view")
        meeting = meeting_full(self.get_object(request, pk))
        can_change = Meeting.objects.allows(request.user, meeting, "change")
        open_for_changes = can_change and meeting.status in EDITABLE_STATES
        context = self.base_context(request, meeting) | {
            "obj": meeting,
            "meeting": meeting,
            "agenda": list(meeting.agenda.all()),
            "actions": list(meeting.actions.all()),
            "attendees": list(meeting.attendees.all()),
            "can_change": open_for_changes,
            "can_hold": can_change and meeting.status == MeetingStatus.DRAFT,
            "can_send": can_change and meeting.status == MeetingStatus.HELD,
            "attendees_form": AttendeesForm(initial={"attendees": [u.pk for u in meeting.attendees.all()]}),
            "decision_form": DecisionForm(),
            "action_form": ActionForm(meeting=meeting),
            "history": redact_entries(request.user, history_for(user=request.user, obj=meeting)[:30]),
        }
        return render(request, "meetings/detail.html", context)


meetings = MeetingViews()


@login_required
def agenda_view(request, pk):
    """Preview the open issues chosen by order, department or age; tick them onto the agenda."""
    meeting = meetings.get_object(request, pk)
    form = AgendaFilterForm(request.GET or None, user=request.user)
    candidates = []
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            candidates = list(
                services.agenda_candidates(
                    user=request.user,
                    order=data["order"],
                    department=data["department"],
                    older_than_days=data["older_than"],
                    meeting=meeting,
                )[: services.AGENDA_MAX]
            )
        else:
            status = 400
    editable = meeting.status in EDITABLE_STATES and Meeting.objects.allows(request.user, meeting, "change")
    context = {"meeting": meeting, "form": form, "candidates": candidates, "editable": editable}
    return render(request, "meetings/agenda.html", context, status=status)


@login_required
@require_GET
def pdf_view(request, pk):
    meeting = meetings.get_object(request, pk)
    lang = "en" if request.GET.get("lang") == "en" else "zh-hans"
    response = HttpResponse(minutes_pdf(meeting, lang=lang), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{meeting.number}.pdf"'
    return response


agenda_view.probe_model = pdf_view.probe_model = Meeting  # type: ignore[attr-defined]
agenda_view.probe_read = pdf_view.probe_read = "view"  # type: ignore[attr-defined]
