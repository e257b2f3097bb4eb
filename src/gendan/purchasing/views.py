"""Material requirements' page (R-3.1): what every material is needed for, covered by stock or
what is on order, or still to buy by when, and for which orders; purchasing and production ask for
a new computation. Thin: read a selector, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .filters import RequirementFilter
from .models import MaterialRequirement, RequirementRun
from .selectors import current_run, latest_run, requirement_list
from .services import OPEN_RUN, requirements_request


@login_required
@permission_required("purchasing.view_materialrequirement", raise_exception=True)
@require_GET
def requirements(request):
    filterset = RequirementFilter(
        request.GET or None, queryset=MaterialRequirement.objects.none(), request=request
    )
    if request.GET and not filterset.is_valid():
        qs = MaterialRequirement.objects.none()
    else:
        qs = requirement_list(user=request.user, filters=request.GET, request=request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    latest = latest_run()
    context = {
        "title": _("Material requirements"),
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "run": current_run(),
        "latest": latest,
        "working": latest is not None and latest.status in OPEN_RUN,
        "may_compute": request.user.has_perm("purchasing.add_requirementrun"),
    }
    if request.htmx and request.GET.get("part") == "status":
        response = render(request, "purchasing/_run_status.html", context)
        if not context["working"]:
            response["HX-Refresh"] = "true"  # done: the whole page shows the new requirements
        return response
    return render(request, "purchasing/requirements.html", context)


@login_required
@require_POST
def compute(request):
    if not request.user.has_perm("purchasing.add_requirementrun"):
        raise PermissionDenied
    requirements_request(actor=request.user)
    messages.success(request, _("The requirements are being computed; the page shows them when done."))
    return redirect("purchasing:requirements")


requirements.probe_model = "purchasing.MaterialRequirement"  # type: ignore[attr-defined]
compute.probe_model = RequirementRun  # type: ignore[attr-defined]
compute.probe_write = "add"  # type: ignore[attr-defined]
