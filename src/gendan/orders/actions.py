"""The buttons of the dossier: each is a POST (CSRF-protected) that calls one service and returns
to the dossier with a message. The services decide what is allowed (the transition table, and who
may act: core.permissions); a lost race or a refused step is explained, never a crash."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import restricted
from gendan.core.uploads import attachment_response

from . import services
from .choices import OrderStatus
from .documents import order_copy_pdf
from .forms import AnswerForm, AttachmentForm, ChangeRequestForm, ClarificationForm, ResolveForm
from .models import Acknowledgement, ChangeRequest, Clarification, Finding, Order, OrderAttachment
from .views import orders


def order_action(action: str, model=None):
    """POST only, logged in; the order must be one the user may see (404 otherwise); his role must
    allow `action` on `model` (the order, or the part named in the path) in the role table before
    anything he sent is read (403 otherwise: a refusal does not depend on the form); what else he
    may not do is a 403 from the service; refusals become messages; always lands back on the
    dossier. The view keeps (model, action) as `role_action` (the permission matrix reads it)."""

    def decorate(func):
        @wraps(func)
        def view(request, pk, *args, **kwargs):
            order = orders.get_object(request, pk)
            if not restricted(model or Order).role_allows(request.user, action):
                raise PermissionDenied
            try:
                message = func(request, order, *args, **kwargs)
                if message:
                    messages.success(request, message)
            except WorkflowConflict as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("orders:order_detail", pk=order.pk)

        guarded = login_required(require_POST(view))
        guarded.role_action = (model or Order, action)
        return guarded

    return decorate


def _part(model, request, order, pk):
    """A line, finding, clarification ... of this order that the user may see (404 otherwise)."""
    return get_object_or_404(model.objects.restrict(request.user, "view"), pk=pk, order=order)


@order_action("review")
def submit(request, order):
    services.order_submit(actor=request.user, order_id=order.pk)
    open_count = sum(1 for f in order.findings.all() if f.is_open)
    if open_count:
        return _("Order sent to review: %(n)s findings to look at.") % {"n": open_count}
    return _("Order sent to review: no findings.")


@order_action("review")
def rerun(request, order):
    findings = services.order_run_review(actor=request.user, order_id=order.pk)
    return _("Checked again: %(n)s findings.") % {"n": len(findings)}


@order_action("review")
def mark_reviewed(request, order):
    services.order_mark_reviewed(actor=request.user, order_id=order.pk)
    return _("Order %(number)s is reviewed and can be released.") % {"number": order.number}


@order_action("release")
def release(request, order):
    services.order_release(actor=request.user, order_id=order.pk)
    return _("Order %(number)s released to production, purchasing and quality.") % {"number": order.number}


@order_action("change")
def back_to_draft(request, order):
    services.order_back_to_draft(actor=request.user, order_id=order.pk)
    return _("Order returned to draft.")


@order_action("change")
def advance(request, order):
    expected = request.POST.get("expected", "")
    changed = services.order_advance(actor=request.user, order_id=order.pk, expected=expected)
    return _("Order is now “%(status)s”.") % {"status": changed.get_status_display()}


@order_action("change")
def hold(request, order):
    result = services.order_hold(actor=request.user, order_id=order.pk, reason=request.POST.get("reason", ""))
    if result.change:
        return _("A change request to put the order on hold was recorded; approve it to apply.")
    return _("Order put on hold.")


@order_action("change")
def resume(request, order):
    result = services.order_resume(
        actor=request.user, order_id=order.pk, reason=request.POST.get("reason", "")
    )
    if result.change:
        return _("A change request to resume the order was recorded; approve it to apply.")
    return _("Order resumed.")


@order_action("change")
def cancel(request, order):
    result = services.order_cancel(
        actor=request.user, order_id=order.pk, reason=request.POST.get("reason", "")
    )
    if result.change:
        return _("A change request to cancel the order was recorded; approve it to apply.")
    return _("Order cancelled.")


@order_action("resolve", Finding)
def resolve_finding(request, order, finding_id):
    finding = _part(Finding, request, order, finding_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Say how the finding was resolved."))
    services.finding_resolve(
        actor=request.user, finding_id=finding.pk, resolution=form.cleaned_data["resolution"]
    )
    return _("Finding resolved.")


@order_action("review")
def ask(request, order):
    form = ClarificationForm(
        request.POST, request.FILES, findings=[f for f in order.findings.all() if f.is_open]
    )
    if not form.is_valid():
        raise ValidationError([f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()])
    upload = form.cleaned_data.get("attachment")
    services.clarification_ask(
        actor=request.user,
        order_id=order.pk,
        finding_ids=form.cleaned_data["findings"],
        question=form.cleaned_data["question"],
        channel=form.cleaned_data["channel"],
        contact=form.cleaned_data["contact"],
        attachments=[upload] if upload else [],
    )
    return _("Question recorded; the order waits for the customer's answer.")


@order_action("answer", Clarification)
def answer(request, order, clarification_id):
    clarification = _part(Clarification, request, order, clarification_id)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError(_("Write the customer's answer."))
    upload = form.cleaned_data.get("attachment")
    services.clarification_answer(
        actor=request.user,
        clarification_id=clarification.pk,
        answer=form.cleaned_data["answer"],
        attachments=[upload] if upload else [],
    )
    return _("Answer recorded. Resolve the findings (correct the order if needed) and mark it reviewed.")


@order_action("acknowledge", Acknowledgement)
def acknowledge(request, order, ack_id):
    ack = _part(Acknowledgement, request, order, ack_id)
    services.acknowledgement_confirm(actor=request.user, ack_id=ack.pk)
    return _("Acknowledged for %(dept)s.") % {"dept": ack.department}


@order_action("change")
def request_change(request, order):
    form = ChangeRequestForm(request.POST, lines=list(order.lines.all()))
    if not form.is_valid():
        raise ValidationError([f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()])
    change = services.change_request_create(
        actor=request.user,
        order_id=order.pk,
        kind=form.cleaned_data["kind"],
        line_id=form.cleaned_data["line"],
        new_value=form.cleaned_data["new_value"],
        reason=form.cleaned_data["reason"],
        customer_reference=form.cleaned_data["customer_reference"],
    )
    return _("Change request %(n)s recorded with its impact; approve or reject it.") % {"n": change.number}


@order_action("approve", ChangeRequest)
def approve_change(request, order, change_id):
    change = _part(ChangeRequest, request, order, change_id)
    services.change_request_approve(
        actor=request.user, change_id=change.pk, note=request.POST.get("note", "")
    )
    return _("Change request %(n)s approved.") % {"n": change.number}


@order_action("reject", ChangeRequest)
def reject_change(request, order, change_id):
    change = _part(ChangeRequest, request, order, change_id)
    services.change_request_reject(actor=request.user, change_id=change.pk, note=request.POST.get("note", ""))
    return _("Change request %(n)s rejected.") % {"n": change.number}


@order_action("change")
def attach(request, order):
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError(_("Choose a file to upload."))
    services.attachment_add(actor=request.user, order_id=order.pk, upload=form.cleaned_data["file"])
    return _("File attached.")


@login_required
@require_GET
def download(request, pk, attachment_id):
    """Files are always downloaded, never shown inline (an uploaded HTML or SVG file cannot run)."""
    order = orders.get_object(request, pk)
    attachment = _part(OrderAttachment, request, order, attachment_id)
    return attachment_response(attachment.file, attachment.original_name)


@login_required
@require_GET
def order_copy(request, pk):
    """The order copy as PDF, in Chinese or (``?lang=en``) English, for the current version."""
    order = orders.get_object(request, pk)
    if order.status == OrderStatus.DRAFT and not Order.objects.allows(request.user, order, "change"):
        raise Http404  # a draft's copy is its merchandiser's working paper
    lang = "en" if request.GET.get("lang") == "en" else "zh-hans"
    data = order_copy_pdf(order, lang=lang)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.number}-v{order.version}-{lang[:2]}.pdf"'
    return response
