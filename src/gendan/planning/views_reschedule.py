"""Reschedule all open orders (R-2.3): ask, watch the worker's progress, review the proposal with
its Gantt comparison, accept all or some orders, or discard it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.exceptions import WorkflowConflict
from gendan.core.i18n import local_text

from .choices import ProposalStatus
from .gantt import gantt_svg
from .messages import late_reason_text
from .models import ScheduleProposal
from .services.reschedule import MAX_SECONDS, MIN_SECONDS, proposal_create, proposal_discard
from .services.reschedule_accept import proposal_accept
from .views_gantt import BadParameter, gantt_params

STAGE_TEXT = {
    "": gettext_lazy("Waiting for the background worker…"),
    "queued": gettext_lazy("Waiting for the background worker…"),
    "loading": gettext_lazy("Reading the open orders and the schedule in force…"),
    "solving": gettext_lazy("The engine is looking for a better schedule…"),
    "comparing": gettext_lazy("Comparing with the schedule in force…"),
    "done": gettext_lazy("Ready to review."),
    "failed": gettext_lazy("The engine could not plan the factory's data."),
}


def _proposals(user, action="view"):
    return ScheduleProposal.objects.restrict(user, action)


@login_required
@permission_required("planning.view_plan", raise_exception=True)
def reschedule_list(request):
    if request.method == "POST":
        try:
            proposal = proposal_create(actor=request.user, seconds=request.POST.get("seconds") or 60)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("ctp:reschedule_list")
        return redirect("ctp:reschedule_detail", pk=proposal.pk)
    proposals = _proposals(request.user).select_related("created_by")[:50]
    may_add = request.user.has_perm("planning.change_plan")
    return render(
        request,
        "planning/reschedule_list.html",
        {"proposals": proposals, "may_add": may_add, "low": MIN_SECONDS, "high": MAX_SECONDS},
    )


def _reason(row: dict) -> str:
    return late_reason_text(row.get("late_reason") or {})


def _when(iso: str | None) -> str:
    return iso.replace("T", " ")[:16] if iso else ""


def _rows(proposal):
    rows = []
    for row in (proposal.result or {}).get("orders", []):
        rows.append(
            {
                **row,
                "customer_name": local_text(row["customer"]),
                "why": _reason(row),
                "finish_before": _when((row["before"] or {}).get("finish")),
                "finish_after": _when(row["after"]["finish"]),
            }
        )
    # moved and late first: what the planner must look at
    rows.sort(key=lambda r: (not r["after"]["late"], not r["moved"], r["number"]))
    return rows


@login_required
@permission_required("planning.view_plan", raise_exception=True)
def reschedule_detail(request, pk: int):
    proposal = get_object_or_404(_proposals(request.user), pk=pk)
    context = {"proposal": proposal, "stage": STAGE_TEXT.get(proposal.message, proposal.message)}
    if request.htmx and request.GET.get("part") == "progress":
        response = render(request, "planning/reschedule_progress.html", context)
        if proposal.status not in (ProposalStatus.QUEUED, ProposalStatus.RUNNING):
            response["HX-Refresh"] = "true"  # done: the whole page shows the proposal
        return response
    if proposal.status in (ProposalStatus.READY, ProposalStatus.ACCEPTED, ProposalStatus.DISCARDED):
        try:
            view, start, days, page = gantt_params(request)
        except BadParameter as exc:
            return HttpResponseBadRequest(
                _("Bad value for %(name)s.") % {"name": exc.args[0]}, content_type="text/plain; charset=utf-8"
            )
        from .gantt_rows import window_compare

        window = window_compare(
            user=request.user, proposal=proposal, view=view, start=start, days=days, page=page
        )
        context.update(
            {
                "rows": _rows(proposal),
                "summary": proposal.summary,
                "window": window,
                "view": view,
                "days": days,
                "start": start,
                "svg": gantt_svg(
                    lanes=window.lanes,
                    bars=window.bars,
                    start=window.start,
                    end=window.end,
                    now=timezone.now(),
                    title=_("Schedule in force and proposal"),
                ),
                "may_accept": proposal.status == ProposalStatus.READY
                and _proposals(request.user, "accept").filter(pk=proposal.pk).exists(),
            }
        )
    return render(request, "planning/reschedule_detail.html", context)


@require_POST
@login_required
def reschedule_accept(request, pk: int):
    proposal = get_object_or_404(_proposals(request.user), pk=pk)
    ids = request.POST.getlist("orders")
    if request.POST.get("all"):
        ids = [row["order"] for row in (proposal.result or {}).get("orders", [])]
    try:
        versions = proposal_accept(actor=request.user, proposal_id=proposal.pk, order_ids=ids)
    except (ValidationError, WorkflowConflict) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        approved = sum(v.status == "approved" for v in versions)
        messages.success(
            request,
            _(
                "%(approved)d orders have their new plan in force; %(submitted)d wait for their merchandiser's approval."
            )
            % {"approved": approved, "submitted": len(versions) - approved},
        )
    return redirect("ctp:reschedule_detail", pk=proposal.pk)


@require_POST
@login_required
def reschedule_discard(request, pk: int):
    proposal = get_object_or_404(_proposals(request.user), pk=pk)
    try:
        proposal_discard(actor=request.user, proposal_id=proposal.pk)
    except WorkflowConflict as exc:
        messages.error(request, str(exc))
    return redirect("ctp:reschedule_detail", pk=proposal.pk)


# What the whole-site probes ask the role table for each page (tests/probes/test_permission_matrix.py).
for _view, _action in (
    (reschedule_list, "add"),
    (reschedule_detail, None),
    (reschedule_accept, "accept"),
    (reschedule_discard, "change"),
):
    _view.probe_model = "planning.ScheduleProposal"  # type: ignore[attr-defined]
    _view.probe_action = _action  # type: ignore[attr-defined]
