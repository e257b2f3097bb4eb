"""The buttons and forms of a meeting's page: each a POST (CSRF) calling one service, back to the
page with a message. The services decide (transition table, who may); a refusal is explained."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.exceptions import WorkflowConflict

from . import services
from .forms import ActionForm, AttendeesForm, DecisionForm
from .models import AgendaItem, Meeting
from .views import meetings


def meeting_action(func):
    """POST, logged in; the meeting must be one the user sees (404) and may change (403)."""

    @wraps(func)
    def view(request, pk, **kwargs):
        meeting = meetings.get_object(request, pk)
        if not Meeting.objects.allows(request.user, meeting, "change"):
            raise PermissionDenied
        try:
            message = func(request, meeting, **kwargs)
            if message:
                messages.success(request, message)
        except WorkflowConflict as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        target = request.POST.get("next", "")
        if target == "agenda":
            return redirect("meetings:agenda", pk=meeting.pk)
        return redirect("meetings:meeting_detail", pk=meeting.pk)

    guarded = login_required(require_POST(view))
    guarded.probe_model, guarded.probe_write = Meeting, "change"
    return guarded


def _form(form):
    if not form.is_valid():
        raise ValidationError(
            [f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items() if k in form.fields]
        )
    return form.cleaned_data


def _item(meeting, item_id) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("issue"), pk=item_id, meeting=meeting)


@meeting_action
def attendees(request, meeting):
    data = _form(AttendeesForm(request.POST))
    services.attendees_set(actor=request.user, meeting_id=meeting.pk, users=data["attendees"])
    return _("The attendees are recorded.")


@meeting_action
def agenda_add(request, meeting):
    ids = [v for v in request.POST.getlist("issues") if v.isascii() and v.isdigit() and len(v) < 19]
    if len(ids) != len(request.POST.getlist("issues")):
        raise ValidationError(_("Choose issues from the list."))
    items = services.agenda_add(actor=request.user, meeting_id=meeting.pk, issue_ids=ids)
    return _("%(n)s issues put on the agenda.") % {"n": len(items)}


@meeting_action
def agenda_remove(request, meeting, item_id):
    item = _item(meeting, item_id)
    services.agenda_remove(actor=request.user, item_id=item.pk)
    return _("Issue %(number)s taken off the agenda.") % {"number": item.issue.number}


@meeting_action
def decide(request, meeting, item_id):
    item = _item(meeting, item_id)
    data = _form(DecisionForm(request.POST))
    services.decision_record(
        actor=request.user,
        item_id=item.pk,
        decision=data["decision"],
        due_date=data["due_date"],
        owner=data["owner"],
    )
    return _("The decision on %(number)s is recorded.") % {"number": item.issue.number}


@meeting_action
def action_add(request, meeting):
    data = _form(ActionForm(request.POST, meeting=meeting))
    action = services.action_add(
        actor=request.user,
        meeting_id=meeting.pk,
        text=data["text"],
        owner=data["owner"],
        due_date=data["due_date"],
        agenda_item=data["agenda_item"],
    )
    return _("Action recorded; it is followed up as issue %(number)s.") % {"number": action.issue.number}


@meeting_action
def hold(request, meeting):
    services.meeting_hold(actor=request.user, meeting_id=meeting.pk)
    return _("Meeting %(number)s is marked held.") % {"number": meeting.number}


@meeting_action
def send_minutes(request, meeting):
    services.minutes_send(actor=request.user, meeting_id=meeting.pk)
    return _("The minutes of %(number)s are sent to the attendees.") % {"number": meeting.number}
