"""The buttons and forms of a complaint's page and an order's satisfaction page: each a POST (CSRF)
calling one service, back to the page with a message. The services decide (transition table, who
may); a refusal is explained and changes nothing."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.exceptions import WorkflowConflict
from gendan.orders.models import Order

from . import services, services_rating
from .forms import CloseForm, FindingsForm, LinkForm, PhotoForm, RatingForm, ReasonForm, ReplyForm
from .models import Complaint
from .selectors import quality_actions_for
from .views import complaints


def _form(form):
    if not form.is_valid():
        raise ValidationError(
            [f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items() if k in form.fields]
        )
    return form.cleaned_data


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
    return " ".join(exc.messages)


def complaint_action(action: str):
    """POST, logged in; the complaint must be one the user sees (404) and may take `action` on (403)."""

    def wrap(func):
        @wraps(func)
        def view(request, pk, **kwargs):
            complaint = complaints.get_object(request, pk)
            if not Complaint.objects.allows(request.user, complaint, action):
                raise PermissionDenied
            try:
                message = func(request, complaint, **kwargs)
                if message:
                    messages.success(request, message)
            except WorkflowConflict as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, _messages(exc))
            return redirect("aftersales:complaint_detail", pk=complaint.pk)

        guarded = login_required(require_POST(view))
        guarded.probe_model, guarded.probe_write = Complaint, action  # type: ignore[attr-defined]
        return guarded

    return wrap


@complaint_action("change")
def photo_add(request, complaint):
    form = PhotoForm(request.POST, request.FILES)
    data = _form(form)
    services.complaint_photo_add(actor=request.user, complaint_id=complaint.pk, upload=data["photo"])
    return _("The photo is kept with the complaint.")


@complaint_action("investigate")
def take(request, complaint):
    done = services.complaint_take(actor=request.user, complaint_id=complaint.pk)
    return _("You investigate complaint %(number)s; it is followed up as issue %(issue)s.") % {
        "number": done.number,
        "issue": done.issue.number if done.issue else "—",
    }


@complaint_action("investigate")
def findings(request, complaint):
    data = _form(FindingsForm(request.POST, actions=list(quality_actions_for(complaint)[:50])))
    services.complaint_investigate(actor=request.user, complaint_id=complaint.pk, **data)
    return _("The findings are recorded; the merchandiser is told.")


@complaint_action("change")
def answer(request, complaint):
    data = _form(ReplyForm(request.POST))
    services.complaint_answer(actor=request.user, complaint_id=complaint.pk, reply=data["reply"])
    return _("Complaint %(number)s is answered.") % {"number": complaint.number}


@complaint_action("change")
def close(request, complaint):
    data = _form(CloseForm(request.POST))
    services.complaint_close(actor=request.user, complaint_id=complaint.pk, note=data["note"])
    return _("Complaint %(number)s is closed.") % {"number": complaint.number}


@complaint_action("change")
def reopen(request, complaint):
    data = _form(ReasonForm(request.POST))
    services.complaint_reopen(actor=request.user, complaint_id=complaint.pk, reason=data["reason"])
    return _("Complaint %(number)s is reopened and back with quality.") % {"number": complaint.number}


@complaint_action("change")
def rate(request, complaint):
    data = _form(RatingForm(request.POST))
    services_rating.rating_record(
        actor=request.user,
        order=complaint.order,
        complaint=complaint,
        score=data["score"],
        comment=data["comment"],
    )
    return _("The customer's rating is recorded.")


@complaint_action("change")
def link(request, complaint):
    data = _form(LinkForm(request.POST))
    _link, token = services_rating.rating_link_create(
        actor=request.user, order=complaint.order, complaint=complaint, days=data["days"]
    )
    request.session[f"aftersales-link-{complaint.pk}"] = request.build_absolute_uri(
        reverse("aftersales:rate", args=[token])
    )
    return _("A rating link is made: copy it and send it to the customer.")


def _order_post(func):
    @wraps(func)
    def view(request, pk):
        order = get_object_or_404(Order.objects.restrict(request.user, "view"), pk=pk)
        if order.merchandiser_id != request.user.pk:
            raise PermissionDenied
        try:
            messages.success(request, func(request, order))
        except ValidationError as exc:
            messages.error(request, _messages(exc))
        return redirect("aftersales:order", pk=order.pk)

    guarded = login_required(require_POST(view))
    guarded.probe_model, guarded.probe_write = Order, "change"  # type: ignore[attr-defined]
    return guarded


@_order_post
def order_rate(request, order):
    if not request.user.has_perm("aftersales.add_rating"):
        raise PermissionDenied
    data = _form(RatingForm(request.POST))
    services_rating.rating_record(
        actor=request.user, order=order, score=data["score"], comment=data["comment"]
    )
    return _("The customer's rating is recorded.")


@_order_post
def order_link(request, order):
    if not request.user.has_perm("aftersales.add_ratinglink"):
        raise PermissionDenied
    data = _form(LinkForm(request.POST))
    _link, token = services_rating.rating_link_create(actor=request.user, order=order, days=data["days"])
    request.session[f"aftersales-order-link-{order.pk}"] = request.build_absolute_uri(
        reverse("aftersales:rate", args=[token])
    )
    return _("A rating link is made: copy it and send it to the customer.")
