"""The buttons of an issue's page: each a POST (CSRF) calling one service, back to the page with
a message. The services decide (transition table, who may); a refusal is explained, never a crash."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.exceptions import WorkflowConflict

from . import services
from .forms import CloseForm, NoteForm, ReopenForm, SolutionForm
from .models import Issue
from .views import issues


def issue_action(action: str):
    """POST, logged in; the issue must be one the user sees (404) and his role must allow `action`
    (403) before the form is read; the view keeps (model, action) as `role_action`."""

    def decorate(func):
        @wraps(func)
        def view(request, pk):
            issue = issues.get_object(request, pk)
            if not Issue.objects.all().role_allows(request.user, action):
                raise PermissionDenied
            try:
                message = func(request, issue)
                if message:
                    messages.success(request, message)
            except WorkflowConflict as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("issues:issues_detail", pk=issue.pk)

        guarded = login_required(require_POST(view))
        guarded.role_action = (Issue, action)
        return guarded

    return decorate


def _form(form_class, request):
    form = form_class(request.POST)
    if not form.is_valid():
        raise ValidationError(
            [f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items() if k in form.fields]
        )
    return form.cleaned_data


@issue_action("change")
def accept(request, issue):
    services.issue_accept(actor=request.user, issue_id=issue.pk)
    return _("You took on issue %(number)s.") % {"number": issue.number}


@issue_action("change")
def resolve(request, issue):
    data = _form(SolutionForm, request)
    services.issue_resolve(actor=request.user, issue_id=issue.pk, solution=data["solution"])
    return _("Issue %(number)s is marked solved.") % {"number": issue.number}


@issue_action("close")
def close(request, issue):
    data = _form(CloseForm, request)
    services.issue_close(actor=request.user, issue_id=issue.pk, note=data["note"])
    return _("Issue %(number)s is closed.") % {"number": issue.number}


@issue_action("close")
def reopen(request, issue):
    data = _form(ReopenForm, request)
    services.issue_reopen(actor=request.user, issue_id=issue.pk, reason=data["reason"])
    return _("Issue %(number)s is reopened.") % {"number": issue.number}


@issue_action("change")
def note(request, issue):
    data = _form(NoteForm, request)
    services.issue_note_add(actor=request.user, issue_id=issue.pk, text=data["text"])
    return _("The note was added.")
