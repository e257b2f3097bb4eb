"""Can we deliver? (R-2.3): the question page, its htmx answer and the customer's reply PDF."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gendan.core.crud import render_partial_or_page

from .forms_ctp import CtpForm, ReplyForm
from .pdf import delivery_reply_pdf
from .services.ctp import ctp_allowed, ctp_ask


def _ask(request, data):
    """The form bound to `data` and the engine's answer (None when the form has errors)."""
    form = CtpForm(data)
    answer = None
    if form.is_valid():
        try:
            answer = ctp_ask(
                user=request.user,
                items=form.items(),
                requested=form.cleaned_data["date"],
                priority=form.cleaned_data["priority"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
    return form, answer


@login_required
def ctp(request):
    if not ctp_allowed(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "planning/ctp.html", {"form": CtpForm(), "reply": ReplyForm()})
    form, answer = _ask(request, request.POST)
    context = {"form": form, "answer": answer, "reply": ReplyForm()}
    return render_partial_or_page(request, "planning/ctp_answer.html", "planning/ctp.html", context)


@login_required
def ctp_reply_pdf(request):
    """The customer's delivery-date reply: the question again from the query string (a GET, so the
    browser opens it in a tab), answered afresh."""
    if not ctp_allowed(request.user):
        raise PermissionDenied
    reply = ReplyForm(request.GET)
    form, answer = _ask(request, request.GET)
    if answer is None or not reply.is_valid():
        errors = [*form.non_field_errors(), *(f"{f.label}: {e}" for f in form for e in f.errors)]
        errors += [f"{reply[k].label}: {e}" for k, v in reply.errors.items() for e in v]
        return HttpResponse(
            _("The question is incomplete: %(errors)s") % {"errors": "; ".join(map(str, errors))},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    lang = reply.cleaned_data.get("lang") or "zh-hans"
    data = delivery_reply_pdf(
        answer,
        customer=reply.cleaned_data.get("customer") or "",
        valid_days=reply.cleaned_data.get("valid_days") or 7,
        lang=lang,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="delivery-reply-{answer.promise_date}.pdf"'
    return response
