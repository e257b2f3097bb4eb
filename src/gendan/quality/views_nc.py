"""Nonconformance and corrective action's pages (R-4.2): the list with filters, one
nonconformance (its lot, the disposition, the approval, its corrective actions with their
evidence, verification and effectiveness checks) and its POST buttons."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.accounts.models import User
from gendan.core.exceptions import WorkflowConflict
from gendan.core.uploads import attachment_response

from . import services_nc as services
from .choices import Disposition, NCStatus
from .links import nc_issue_link
from .models_nc import ActionEvidence, CorrectiveAction, Nonconformance
from .views_inspection import _messages

PER_PAGE = 50


def _ncs(user):
    return Nonconformance.objects.restrict(user, "view").select_related(
        "order", "order_line__product", "defect", "inspection", "decided_by", "approved_by"
    )


@login_required
@require_GET
def nc_list(request):
    if not Nonconformance.objects.all().role_allows(request.user, "view"):
        raise PermissionDenied
    rows = _ncs(request.user)
    status = request.GET.get("status", "")
    if status in NCStatus.values:
        rows = rows.filter(status=status)
    q = request.GET.get("q", "").strip()[:60]
    if q:
        rows = rows.filter(order__number__icontains=q)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/nc_list.html",
        {"title": _("Nonconformances"), "page": page, "status": status, "q": q, "statuses": NCStatus.choices},
    )


def _nc(request, pk) -> Nonconformance:
    found = _ncs(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def nc_detail(request, pk):
    nc = _nc(request, pk)
    user = request.user
    actions = list(
        CorrectiveAction.objects.filter(nonconformance=nc)
        .select_related("owner", "done_by", "verified_by")
        .prefetch_related("evidence")
    )
    for a in actions:
        a.may_done = a.owner_id == user.pk and a.status == "open"
        a.may_evidence = a.status != "closed" and (
            a.owner_id == user.pk or CorrectiveAction.objects.all().role_allows(user, "change")
        )
        verifier = CorrectiveAction.objects.all().role_allows(user, "verify") and user.pk not in (
            a.owner_id,
            a.done_by_id,
        )
        a.may_verify = verifier and a.status == "done"
        a.may_check = verifier and a.status == "closed"
    may_change = Nonconformance.objects.all().role_allows(user, "change")
    return render(
        request,
        "quality/nc_detail.html",
        {
            "title": str(nc),
            "nc": nc,
            "issue_link": nc_issue_link(user, nc),
            "actions": actions,
            "dispositions": Disposition.choices,
            "may_decide": may_change and nc.status == "open",
            "may_approve": Nonconformance.objects.all().role_allows(user, "approve")
            and nc.status == "awaiting_approval"
            and nc.decided_by_id != user.pk,
            "may_add_action": CorrectiveAction.objects.all().role_allows(user, "add") and may_change,
            # People whose role reads nonconformances (the service also refuses a merchandiser
            # of another order: he could not open it to mark the action done).
            "owners": [
                u
                for u in User.objects.filter(is_active=True).order_by("username")[:300]
                if Nonconformance.objects.all().role_allows(u, "view")
            ]
            if may_change
            else [],
        },
    )


def nc_action(func):
    @wraps(func)
    def view(request, pk, **kwargs):
        nc = _nc(request, pk)
        try:
            message = func(request, nc, **kwargs)
            if message:
                messages.success(request, message)
        except (ValidationError, WorkflowConflict) as exc:
            _messages(request, exc)
        return redirect("quality:nc_detail", pk=nc.pk)

    guarded = login_required(require_POST(view))
    guarded.probe_model = Nonconformance
    guarded.probe_write = "change"
    return guarded


def _part(nc, action_id) -> CorrectiveAction:
    found = CorrectiveAction.objects.filter(nonconformance=nc, pk=action_id).first()
    if found is None:
        raise Http404
    return found


@nc_action
def decide(request, nc):
    services.nc_decide(
        actor=request.user,
        nc_id=nc.pk,
        disposition=request.POST.get("disposition", ""),
        note=request.POST.get("note", ""),
        customer_approval_required=bool(request.POST.get("customer_approval_required")),
    )
    return _("Disposition recorded.")


@nc_action
def approve(request, nc):
    services.nc_approve(
        actor=request.user, nc_id=nc.pk, customer_approval=request.POST.get("customer_approval", "")
    )
    return _("Use as is approved.")


@nc_action
def refuse(request, nc):
    services.nc_refuse(actor=request.user, nc_id=nc.pk, reason=request.POST.get("reason", ""))
    return _("Use as is refused: choose another disposition.")


@nc_action
def action_add(request, nc):
    p = request.POST
    services.action_create(
        actor=request.user,
        nc_id=nc.pk,
        containment=p.get("containment", ""),
        root_cause=p.get("root_cause", ""),
        action=p.get("action", ""),
        owner_id=p.get("owner"),
        due_date=p.get("due_date", ""),
    )
    return _("Corrective action recorded.")


@nc_action
def action_done(request, nc, action_id):
    services.action_done(
        actor=request.user, action_id=_part(nc, action_id).pk, note=request.POST.get("note", "")
    )
    return _("Marked done: quality verifies it next.")


@nc_action
def evidence_add(request, nc, action_id):
    services.evidence_add(
        actor=request.user, action_id=_part(nc, action_id).pk, upload=request.FILES.get("file")
    )
    return _("Evidence kept.")


@nc_action
def action_verify(request, nc, action_id):
    effective = request.POST.get("effective", "1") == "1"
    done = services.action_verify(
        actor=request.user,
        action_id=_part(nc, action_id).pk,
        note=request.POST.get("note", ""),
        effective=effective,
    )
    return (
        _("Verified and closed.")
        if done.status == "closed"
        else _("Not effective: the action is open again.")
    )


@nc_action
def action_check(request, nc, action_id):
    effective = request.POST.get("effective", "1") == "1"
    services.action_effectiveness(
        actor=request.user,
        action_id=_part(nc, action_id).pk,
        effective=effective,
        note=request.POST.get("note", ""),
    )
    return (
        _("Effectiveness check recorded.")
        if effective
        else _("The problem came back: the action is reopened.")
    )


@login_required
@require_GET
def evidence(request, pk, action_id, evidence_id):
    """Evidence is always downloaded, never shown inline."""
    nc = _nc(request, pk)
    found = get_object_or_404(
        ActionEvidence.objects.filter(action__nonconformance=nc, action_id=action_id), pk=evidence_id
    )
    return attachment_response(found.file, found.original_name)


nc_list.probe_model = "quality.Nonconformance"  # type: ignore[attr-defined]
nc_detail.probe_model = evidence.probe_model = Nonconformance  # type: ignore[attr-defined]
nc_list.probe_read = nc_detail.probe_read = "view"  # type: ignore[attr-defined]
approve.probe_write = refuse.probe_write = "approve"  # type: ignore[attr-defined]
