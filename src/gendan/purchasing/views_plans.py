"""Purchase plan pages (R-3.2): the list, a plan with its lines, orders, decisions and versions,
a line edited in place (htmx), the workflow buttons, and a merchandiser's lines awaiting his
decision. Thin: read a selector, call a service, render; refusals become messages."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gendan.accounts.roles import can_see
from gendan.core.exceptions import WorkflowConflict

from .exports_plans import plan_workbook
from .filters_plans import PurchasePlanFilter
from .forms_plans import AddLineForm, DecideForm, PlanLineForm, WithdrawForm
from .models import PlanLineDecision, PurchasePlan, PurchasePlanLine
from .selectors_plans import PlanActions, mark_lines, pending_for, plan_lines, plan_list, plan_versions
from .services import plans, plans_flow

PER_PAGE = 50
LINES_PER_PAGE = 100  # a plan of thousands of lines is read a page at a time
DECIDE = "purchasing.change_planlinedecision"


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def _back(request, default: str, **kwargs):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return redirect(target)
    return redirect(default, **kwargs)


def _readable(request):
    if not PurchasePlan.objects.all().role_allows(request.user, "view"):
        raise PermissionDenied


def _plan(request, pk) -> PurchasePlan:
    return get_object_or_404(
        PurchasePlan.objects.restrict(request.user, "view").select_related("created_by", "submitted_by"),
        pk=pk,
    )


def _line(request, pk) -> PurchasePlanLine:
    return get_object_or_404(
        PurchasePlanLine.objects.restrict(request.user, "view").select_related("plan"), pk=pk
    )


@login_required
@require_GET
def plan_index(request):
    _readable(request)
    filterset = PurchasePlanFilter(request.GET or None, queryset=PurchasePlan.objects.none(), request=request)
    if request.GET and not filterset.is_valid():
        rows = PurchasePlan.objects.none()
    else:
        rows = plan_list(user=request.user, filters=request.GET, request=request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": _("Purchase plans"),
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "may_draft": PurchasePlan.objects.all().role_allows(request.user, "add"),
    }
    return render(request, "purchasing/plan_list.html", context)


@login_required
@require_POST
def plan_new(request):
    if not PurchasePlan.objects.all().role_allows(request.user, "add"):
        raise PermissionDenied
    try:
        plan = plans.plan_draft(actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("purchasing:plan_list")
    messages.success(request, _("Plan %(plan)s drafted from the requirements.") % {"plan": plan})
    return redirect("purchasing:plan_detail", pk=plan.pk)


def _line_context(request, line, actions=None, pending=None) -> dict:
    plan = line.plan
    actions = actions or PlanActions.of(request.user, plan)
    if pending is None:
        pending = set(pending_for(request.user).filter(line=line).values_list("line_id", flat=True))
    return {"line": mark_lines([line], pending_ids=pending)[0], "plan": plan, "actions": actions}


@login_required
@require_GET
def plan_detail(request, pk):
    plan = _plan(request, pk)
    actions = PlanActions.of(request.user, plan)
    pending = set(pending_for(request.user).filter(line__plan=plan).values_list("line_id", flat=True))
    page = Paginator(plan_lines(user=request.user, plan=plan), LINES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    lines = mark_lines(page.object_list, pending_ids=pending)
    context = {
        "page": page,
        "title": _("Purchase plan %(plan)s") % {"plan": plan},
        "plan": plan,
        "lines": lines,
        "actions": actions,
        "versions": plan_versions(user=request.user, plan=plan),
        "add_form": AddLineForm(user=request.user) if actions.edit else None,
        "up_pct": 5,
    }
    return render(request, "purchasing/plan_detail.html", context)


@login_required
@require_GET
def plan_line_row(request, pk):
    """One line's row (htmx: the row again after cancelling an edit)."""
    line = _line(request, pk)
    line = plan_lines(user=request.user, plan=line.plan).get(pk=line.pk)
    return render(request, "purchasing/plan_line_row.html", _line_context(request, line))


@login_required
@require_http_methods(["GET", "POST"])
def plan_line_edit(request, pk):
    """Edit a proposed line of a draft in place: GET the form row, POST it (the row comes back)."""
    line = _line(request, pk)
    if not PurchasePlan.objects.all().role_allows(request.user, "change"):
        raise PermissionDenied
    form = PlanLineForm(
        request.POST or None,
        user=request.user,
        initial={
            f: getattr(line, f)
            for f in ("quantity", "supplier", "unit_price", "order_by", "need_date", "note")
        },
    )
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                plans.plan_line_update(actor=request.user, line_id=line.pk, data=form.changes())
                if not request.htmx:
                    messages.success(request, _("Line %(line)s saved.") % {"line": line.position})
                    return redirect("purchasing:plan_detail", pk=line.plan_id)
                line = plan_lines(user=request.user, plan=line.plan).get(pk=line.pk)
                return render(request, "purchasing/plan_line_row.html", _line_context(request, line))
            except (ValidationError, WorkflowConflict) as exc:
                error = _errors(exc) if isinstance(exc, ValidationError) else str(exc)
                if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                    for name, msgs in exc.message_dict.items():
                        form.add_error(name if name in form.fields else None, msgs)
        if not request.htmx:
            messages.error(request, error or _errors(ValidationError(form.errors)))
            return redirect("purchasing:plan_detail", pk=line.plan_id)
    context = _line_context(request, line) | {"form": form, "error": error}
    return render(request, "purchasing/plan_line_form.html", context)


