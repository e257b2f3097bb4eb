"""Pages of plan building (R-2.1, R-2.2): "Plan orders" (choose released orders, build), and the
version page (operations with pin and split, materials with the kit check, the load chart, people
per shift, warnings to acknowledge). Thin: parse, call a service or a selector, render."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.crud import render_partial_or_page
from gendan.core.exceptions import WorkflowConflict

from .forms import BuildForm, PinForm, SplitForm
from .models import PlannedOperation, PlanVersion
from .selectors_build import orders_to_plan, version_page
from .services.adjust import plan_acknowledge_warning, plan_pin, plan_split, plan_unpin
from .services.build import plan_build, plan_rerun


@login_required
@permission_required("planning.change_plan", raise_exception=True)
def plan_orders(request):
    form = BuildForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            versions = plan_build(actor=request.user, order_ids=[o.pk for o in form.cleaned_data["orders"]])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(n)s plan versions built.") % {"n": len(versions)})
            return redirect("planning:version_detail", pk=versions[0].pk)
    return render(
        request, "planning/plan_orders.html", {"form": form, "rows": orders_to_plan(user=request.user)}
    )


@login_required
def version_detail(request, pk):
    version = get_object_or_404(PlanVersion.objects.restrict(request.user, "view"), pk=pk)
    context = version_page(version=version, user=request.user)
    return render_partial_or_page(
        request, "planning/_version_body.html", "planning/version_detail.html", context
    )


version_detail.probe_model = PlanVersion  # type: ignore[attr-defined]


def draft_action(model):
    """POST only; the record must be one the user may see (404), his role must allow changing plans
    (403) before the form is read; refusals become messages; back to the version (htmx: its body)."""

    def decorate(func):
        @wraps(func)
        def view(request, pk):
            obj = get_object_or_404(model.objects.restrict(request.user, "view"), pk=pk)
            if not model.objects.all().role_allows(request.user, "change"):
                raise PermissionDenied
            version_id = obj.pk if model is PlanVersion else obj.version_id
            try:
                message = func(request, obj)
                if message:
                    messages.success(request, message)
            except WorkflowConflict as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            if request.htmx:
                version = PlanVersion.objects.get(pk=version_id)
                context = version_page(version=version, user=request.user)
                return render(request, "planning/_version_body.html", context)
            return redirect("planning:version_detail", pk=version_id)

        guarded = login_required(require_POST(view))
        guarded.probe_model = model  # type: ignore[attr-defined]
        guarded.role_action = (model, "change")  # type: ignore[attr-defined]
        return guarded

    return decorate


@draft_action(PlanVersion)
def version_rerun(request, version):
    plan_rerun(actor=request.user, version_id=version.pk)
    return _("The plan was placed again and checked.")


@draft_action(PlanVersion)
def version_acknowledge(request, version):
    plan_acknowledge_warning(actor=request.user, version_id=version.pk, index=request.POST.get("index"))
    return _("Warning acknowledged.")


@draft_action(PlannedOperation)
def planned_pin(request, planned):
    form = PinForm(request.POST, planned=planned)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    plan_pin(
        actor=request.user,
        planned_id=planned.pk,
        work_centre_id=form.cleaned_data["work_centre"].pk if form.cleaned_data["work_centre"] else None,
        start=form.cleaned_data["start"],
    )
    return _("Operation pinned; the plan was placed again.")


@draft_action(PlannedOperation)
def planned_unpin(request, planned):
    plan_unpin(actor=request.user, planned_id=planned.pk)
    return _("Pins removed; the plan was placed again.")


@draft_action(PlannedOperation)
def planned_split(request, planned):
    form = SplitForm(request.POST)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    plan_split(actor=request.user, planned_id=planned.pk, quantities=form.cleaned_data["quantities"])
    return _("Operation split; the plan was placed again.")
