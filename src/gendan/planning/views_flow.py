"""Plan approval pages: the plan list, an order's versions and the diff of two, a version's
approval page, and the workflow buttons (each a POST calling one service; refusals become
messages and the user lands back where he was)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.exceptions import WorkflowConflict
from gendan.orders.models import Order

from .choices import STEP_ACTION, PlanState, Step
from .filters import PlanFilter
from .forms import RejectForm, WithdrawForm
from .models import PlanVersion
from .selectors import late_by, plan_list, version_diff, version_list
from .services import flow

PER_PAGE = 50


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@login_required
@require_GET
def plans(request):
    """The plan list, by tab: orders to plan, to re-plan, drafts, waiting for approval, rejected,
    in force."""
    if not PlanVersion.objects.all().role_allows(request.user, "view"):
        raise PermissionDenied
    filterset = PlanFilter.for_user(request.GET, queryset=Order.objects.none(), user=request.user)
    rows = plan_list(user=request.user, filters=request.GET if filterset.is_valid() else {})
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for order in page:
        order.late_text = late_by(order.late_minutes)
        order.state_label = PlanState(order.plan_state).label
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("state", None)
    return render(
        request,
        "planning/plan_list.html",
        {
            "title": _("Production plans"),
            "filter": filterset,
            "page": page,
            "tabs": [("", _("All"))] + list(PlanState.choices),
            "state": request.GET.get("state", ""),
            "query": query.urlencode(),
        },
    )


def _order(request, order_id) -> Order:
    return get_object_or_404(
        Order.objects.restrict(request.user, "view").select_related("customer"), pk=order_id
    )


@login_required
@require_GET
def versions(request, pk):
    """Every version of an order's plan, newest first, and the form to compare two."""
    if not PlanVersion.objects.all().role_allows(request.user, "view"):
        raise PermissionDenied
    order = _order(request, pk)
    rows = list(version_list(user=request.user, order_id=order.pk))
    for v in rows:
        v.late_text = late_by(v.tardiness_minutes)
    plan = getattr(order, "plan", None) if hasattr(order, "plan") else None
    return render(
        request,
        "planning/versions.html",
        {
            "title": _("Plan versions of %(number)s") % {"number": order.number},
            "order": order,
            "plan": plan,
            "versions": rows,
        },
    )


@login_required
@require_GET
def diff(request, pk):
    """What moved between two versions of the order's plan (?old=<id>&new=<id>)."""
    if not PlanVersion.objects.all().role_allows(request.user, "view"):
        raise PermissionDenied
    order = _order(request, pk)
    visible = version_list(user=request.user, order_id=order.pk)
    old_id, new_id = _int(request.GET.get("old")), _int(request.GET.get("new"))
    if old_id is None or new_id is None:
        raise Http404
    old = get_object_or_404(visible, pk=old_id)
    new = get_object_or_404(visible, pk=new_id)
    if old.number > new.number:
        old, new = new, old
    return render(
        request,
        "planning/diff.html",
        {
            "title": _("Plan %(old)s → %(new)s") % {"old": old, "new": new},
            "order": order,
            "diff": version_diff(old=old, new=new),
            "versions": visible,
        },
    )


def _version(request, pk) -> PlanVersion:
    versions = PlanVersion.objects.restrict(request.user, "view").select_related(
        "plan__order__customer", "plan__order__merchandiser", "created_by", "submitted_by", "decided_by"
    )
    return get_object_or_404(versions, pk=pk)


@login_required
@require_GET
def approval(request, pk):
    """One version's approval: its status, the buttons, who did what when (notifications link here)."""
    version = _version(request, pk)
    version.late_text = late_by(version.tardiness_minutes)
    # planning/_workflow.html works out the buttons and the history itself (its template tags).
    context = {"version": version, "title": str(version), "order": version.plan.order}
    return render(request, "planning/approval.html", context)


def flow_action(step: str):
    """POST only, logged in, on a version the user may see (404 otherwise); his role must allow the
    step at all (403, before the form is read); the service decides the rest. Back to `next` (a
    page of this site) or the version's approval page."""

    def decorate(func):
        @wraps(func)
        def view(request, pk):
            version = _version(request, pk)
            if not PlanVersion.objects.all().role_allows(request.user, STEP_ACTION[step]):
                raise PermissionDenied
            try:
                message = func(request, version)
                if message:
                    messages.success(request, message)
            except WorkflowConflict as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            target = request.POST.get("next", "")
            if target.startswith("/") and not target.startswith("//") and "\\" not in target:
                return redirect(target)
            return redirect("planning:version_approval", pk=version.pk)

        guarded = login_required(require_POST(view))
        guarded.role_action = (PlanVersion, STEP_ACTION[step])
        guarded.probe_model = PlanVersion
        return guarded

    return decorate


@flow_action(Step.SUBMIT)
def submit(request, version):
    flow.plan_submit(actor=request.user, version_id=version.pk)
    return _("Plan %(version)s submitted to the merchandiser.") % {"version": version}


@flow_action(Step.APPROVE)
def approve(request, version):
    flow.plan_approve(actor=request.user, version_id=version.pk)
    return _("Plan %(version)s approved: it is in force.") % {"version": version}


@flow_action(Step.REJECT)
def reject(request, version):
    form = RejectForm(request.POST)
    if not form.is_valid():
        raise ValidationError([m for errors in form.errors.values() for m in errors])
    flow.plan_reject(actor=request.user, version_id=version.pk, reason=form.cleaned_data["reason"])
    return _("Plan %(version)s rejected.") % {"version": version}


@flow_action(Step.WITHDRAW)
def withdraw(request, version):
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        raise ValidationError([m for errors in form.errors.values() for m in errors])
    flow.plan_withdraw(actor=request.user, version_id=version.pk, reason=form.cleaned_data["reason"])
    return _("Plan %(version)s withdrawn.") % {"version": version}


# The kind of record each page serves (its `pk`), for the whole-site permission probe.
versions.probe_model = diff.probe_model = Order  # type: ignore[attr-defined]
approval.probe_model = PlanVersion  # type: ignore[attr-defined]