def _step(write: str, model=PurchasePlan):
    """POST only, logged in, on a record he may see (404); his role must allow the step (403);
    the service decides the rest. Back to `next` or the plan."""

    def decorate(func):
        @wraps(func)
        def view(request, pk):
            record = _plan(request, pk) if model is PurchasePlan else _line(request, pk)
            plan_id = record.pk if model is PurchasePlan else record.plan_id
            if not request.user.has_perm(write if "." in write else f"purchasing.{write}_purchaseplan"):
                raise PermissionDenied
            try:
                message = func(request, record)
                if isinstance(message, tuple):  # (message, the plan to show next)
                    message, plan_id = message
                if message:
                    messages.success(request, message)
            except WorkflowConflict as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            except (PurchasePlanLine.DoesNotExist, PurchasePlan.DoesNotExist):
                messages.error(request, _("This line does not wait for your decision."))
            if request.htmx and model is PurchasePlanLine and request.POST.get("row"):
                line = plan_lines(user=request.user, plan=record.plan).filter(pk=record.pk).first()
                if line is None:
                    return HttpResponse("")
                return render(request, "purchasing/plan_line_row.html", _line_context(request, line))
            return _back(request, "purchasing:plan_detail", pk=plan_id)

        guarded = login_required(require_POST(view))
        guarded.probe_model = model
        guarded.probe_write = write
        return guarded

    return decorate


@_step("change")
def plan_line_add(request, plan):
    form = AddLineForm(request.POST, user=request.user)
    if not form.is_valid():
        raise ValidationError(form.errors)
    data = form.changes()
    line = plans.plan_line_add(actor=request.user, plan_id=plan.pk, **data)
    return _("Line %(line)s added.") % {"line": line.position}


@_step("purchasing.change_purchaseplan", PurchasePlanLine)
def plan_line_remove(request, line):
    plans.plan_line_remove(actor=request.user, line_id=line.pk)
    return _("Line %(line)s removed.") % {"line": line.position}


@_step("submit")
def plan_submit(request, plan):
    plans_flow.plan_submit(actor=request.user, plan_id=plan.pk)
    return _("Plan %(plan)s submitted to the merchandisers.") % {"plan": plan}


@_step("change")
def plan_withdraw(request, plan):
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    plans_flow.plan_withdraw(actor=request.user, plan_id=plan.pk, reason=reason)
    return _("Plan %(plan)s withdrawn.") % {"plan": plan}


@_step("change")
def plan_revise(request, plan):
    new = plans_flow.plan_revise(actor=request.user, plan_id=plan.pk)
    text = _("Version %(n)s drafted: approved lines are carried, the others may be changed.")
    return text % {"n": new.version}, new.pk


@_step(DECIDE, PurchasePlanLine)
def plan_line_decide(request, line):
    form = DecideForm(request.POST)
    if not form.is_valid():
        raise ValidationError({"decision": _("Approve or reject.")})
    approve = form.cleaned_data["decision"] == "approve"
    plans_flow.plan_line_decide(
        actor=request.user, line=line.pk, approve=approve, reason=form.cleaned_data["reason"]
    )
    if approve:
        return _("Line %(line)s approved.") % {"line": line.position}
    return _("Line %(line)s rejected.") % {"line": line.position}


@_step(DECIDE)
def plan_approve_mine(request, plan):
    count = plans_flow.plan_approve_mine(actor=request.user, plan_id=plan.pk)
    return _("%(n)s line(s) approved.") % {"n": count}


@login_required
@require_GET
def plan_pending(request):
    """The lines awaiting my decision, across plans."""
    if not PlanLineDecision.objects.all().role_allows(request.user, "decide"):
        raise PermissionDenied
    rows = (
        pending_for(request.user)
        .select_related("line__plan", "line__material", "line__supplier")
        .order_by("line__plan__submitted_at", "line__plan_id", "line__position")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "title": _("Purchase lines awaiting my decision"),
        "page": page,
        "prices": can_see(request.user, "supplier_prices"),
    }
    return render(request, "purchasing/plan_pending.html", context)


@login_required
@require_GET
def plan_export(request, pk):
    plan = _plan(request, pk)
    data = plan_workbook(user=request.user, plan=plan, lines=plan_lines(user=request.user, plan=plan))
    return FileResponse(
        data,
        as_attachment=True,
        filename=f"{plan.number}-v{plan.version}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# The kind of record each page serves, for the whole-site permission probe.
plan_index.probe_model = PurchasePlan  # type: ignore[attr-defined]
plan_new.probe_model = PurchasePlan  # type: ignore[attr-defined]
plan_new.probe_write = "add"  # type: ignore[attr-defined]
plan_detail.probe_model = plan_export.probe_model = PurchasePlan  # type: ignore[attr-defined]
plan_line_row.probe_model = PurchasePlanLine  # type: ignore[attr-defined]
plan_line_edit.probe_model = PurchasePlanLine  # type: ignore[attr-defined]
plan_line_edit.probe_write = "purchasing.change_purchaseplan"  # type: ignore[attr-defined]
plan_pending.probe_model = PlanLineDecision  # type: ignore[attr-defined]
